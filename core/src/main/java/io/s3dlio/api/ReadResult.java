package io.s3dlio.api;

import java.util.OptionalLong;

/**
 * Outcome of a positional read ({@link ObjectStore#read}).
 *
 * @param bytesRead bytes written into the caller's buffer
 * @param objectSize the object's total size when the response carried it (Content-Range on HTTP backends,
 *        the file size locally)
 */
public record ReadResult(int bytesRead, OptionalLong objectSize) {
    public ReadResult {
        if (bytesRead < 0) {
            throw new IllegalArgumentException("bytesRead is negative: " + bytesRead);
        }
        if (objectSize == null) {
            throw new NullPointerException("objectSize is null");
        }
    }
}
