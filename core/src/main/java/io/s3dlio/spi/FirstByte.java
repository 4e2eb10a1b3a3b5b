package io.s3dlio.spi;

import java.util.OptionalLong;

/**
 * Time to first byte, told by a backend to whoever records the call on the same thread (the op-log decorator).
 * A backend calls {@link #mark()} when a response's headers have arrived and its body is about to be read; a
 * recorder brackets the call with {@link #watch()} and {@link #take(long[])}. Nothing is recorded, and
 * {@code mark} costs one thread-local read, when nobody watches; a call that hops to other threads (the range
 * engine's parts) reports no first byte rather than a wrong one.
 */
public final class FirstByte {
    private static final ThreadLocal<long[]> WATCHED = new ThreadLocal<>();

    private FirstByte() {}

    /** The response's first byte is here ({@link System#nanoTime()}); only the first mark of a call counts. */
    public static void mark() {
        long[] slot = WATCHED.get();
        if (slot != null && slot[0] == 0) {
            slot[0] = System.nanoTime();
        }
    }

    /** Starts watching this thread; returns what was watched before (calls may nest), for {@link #take}. */
    public static long[] watch() {
        long[] previous = WATCHED.get();
        WATCHED.set(new long[1]);
        return previous;
    }

    /** Stops watching, restores {@code previous}, and returns the {@link System#nanoTime()} of the mark, if any. */
    public static OptionalLong take(long[] previous) {
        long[] slot = WATCHED.get();
        if (previous == null) {
            WATCHED.remove();
        } else {
            WATCHED.set(previous);
        }
        return slot == null || slot[0] == 0 ? OptionalLong.empty() : OptionalLong.of(slot[0]);
    }
}
