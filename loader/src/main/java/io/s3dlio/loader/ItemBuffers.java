package io.s3dlio.loader;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers that loaders built with {@link DataLoader.Builder#reuseBuffers} read whole-object items into, all of
 * one size: the sibling of {@link ItemArrays} for a consumer that uses the bytes where they are instead of copying
 * them (the Python package hands NumPy views of them to its caller). Lent to a fetch when its object fills more than
 * half of one; taken back with {@link DataLoader#recycle} (a whole batch) or, once the consumer took a buffer over
 * with {@link DataLoader#takeBuffer}, with {@link #giveBack} when its last view is gone. At most {@link #maxIdle()}
 * buffers wait here; the ones in use are items of an epoch's window or the consumer's, bounded as any item's memory
 * is. Thread-safe.
 */
public final class ItemBuffers {
    private final int bufferBytes;
    private final int maxIdle;
    /** Last in, first out: the buffer given back last is the one most likely still in cache. */
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    private int allocated;

    /**
     * A pool that allocates its buffers as fetches need them and keeps at most {@code maxIdle} given back.
     *
     * @param bufferBytes the size of each buffer (1 to 2^31 - 9 bytes), typically the dataset's largest item
     * @param maxIdle buffers kept for reuse, typically {@code (prefetch + 2) * batchSize}
     */
    public ItemBuffers(int bufferBytes, int maxIdle) {
        if (bufferBytes < 1 || bufferBytes > io.s3dlio.spi.StoreChecks.MAX_BUFFER) {
            throw new IllegalArgumentException("bufferBytes must be in [1, " + io.s3dlio.spi.StoreChecks.MAX_BUFFER
                    + "], got " + bufferBytes);
        }
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative, got " + maxIdle);
        }
        this.bufferBytes = bufferBytes;
        this.maxIdle = maxIdle;
    }

    /** The size of every buffer. */
    public int bufferBytes() {
        return bufferBytes;
    }

    /** The most buffers kept waiting for reuse. */
    public int maxIdle() {
        return maxIdle;
    }

    /** Buffers waiting for reuse now. */
    public synchronized int idle() {
        return idle.size();
    }

    /** Buffers allocated so far: with every one given back, at most those the windows and the consumer held at once. */
    public synchronized int allocated() {
        return allocated;
    }

    /**
     * A buffer (position 0, limit its capacity) for an object of {@code size} bytes: an idle one, else a new one;
     * or null when the object is too small to fill half a buffer or larger than one.
     */
    ByteBuffer lease(int size) {
        if (size <= bufferBytes / 2 || size > bufferBytes) {
            return null;
        }
        synchronized (this) {
            ByteBuffer buffer = idle.pollFirst();
            if (buffer != null) {
                return buffer.clear();
            }
            allocated++;
        }
        return ByteBuffer.allocateDirect(bufferBytes);
    }

    /**
     * Takes back a buffer of this pool that nothing reads any more (the caller promises it: later items are read
     * into it); beyond {@code maxIdle} idle ones it is left to the collector. Others (another size, heap) are
     * ignored.
     */
    public void giveBack(ByteBuffer buffer) {
        if (buffer == null || !buffer.isDirect() || buffer.isReadOnly() || buffer.capacity() != bufferBytes) {
            return;
        }
        synchronized (this) {
            if (idle.size() < maxIdle) {
                idle.addFirst(buffer);
            }
        }
    }

    @Override
    public String toString() {
        return "ItemBuffers[" + bufferBytes + " bytes, at most " + maxIdle + " idle]";
    }
}
