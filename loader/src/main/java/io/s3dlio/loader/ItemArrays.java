package io.s3dlio.loader;

import java.util.ArrayDeque;

/**
 * Heap arrays that loaders built with {@link DataLoader.Builder#reuseArrays} read whole-object items into, all of one
 * size: lent to a fetch when its object turns out to fill more than half of one (so an array holds at most twice the
 * bytes it serves), taken back when the consumer gives the batch back ({@link DataLoader#recycle}). At most
 * {@link #maxIdle()} arrays wait here, however many loaders share it (one after another, or at once); the ones in use
 * are items of an epoch's window or batches not given back yet, bounded as any item's memory is. Thread-safe.
 */
public final class ItemArrays {
    private final int arrayBytes;
    private final int maxIdle;
    /** Last in, first out: the array given back last is the one most likely still in cache. */
    private final ArrayDeque<byte[]> idle = new ArrayDeque<>();
    private int allocated;

    /**
     * A pool that allocates its arrays as fetches need them and keeps at most {@code maxIdle} given back.
     *
     * @param arrayBytes the size of each array (1 to 2^31 - 9 bytes), typically the dataset's largest item
     * @param maxIdle arrays kept for reuse, typically {@code (prefetch + 2) * batchSize}: the window, the batch in
     *     the consumer's hands and one more
     */
    public ItemArrays(int arrayBytes, int maxIdle) {
        if (arrayBytes < 1 || arrayBytes > io.s3dlio.spi.StoreChecks.MAX_BUFFER) {
            throw new IllegalArgumentException("arrayBytes must be in [1, " + io.s3dlio.spi.StoreChecks.MAX_BUFFER
                    + "], got " + arrayBytes);
        }
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative, got " + maxIdle);
        }
        this.arrayBytes = arrayBytes;
        this.maxIdle = maxIdle;
    }

    /** The size of every array. */
    public int arrayBytes() {
        return arrayBytes;
    }

    /** The most arrays kept waiting for reuse. */
    public int maxIdle() {
        return maxIdle;
    }

    /** Arrays waiting for reuse now. */
    public synchronized int idle() {
        return idle.size();
    }

    /** Arrays allocated so far (tests): with every batch given back, at most those the windows hold at once. */
    synchronized int allocated() {
        return allocated;
    }

    /**
     * An array for an object of {@code size} bytes: an idle one, else a new one; or null when the object is too
     * small to fill half an array or larger than one, which the store then reads into a buffer of its own.
     */
    byte[] lease(int size) {
        if (size <= arrayBytes / 2 || size > arrayBytes) {
            return null;
        }
        synchronized (this) {
            byte[] array = idle.pollFirst();
            if (array != null) {
                return array;
            }
            allocated++;
        }
        return new byte[arrayBytes];
    }

    /** Takes back an array nothing reads any more; beyond {@code maxIdle} idle ones it is left to the collector. */
    void giveBack(byte[] array) {
        if (array.length != arrayBytes) {
            return;
        }
        synchronized (this) {
            if (idle.size() < maxIdle) {
                idle.addFirst(array);
            }
        }
    }

    @Override
    public String toString() {
        return "ItemArrays[" + arrayBytes + " bytes, at most " + maxIdle + " idle]";
    }
}
