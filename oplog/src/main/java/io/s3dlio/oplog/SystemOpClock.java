package io.s3dlio.oplog;

/**
 * {@link OpClock#system()}: the wall clock read once, then advanced by {@link System#nanoTime()}. A class of its
 * own so a recorder can tell it apart and turn a {@code nanoTime} it has read anyway into the epoch time
 * ({@link #at(long)}) instead of reading the clock twice.
 */
final class SystemOpClock implements OpClock {
    private final long base;
    private final long origin;

    SystemOpClock() {
        java.time.Instant now = java.time.Instant.now();
        this.base = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        this.origin = System.nanoTime();
    }

    @Override
    public long epochNanos() {
        return at(System.nanoTime());
    }

    /** The epoch time of the {@link System#nanoTime()} reading {@code tick}. */
    long at(long tick) {
        return base + (tick - origin);
    }
}
