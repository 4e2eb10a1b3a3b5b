package io.s3dlio.spi;

/**
 * CRC(A || B) from CRC(A), CRC(B) and the length of B, for the reflected CRCs whose initial value and final XOR
 * are all ones (CRC32, CRC32C, CRC64NVME), as zlib's {@code crc32_combine}: appending B to A multiplies A's
 * register by x^(8 * |B|) modulo the polynomial, in GF(2). The power is built from a table of x^(2^k), one
 * multiplication per set bit of the length, so one combine costs well under a microsecond whatever the lengths.
 * It is what lets chunks (or parts) checked on several threads in any order be checked against one stored
 * full-object value. Thread-safe.
 */
public enum CrcCombine {
    /** ISO-HDLC / zlib CRC32 ({@link java.util.zip.CRC32}), S3 {@code x-amz-checksum-crc32}. */
    CRC32(0xEDB88320L, 32),
    /** Castagnoli ({@link java.util.zip.CRC32C}), S3 {@code x-amz-checksum-crc32c}. */
    CRC32C(0x82F63B78L, 32),
    /** NVMe ({@link Crc64Nvme}), S3 {@code x-amz-checksum-crc64nvme}. */
    CRC64NVME(Crc64Nvme.POLY_REFLECTED, 64);

    private final long poly;
    private final int width;
    /** The top bit: x^0 in the reflected representation. */
    private final long one;
    private final long mask;
    /** x^(2^k) modulo the polynomial, for every k a non-negative long length can need (bit 62 of n is x^(2^65)). */
    @SuppressWarnings("ImmutableEnumChecker") // filled in the constructor, never written after, never handed out
    private final long[] powers;

    CrcCombine(long poly, int width) {
        this.poly = poly;
        this.width = width;
        this.one = 1L << (width - 1);
        this.mask = width == 64 ? -1L : (1L << width) - 1;
        this.powers = new long[66];
        long p = one >>> 1; // x^1
        powers[0] = p;
        for (int k = 1; k < powers.length; k++) {
            p = multiply(p, p);
            powers[k] = p;
        }
    }

    /** The register width in bits (32 or 64). */
    public int width() {
        return width;
    }

    /**
     * CRC(A || B) from {@code crcA} = CRC(A), {@code crcB} = CRC(B) and {@code lengthB} bytes of B (a 32-bit
     * CRC in the low bits; higher bits are ignored and returned as zero).
     */
    public long combine(long crcA, long crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length: " + lengthB);
        }
        return multiply(xPow8n(lengthB), crcA & mask) ^ (crcB & mask);
    }

    /** a * b modulo the polynomial, both in reflected form. */
    private long multiply(long a, long b) {
        long m = one;
        long product = 0;
        while (true) {
            if ((a & m) != 0) {
                product ^= b;
                if ((a & (m - 1)) == 0) {
                    return product;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
            if (m == 0) {
                return product;
            }
        }
    }

    /** x^(8n) modulo the polynomial: x^(2^(k+3)) for each set bit k of n. */
    private long xPow8n(long n) {
        long p = one; // x^0
        int k = 3;
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiply(powers[k], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }
}
