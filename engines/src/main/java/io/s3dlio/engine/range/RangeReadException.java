package io.s3dlio.engine.range;

import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;

/**
 * A ranged request of the {@link RangeEngine} failed. The message names the location and the byte range; the
 * cause is what the backend threw (after its own retries). Retryable when the cause was.
 */
public final class RangeReadException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final long length;

    RangeReadException(Location location, long offset, long length, String why, Throwable cause) {
        super(location, "ranged read of bytes [" + offset + ", " + (offset + length) + ") failed: " + why, cause,
                cause instanceof StorageException s && s.isRetryable() ? Retry.RETRYABLE : Retry.FINAL);
        this.offset = offset;
        this.length = length;
    }

    /** First byte of the failed range. */
    public long offset() {
        return offset;
    }

    /** Length of the failed range. */
    public long length() {
        return length;
    }
}
