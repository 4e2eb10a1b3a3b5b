package io.s3dlio.engine.transfer;

import io.s3dlio.config.DataSize;

/**
 * Memory settings of a {@link TransferEngine}, validated. What a transfer holds at once is bounded by these
 * and the {@link TransferOptions#jobs() jobs} of the operation: uploads and puts hold one buffer per job of
 * {@link #chunkSize} or 1 MiB, whichever is smaller (a multipart writer reads files into its own part buffers,
 * bounded by the store's part budget, and leaves this one unused); reads that must arrive in order (a copy through this process, a
 * stream to stdout) hold at most one {@link #windowSize} window per job; downloads to files and discarding
 * reads go through {@link io.s3dlio.api.ObjectStore#readInto}, bounded by the store's range settings
 * ({@code S3DLIO_RANGE_MAX_IN_FLIGHT}).
 *
 * @param chunkSize bytes per buffer of an upload (64 KiB to 1 GiB)
 * @param windowSize bytes requested at once by an in-order read (at least {@code chunkSize}); a store that
 *        splits reads splits each window into concurrent ranged requests
 */
public record TransferConfig(int chunkSize, long windowSize) {
    public static final int DEFAULT_CHUNK = 8 * 1024 * 1024;
    public static final long DEFAULT_WINDOW = 8L * DEFAULT_CHUNK;
    public static final TransferConfig DEFAULT = new TransferConfig(DEFAULT_CHUNK, DEFAULT_WINDOW);

    public TransferConfig {
        if (chunkSize < 64 * 1024 || chunkSize > DataSize.GIB) {
            throw new IllegalArgumentException("chunkSize must be between 64 KiB and 1 GiB: " + chunkSize);
        }
        if (windowSize < chunkSize || windowSize > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("windowSize must be between chunkSize (" + chunkSize + ") and 2 GiB: "
                    + windowSize);
        }
    }
}
