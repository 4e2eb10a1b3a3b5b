package io.s3dlio.loader;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A delivered batch (unmodifiable) that knows which of its items' bytes are in arrays lent by {@link ItemArrays} or
 * buffers lent by {@link ItemBuffers}, so that {@link DataLoader#recycle} can give them back: once, whatever the
 * caller does, because memory given back twice would be lent to two fetches at once. A buffer the caller took over
 * ({@link #take}) is the caller's to give back, never this batch's.
 */
final class Batch extends AbstractList<Sample> implements RandomAccess {
    private final List<Sample> samples;
    /** Per item, the array or buffer lent for it, or null; null once given back or taken. Guarded by this. */
    private final Object[] lent;
    private final Object pool;

    Batch(List<Sample> samples, Object[] lent, Object pool) {
        this.samples = samples;
        this.lent = lent;
        this.pool = pool;
    }

    @Override
    public Sample get(int index) {
        return samples.get(index);
    }

    @Override
    public int size() {
        return samples.size();
    }

    /** Gives the lent memory not taken over back to {@code owner}, if it is its pool; else does nothing. */
    void recycle(Object owner) {
        if (owner != pool) {
            return;
        }
        for (int i = 0; i < lent.length; i++) {
            Object memory;
            synchronized (this) {
                memory = lent[i];
                lent[i] = null;
            }
            if (memory instanceof byte[] array && pool instanceof ItemArrays arrays) {
                arrays.giveBack(array);
            } else if (memory instanceof ByteBuffer buffer && pool instanceof ItemBuffers buffers) {
                buffers.giveBack(buffer);
            }
        }
    }

    /** Hands item {@code index}'s lent buffer of {@code owner} over to the caller (once), or null. */
    synchronized ByteBuffer take(Object owner, int index) {
        if (owner != pool || !(lent[index] instanceof ByteBuffer buffer)) {
            return null;
        }
        lent[index] = null;
        return buffer;
    }
}
