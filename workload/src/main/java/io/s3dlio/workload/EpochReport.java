package io.s3dlio.workload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.loader.ErrorPolicy;
import io.s3dlio.loader.LoaderStats;
import io.s3dlio.loader.SkippedItem;
import java.util.List;
import java.util.Optional;

/**
 * What one epoch of a {@link LoadRun} delivered.
 *
 * @param epoch the epoch number
 * @param stats the loader's counters for the epoch
 * @param skipped items skipped under {@link ErrorPolicy#SKIP_AND_REPORT}
 * @param order the URIs in delivery order, when recorded
 */
public record EpochReport(int epoch, LoaderStats stats, List<SkippedItem> skipped, Optional<List<String>> order) {
    public EpochReport {
        requireNonNull(stats, "stats is null");
        skipped = List.copyOf(requireNonNull(skipped, "skipped is null"));
        requireNonNull(order, "order is null");
        order = order.map(List::copyOf);
    }

    /** Delivered megabytes (10^6 bytes) per second of the epoch's wall time. */
    public double megabytesPerSecond() {
        return stats.bytesPerSecond() / 1e6;
    }

    /** compute / (compute + consumer wait). */
    public double acceleratorUtilisation() {
        return stats.utilisation();
    }
}
