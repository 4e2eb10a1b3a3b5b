package io.s3dlio.loader;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A delivered batch (unmodifiable) that knows which of its items' bytes are in arrays lent by {@link ItemArrays},
 * so that {@link DataLoader#recycle} can give them back: once, whatever the caller does, because an array given
 * back twice would be lent to two fetches at once.
 */
final class Batch extends AbstractList<Sample> implements RandomAccess {
    private final List<Sample> samples;
    private final List<byte[]> arrays;
    private final ItemArrays pool;
    private final AtomicBoolean recycled = new AtomicBoolean();

    Batch(List<Sample> samples, List<byte[]> arrays, ItemArrays pool) {
        this.samples = samples;
        this.arrays = arrays;
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

    /** Gives the lent arrays back to {@code owner}, if they are its and this is the first call; else does nothing. */
    void recycle(ItemArrays owner) {
        if (owner != pool || arrays.isEmpty() || !recycled.compareAndSet(false, true)) {
            return;
        }
        for (byte[] array : arrays) {
            pool.giveBack(array);
        }
    }
}
