package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * An immutable snapshot of what a loader delivered. {@code consumerWait} is the time the consumer spent
 * blocked in {@link LoaderEpoch#hasNext()}/{@link LoaderEpoch#next()}; everything else of {@code elapsed} was
 * the consumer's own time (its "compute"), so {@link #utilisation()} is compute / (compute + wait), the
 * accelerator utilisation MLPerf Storage reports.
 *
 * @param items items delivered
 * @param batches batches delivered
 * @param bytes bytes delivered
 * @param skipped items skipped under {@link ErrorPolicy#SKIP_AND_REPORT}
 * @param elapsed from the epoch's start to its end (or to now while it runs)
 * @param consumerWait time the consumer was blocked waiting for a batch
 */
public record LoaderStats(long items, long batches, long bytes, long skipped, Duration elapsed, Duration consumerWait) {
    public static final LoaderStats ZERO = new LoaderStats(0, 0, 0, 0, Duration.ZERO, Duration.ZERO);

    public LoaderStats {
        requireNonNull(elapsed, "elapsed is null");
        requireNonNull(consumerWait, "consumerWait is null");
        if (items < 0 || batches < 0 || bytes < 0 || skipped < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    public double itemsPerSecond() {
        return perSecond(items);
    }

    public double bytesPerSecond() {
        return perSecond(bytes);
    }

    /** Elapsed time minus consumer wait (never negative). */
    public Duration computeTime() {
        Duration compute = elapsed.minus(consumerWait);
        return compute.isNegative() ? Duration.ZERO : compute;
    }

    /** compute / (compute + wait), in [0, 1]; 1 when nothing has been measured yet. */
    public double utilisation() {
        long total = elapsed.toNanos();
        if (total <= 0) {
            return 1.0;
        }
        return Math.max(0.0, Math.min(1.0, (double) computeTime().toNanos() / total));
    }

    /** The sum of two snapshots (elapsed and wait add up, as for consecutive epochs). */
    public LoaderStats plus(LoaderStats other) {
        return new LoaderStats(items + other.items, batches + other.batches, bytes + other.bytes,
                skipped + other.skipped, elapsed.plus(other.elapsed), consumerWait.plus(other.consumerWait));
    }

    private double perSecond(long count) {
        long nanos = elapsed.toNanos();
        return nanos <= 0 ? 0.0 : count * 1e9 / nanos;
    }
}
