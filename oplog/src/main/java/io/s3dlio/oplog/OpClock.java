package io.s3dlio.oplog;

/**
 * Time for operation records: nanoseconds since the epoch. Injected so tests can drive it.
 */
@FunctionalInterface
public interface OpClock {
    long epochNanos();

    /**
     * The wall clock read once, then advanced by {@link System#nanoTime()}: nanosecond resolution and never
     * going backwards, so the records of one thread have non-decreasing timestamps even if the wall clock is
     * stepped during a run.
     */
    static OpClock system() {
        return new SystemOpClock();
    }
}
