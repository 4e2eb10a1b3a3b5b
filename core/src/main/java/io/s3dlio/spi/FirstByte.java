package io.s3dlio.spi;

import java.util.OptionalLong;

/**
 * Time to first byte, told by a backend to whoever records the call on the same thread (the op-log decorator).
 * A backend calls {@link #mark()} when a response's headers have arrived and its body is about to be read; a
 * recorder brackets the call with {@link #watch()} and {@link #take(long[])}. Nothing is recorded, and
 * {@code mark} costs one thread-local read, when nobody watches; a call that hops to other threads (the range
 * engine's parts) reports no first byte rather than a wrong one.
 *
 * <p>Each thread keeps one small state array for its life ({@code [0]} the mark, {@code [1]} how many calls
 * watch), so watching a call costs two thread-local reads and no allocation; a thread-local set and remove plus a
 * new array per call were a fifth of what recording cost an I/O thread per GET. Only a nested watch allocates
 * (the outer call's mark, to restore).
 */
public final class FirstByte {
    private static final ThreadLocal<long[]> STATE = new ThreadLocal<>();

    private FirstByte() {}

    /** The response's first byte is here ({@link System#nanoTime()}); only the first mark of a call counts. */
    public static void mark() {
        long[] state = STATE.get();
        if (state != null && state[1] > 0 && state[0] == 0) {
            state[0] = System.nanoTime();
        }
    }

    /**
     * Starts watching this thread; returns what was watched before (calls may nest; {@code null} when nothing
     * was), for {@link #take}.
     */
    public static long[] watch() {
        long[] state = STATE.get();
        if (state == null) {
            state = new long[2];
            STATE.set(state);
        }
        long[] previous = state[1] == 0 ? null : new long[] {state[0]};
        state[0] = 0;
        state[1]++;
        return previous;
    }

    /** Stops watching, restores {@code previous}, and returns the {@link System#nanoTime()} of the mark, if any. */
    public static OptionalLong take(long[] previous) {
        long[] state = STATE.get();
        if (state == null || state[1] == 0) {
            return OptionalLong.empty();
        }
        long mark = state[0];
        if (previous == null) {
            state[0] = 0;
            state[1] = 0;
        } else {
            state[0] = previous[0];
            state[1]--;
        }
        return mark == 0 ? OptionalLong.empty() : OptionalLong.of(mark);
    }
}
