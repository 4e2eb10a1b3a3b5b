package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

/**
 * One item that finished.
 *
 * @param source what was read: a URI, or a local file for uploads
 * @param target where it went: a URI, a local file, or empty when the bytes were discarded or handed to a consumer
 * @param bytes bytes moved (0 for deletes and directory markers)
 */
public record ItemDone(String source, String target, long bytes) {
    public ItemDone {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes is negative: " + bytes);
        }
    }
}
