package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.tuning.ConcurrencyPolicy;
import io.s3dlio.engine.tuning.TuningConfig;
import java.util.List;
import java.util.OptionalInt;
import java.util.logging.Logger;

/**
 * The effective {@code -j/--jobs}: the flag when given, otherwise the adaptive tuning policy
 * ({@link ConcurrencyPolicy}: S3DLIO_JOBS when set, else by store kind and, when known, object count and
 * average size). {@code -v} logs the value and where it came from.
 */
final class Jobs {
    static final int MAX = 4096;
    private static final Logger LOG = Logger.getLogger("io.s3dlio.cli");

    private Jobs() {}

    /**
     * @param objectCount objects the command will move, or -1 when unknown (a listing not yet read)
     * @param totalBytes their total size when the count is known
     */
    static int effective(OptionalInt flag, ConfigSource config, List<Location> locations, long objectCount, long totalBytes) {
        if (flag.isPresent()) {
            int jobs = flag.getAsInt();
            if (jobs < 1 || jobs > MAX) {
                throw new IllegalArgumentException("--jobs must be 1.." + MAX + ": " + jobs);
            }
            LOG.fine("jobs = " + jobs + " (--jobs)");
            return jobs;
        }
        TuningConfig tuning = TuningConfig.from(config);
        boolean network = locations.stream()
                .anyMatch(l -> ConcurrencyPolicy.kindOf(l.scheme()) == ConcurrencyPolicy.StoreKind.NETWORK);
        ConcurrencyPolicy.StoreKind kind = network ? ConcurrencyPolicy.StoreKind.NETWORK : ConcurrencyPolicy.StoreKind.LOCAL;
        int jobs = ConcurrencyPolicy.forThisMachine(tuning).jobs(kind, objectCount, totalBytes);
        String from = tuning.jobs().isPresent() ? TuningConfig.JOBS
                : "adaptive policy, " + kind.name().toLowerCase(java.util.Locale.ROOT) + " store"
                        + (objectCount > 0 ? ", " + objectCount + " objects of " + Rates.bytes(totalBytes / objectCount) : "");
        LOG.fine("jobs = " + jobs + " (" + from + ")");
        return jobs;
    }
}
