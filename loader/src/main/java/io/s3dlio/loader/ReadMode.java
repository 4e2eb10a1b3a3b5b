package io.s3dlio.loader;

/** How one item's bytes are fetched. */
public enum ReadMode {
    /**
     * One {@link io.s3dlio.api.ObjectStore#get} per item: the bytes arrive in one read-only buffer. When the store
     * is a {@link io.s3dlio.engine.range.RangedObjectStore} (as the registry hands out for s3://, az://, gs://),
     * the listing's size is passed on, so the engine needs no size probe.
     */
    WHOLE_OBJECT,
    /**
     * Through the range engine ({@link io.s3dlio.engine.range.RangeEngine}), owned by the loader: items whose
     * size is known (from the listing) and at least {@link LoaderOptions#rangeThreshold()} are read with
     * concurrent ranged requests into one buffer; smaller ones with one plain request; no HEAD either way.
     */
    RANGE_ENGINE
}
