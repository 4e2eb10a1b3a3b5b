package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * What a completed write produced.
 *
 * @param location the object written
 * @param bytesWritten uncompressed bytes the caller wrote
 * @param storedBytes bytes stored (differs from bytesWritten when compressed)
 * @param crc32c CRC32C of the uncompressed bytes
 * @param etag the server's ETag, where it returns one
 */
public record WriteResult(Location location, long bytesWritten, long storedBytes, int crc32c, Optional<String> etag) {
    public WriteResult {
        requireNonNull(location, "location is null");
        requireNonNull(etag, "etag is null");
    }

    /** The CRC32C as 8 lower-case hex digits. */
    public String crc32cHex() {
        return String.format(Locale.ROOT, "%08x", crc32c);
    }
}
