package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

/**
 * The bytes read do not match the checksum the store keeps for them (an MD5 ETag, a stored CRC32C, CRC32,
 * SHA-1 or SHA-256, Azure's Content-MD5): they were corrupted on the way, or the object was replaced in a way
 * the store did not report. Nothing is left under a final name. Final: the read is not retried, since a
 * corrupting link or store would corrupt the next try the same way; read again once the cause is found.
 */
public class ChecksumMismatchException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final String expected;
    private final String actual;

    public ChecksumMismatchException(Location location, String algorithm, String expected, String actual) {
        super(location, "data corrupted in transit or at rest: " + requireNonNull(algorithm, "algorithm is null")
                + " of the bytes read is " + actual + ", the store says " + expected);
        this.algorithm = algorithm;
        this.expected = requireNonNull(expected, "expected is null");
        this.actual = requireNonNull(actual, "actual is null");
    }

    /** {@code MD5}, {@code CRC32C}, {@code CRC32}, {@code SHA1} or {@code SHA256}. */
    public String algorithm() {
        return algorithm;
    }

    /** The checksum the store gave, as it gave it (hex for an ETag, base64 for a stored checksum). */
    public String expected() {
        return expected;
    }

    /** The checksum of the bytes read, in the same form. */
    public String actual() {
        return actual;
    }
}
