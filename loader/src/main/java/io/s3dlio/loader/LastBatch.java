package io.s3dlio.loader;

/** What happens to a shard's final batch when it has fewer than {@code batchSize} items. */
public enum LastBatch {
    /** Deliver it, smaller. */
    KEEP,
    /** Drop it (PyTorch's {@code drop_last=True}): every batch has exactly {@code batchSize} items. */
    DROP
}
