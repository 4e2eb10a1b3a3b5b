package io.s3dlio.datagen;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bytes of one synthetic object, produced on demand into the caller's buffers. Holds no data itself: memory
 * is whatever chunk the caller passes. Not thread-safe (it has a position); use one stream per thread.
 */
public final class SyntheticStream {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private final SyntheticData data;
    private final long firstBlock;
    private final long size;
    private final int randomBytes;
    private long position;

    SyntheticStream(SyntheticData data, long firstBlock, long size) {
        this.data = data;
        this.firstBlock = firstBlock;
        this.size = size;
        this.randomBytes = data.randomBytesPerBlock();
    }

    /** Total size of the object. */
    public long size() {
        return size;
    }

    /** Bytes produced so far. */
    public long position() {
        return position;
    }

    /** Bytes still to come. */
    public long remaining() {
        return size - position;
    }

    /**
     * Fills {@code target[offset, offset + length)} with the next bytes, fewer only at the end of the object.
     *
     * @return bytes produced; 0 at the end
     */
    public int read(byte[] target, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, target.length);
        int n = (int) Math.min(length, remaining());
        int done = 0;
        int blockSize = data.blockSize();
        while (done < n) {
            long block = position / blockSize;
            int inBlock = (int) (position % blockSize);
            int count = Math.min(n - done, blockSize - inBlock);
            fillBlock(data.blockKey((firstBlock + block) / data.dedup()), inBlock, target, offset + done, count);
            done += count;
            position += count;
        }
        return n;
    }

    /** Fills the remaining space of a heap {@code buffer} (its position advances); fewer bytes only at the end. */
    public int read(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            int n = read(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            buffer.position(buffer.position() + n);
            return n;
        }
        byte[] staging = new byte[Math.min(buffer.remaining(), 64 * 1024)];
        int total = 0;
        while (buffer.hasRemaining()) {
            int n = read(staging, 0, Math.min(staging.length, buffer.remaining()));
            if (n == 0) {
                break;
            }
            buffer.put(staging, 0, n);
            total += n;
        }
        return total;
    }

    /** Writes bytes {@code [from, from + count)} of the block with key {@code key} into target at {@code at}. */
    private void fillBlock(long key, int from, byte[] target, int at, int count) {
        int end = from + count;
        int randomEnd = Math.min(end, randomBytes);
        int pos = from;
        if (pos < randomEnd) {
            // Unaligned head, byte by byte.
            while (pos < randomEnd && (pos & 7) != 0) {
                target[at + pos - from] = byteAt(key, pos);
                pos++;
            }
            // Aligned body: one long per 8 bytes, the hot loop.
            int alignedEnd = randomEnd & ~7;
            int out = at + pos - from;
            long counter = key + (long) (pos >>> 3) * GAMMA;
            for (; pos < alignedEnd; pos += 8, out += 8) {
                counter += GAMMA;
                LONGS.set(target, out, SyntheticData.mix64(counter));
            }
            while (pos < randomEnd) {
                target[at + pos - from] = byteAt(key, pos);
                pos++;
            }
        }
        if (pos < end) {
            Arrays.fill(target, at + pos - from, at + count, (byte) 0);
        }
    }

    private static byte byteAt(long key, int position) {
        long word = SyntheticData.mix64(key + (long) ((position >>> 3) + 1) * GAMMA);
        return (byte) (word >>> ((position & 7) * 8));
    }
}
