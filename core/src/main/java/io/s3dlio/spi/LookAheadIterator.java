package io.s3dlio.spi;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that finds its next element ahead of time: subclasses say only how to find the next one
 * ({@link #advance()}), and this class keeps the one found until {@code next()} hands it out. The listings
 * of the file and memory stores are built on it.
 *
 * @param <T> the elements
 */
public abstract class LookAheadIterator<T> implements Iterator<T> {
    private T next;

    /** The next element, or null when there is none (called again after each element is taken). */
    protected abstract T advance();

    @Override
    public final boolean hasNext() {
        if (next == null) {
            next = advance();
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T result = next;
        next = null;
        return result;
    }
}
