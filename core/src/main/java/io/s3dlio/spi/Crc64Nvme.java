package io.s3dlio.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.Checksum;

/**
 * CRC64NVME: the 64-bit CRC of the NVMe specification that AWS S3 computes for every object uploaded without a
 * checksum of its own (since 2025) and returns as {@code x-amz-checksum-crc64nvme}. Polynomial
 * {@code 0xAD93D23594C93659} (reflected {@code 0x9A6C9329AC4BC9B5}), input and output reflected, initial value
 * and final XOR all ones; the check value of {@code "123456789"} is {@code 0xAE8B14860A799888}.
 *
 * <p>Pure Java, slicing-by-16 (sixteen 256-entry tables, 32 KiB): sixteen bytes per step, read as two
 * little-endian longs. The JDK has no intrinsic for this polynomial (its CRC32 and CRC32C are intrinsics), so
 * it costs several times their CPU per byte; see docs/BENCHMARKS.md. Instances of {@link Digest} are not
 * thread-safe; the static methods are.
 */
public final class Crc64Nvme {
    /** The polynomial in reflected (LSB-first) form. */
    static final long POLY_REFLECTED = 0x9A6C9329AC4BC9B5L;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** TABLE[k][b]: the CRC register contribution of byte b followed by k zero bytes. */
    private static final long[][] TABLE = tables();

    private Crc64Nvme() {
    }

    private static long[][] tables() {
        long[][] t = new long[16][256];
        for (int b = 0; b < 256; b++) {
            long crc = b;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            t[0][b] = crc;
        }
        for (int k = 1; k < 16; k++) {
            for (int b = 0; b < 256; b++) {
                long prev = t[k - 1][b];
                t[k][b] = (prev >>> 8) ^ t[0][(int) (prev & 0xff)];
            }
        }
        return t;
    }

    /** The CRC64NVME of the remaining bytes of {@code data}; its position is not moved. */
    public static long of(ByteBuffer data) {
        return update(0, data.duplicate());
    }

    /** The CRC64NVME of {@code data[offset, offset + length)}. */
    public static long of(byte[] data, int offset, int length) {
        return update(0, data, offset, length);
    }

    /**
     * Continues {@code crc} (the CRC64NVME of the bytes before, 0 for none) over {@code data[offset, offset +
     * length)}: {@code update(of(A), B) == of(A || B)}.
     */
    public static long update(long crc, byte[] data, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        return ~raw(~crc, data, offset, length);
    }

    /** {@link #update(long, byte[], int, int)} over the remaining bytes of {@code data}, which are consumed. */
    public static long update(long crc, ByteBuffer data) {
        int length = data.remaining();
        if (data.hasArray()) {
            long result = update(crc, data.array(), data.arrayOffset() + data.position(), length);
            data.position(data.limit());
            return result;
        }
        long state = ~crc;
        ByteBuffer le = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        int i = 0;
        long[][] t = TABLE;
        for (; i + 16 <= length; i += 16) {
            long a = le.getLong(i) ^ state;
            long b = le.getLong(i + 8);
            state = step16(t, a, b);
        }
        for (; i < length; i++) {
            state = (state >>> 8) ^ t[0][(int) ((state ^ le.get(i)) & 0xff)];
        }
        data.position(data.limit());
        return ~state;
    }

    /** The register (not inverted) over a byte range. */
    private static long raw(long state, byte[] data, int offset, int length) {
        long[][] t = TABLE;
        int i = offset;
        int end = offset + length;
        for (; i + 16 <= end; i += 16) {
            long a = (long) LONG_LE.get(data, i) ^ state;
            long b = (long) LONG_LE.get(data, i + 8);
            state = step16(t, a, b);
        }
        for (; i < end; i++) {
            state = (state >>> 8) ^ t[0][(int) ((state ^ data[i]) & 0xff)];
        }
        return state;
    }

    private static long step16(long[][] t, long a, long b) {
        return t[15][(int) (a & 0xff)] ^ t[14][(int) ((a >>> 8) & 0xff)]
                ^ t[13][(int) ((a >>> 16) & 0xff)] ^ t[12][(int) ((a >>> 24) & 0xff)]
                ^ t[11][(int) ((a >>> 32) & 0xff)] ^ t[10][(int) ((a >>> 40) & 0xff)]
                ^ t[9][(int) ((a >>> 48) & 0xff)] ^ t[8][(int) (a >>> 56)]
                ^ t[7][(int) (b & 0xff)] ^ t[6][(int) ((b >>> 8) & 0xff)]
                ^ t[5][(int) ((b >>> 16) & 0xff)] ^ t[4][(int) ((b >>> 24) & 0xff)]
                ^ t[3][(int) ((b >>> 32) & 0xff)] ^ t[2][(int) ((b >>> 40) & 0xff)]
                ^ t[1][(int) ((b >>> 48) & 0xff)] ^ t[0][(int) (b >>> 56)];
    }

    /** CRC64NVME(A || B) from {@code crcA} = CRC64NVME(A), {@code crcB} = CRC64NVME(B) and {@code lengthB}. */
    public static long combine(long crcA, long crcB, long lengthB) {
        return CrcCombine.CRC64NVME.combine(crcA, crcB, lengthB);
    }

    /** A streaming CRC64NVME as a {@link Checksum}; {@link #getValue()} is all 64 bits. Not thread-safe. */
    public static final class Digest implements Checksum {
        private long crc;

        @Override
        public void update(int b) {
            crc = Crc64Nvme.update(crc, new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void update(byte[] b, int off, int len) {
            crc = Crc64Nvme.update(crc, b, off, len);
        }

        @Override
        public void update(ByteBuffer buffer) {
            crc = Crc64Nvme.update(crc, buffer);
        }

        @Override
        public long getValue() {
            return crc;
        }

        @Override
        public void reset() {
            crc = 0;
        }
    }
}
