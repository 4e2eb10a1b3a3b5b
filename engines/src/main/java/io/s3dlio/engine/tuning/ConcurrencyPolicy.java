package io.s3dlio.engine.tuning;

import static java.util.Objects.requireNonNull;

/**
 * Default concurrency for commands that move many objects ({@code --jobs}) and for the loader. Explicit
 * flags always win; this only fills in what the user did not say.
 *
 * <p>The rule for {@code --jobs}: local file systems gain little past a few outstanding requests per core,
 * so they get {@code 4 x cores} (at most 64). Network stores hide latency with concurrency: many small
 * objects want many jobs (64), while a few large objects want few jobs (each large object is already split
 * into concurrent ranges or parts), so jobs shrink as the average object grows: 32 at 8 MiB and above,
 * 8 at 256 MiB and above. Never more jobs than objects.
 */
public final class ConcurrencyPolicy {
    private static final long MIB = 1024L * 1024;

    private final TuningConfig config;
    private final int cores;

    public ConcurrencyPolicy(TuningConfig config, int cores) {
        this.config = requireNonNull(config, "config is null");
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be positive: " + cores);
        }
        this.cores = cores;
    }

    public static ConcurrencyPolicy forThisMachine(TuningConfig config) {
        return new ConcurrencyPolicy(config, Runtime.getRuntime().availableProcessors());
    }

    /** What kind of store a workload talks to. */
    public enum StoreKind { LOCAL, NETWORK }

    /** The store kind of a scheme. */
    public static StoreKind kindOf(String scheme) {
        return switch (scheme) {
            case "file", "direct", "mem" -> StoreKind.LOCAL;
            default -> StoreKind.NETWORK;
        };
    }

    /**
     * Default concurrent objects for a command over {@code objectCount} objects of {@code totalBytes} in all
     * (pass a negative count when unknown).
     */
    public int jobs(StoreKind kind, long objectCount, long totalBytes) {
        if (config.jobs().isPresent()) {
            return config.jobs().getAsInt();
        }
        int jobs;
        if (kind == StoreKind.LOCAL) {
            jobs = Math.min(64, 4 * cores);
        } else if (objectCount <= 0) {
            jobs = 32;
        } else {
            long average = totalBytes / objectCount;
            if (average >= 256 * MIB) {
                jobs = 8;
            } else if (average >= 8 * MIB) {
                jobs = 32;
            } else {
                jobs = 64;
            }
        }
        if (objectCount > 0) {
            jobs = (int) Math.min(jobs, objectCount);
        }
        return Math.max(1, jobs);
    }

    /** The loader's default concurrent fetches ({@code S3DLIO_LOADER_NUM_WORKERS}, default 8). */
    public int loaderWorkers() {
        return config.loaderWorkers();
    }
}
