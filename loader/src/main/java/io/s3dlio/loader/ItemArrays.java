package io.s3dlio.loader;

import java.util.ArrayDeque;

/**
 * The arrays a loader built with {@link DataLoader.Builder#reuseArrays} reads whole-object items into: all of one
 * size, lent to a fetch when its object turns out to fill more than half of one (so an array holds at most twice
 * the bytes it serves), given back when the consumer recycles the batch ({@link DataLoader#recycle}). At most
 * {@code maxIdle} wait here; the ones in use are items of the epoch's window, bounded as any item's memory is.
 * Thread-safe: fetches lease concurrently, the consumer gives back.
 */
final class ItemArrays {
    private final int arrayBytes;
    private final int maxIdle;
    /** Last in, first out: the array given back last is the one most likely still in cache. */
    private final ArrayDeque<byte[]> idle = new ArrayDeque<>();
    private int allocated;

    ItemArrays(int arrayBytes, int maxIdle) {
        this.arrayBytes = arrayBytes;
        this.maxIdle = maxIdle;
    }

    int arrayBytes() {
        return arrayBytes;
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

    /** Arrays waiting to be lent (tests). */
    synchronized int idle() {
        return idle.size();
    }

    /** Arrays allocated so far (tests): with every batch given back, at most those the window holds at once. */
    synchronized int allocated() {
        return allocated;
    }
}
