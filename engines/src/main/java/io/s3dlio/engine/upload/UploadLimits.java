package io.s3dlio.engine.upload;

/**
 * A service's hard limits for multipart uploads. Part-size policies must stay inside them.
 *
 * @param minPartSize smallest part except the last
 * @param maxPartSize largest part
 * @param maxParts most parts in one upload
 * @param partSizeMultiple part sizes (except the last) must be a multiple of this (GCS: 256 KiB)
 * @param maxPartsInFlight most parts one upload may send at once (GCS: 1, a resumable session takes its chunks
 *        strictly in order)
 */
public record UploadLimits(long minPartSize, long maxPartSize, int maxParts, long partSizeMultiple,
        int maxPartsInFlight) {
    private static final long MIB = 1024L * 1024;

    /** S3: 5 MiB minimum except the last part, 5 GiB maximum, 10,000 parts. */
    public static final UploadLimits S3 = new UploadLimits(5 * MIB, 5L * 1024 * MIB, 10_000, 1);
    /** Azure block blobs: blocks up to 4000 MiB, 50,000 blocks. */
    public static final UploadLimits AZURE = new UploadLimits(1, 4000 * MIB, 50_000, 1);
    /**
     * GCS resumable uploads: chunks in multiples of 256 KiB, no part-count limit, one chunk in flight (a
     * session takes its chunks in order). The client takes a chunk size as an {@code int}, and a chunk lives
     * in one buffer, so chunks stop at 1 GiB.
     */
    public static final UploadLimits GCS = new UploadLimits(256 * 1024, 1024 * MIB, Integer.MAX_VALUE, 256 * 1024, 1);

    public UploadLimits {
        if (minPartSize < 1 || maxPartSize < minPartSize || maxParts < 1 || partSizeMultiple < 1 || maxPartsInFlight < 1) {
            throw new IllegalArgumentException("inconsistent upload limits: min " + minPartSize + ", max "
                    + maxPartSize + ", parts " + maxParts + ", multiple " + partSizeMultiple + ", in flight "
                    + maxPartsInFlight);
        }
    }

    /** Limits that allow any number of parts in flight. */
    public UploadLimits(long minPartSize, long maxPartSize, int maxParts, long partSizeMultiple) {
        this(minPartSize, maxPartSize, maxParts, partSizeMultiple, Integer.MAX_VALUE);
    }

    /** {@code size} moved inside the limits and rounded up to the part-size multiple. */
    public long clamp(long size) {
        long clamped = Math.max(minPartSize, Math.min(maxPartSize, size));
        long rounded = ((clamped + partSizeMultiple - 1) / partSizeMultiple) * partSizeMultiple;
        return rounded > maxPartSize ? (maxPartSize / partSizeMultiple) * partSizeMultiple : rounded;
    }
}
