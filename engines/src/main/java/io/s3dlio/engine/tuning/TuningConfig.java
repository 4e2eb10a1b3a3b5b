package io.s3dlio.engine.tuning;

import io.s3dlio.config.ConfigSource;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The adaptive-tuning settings, mapped once from a {@link ConfigSource} (flags &gt; environment &gt;
 * defaults).
 *
 * @param networkSpeedGbps link speed the part-size tiers assume ({@code S3DLIO_NETWORK_SPEED_GBPS}, default 10)
 * @param minPartSize floor for every adaptive part size ({@code S3DLIO_MIN_PART_SIZE}); an explicit part size
 *        still wins over it
 * @param partSize an explicit part size for every upload ({@code S3DLIO_PART_SIZE}); wins over the policy
 * @param uploadConcurrency parts in flight per upload ({@code S3DLIO_UPLOAD_CONCURRENCY})
 * @param loaderWorkers the loader's default concurrent fetches ({@code S3DLIO_LOADER_NUM_WORKERS}, default 8)
 * @param jobs default concurrent objects for CLI commands ({@code S3DLIO_JOBS})
 */
public record TuningConfig(
        double networkSpeedGbps,
        OptionalLong minPartSize,
        OptionalLong partSize,
        OptionalInt uploadConcurrency,
        int loaderWorkers,
        OptionalInt jobs) {

    public static final double DEFAULT_NETWORK_SPEED_GBPS = 10;
    public static final int DEFAULT_LOADER_WORKERS = 8;

    public static final String NETWORK_SPEED_GBPS = "S3DLIO_NETWORK_SPEED_GBPS";
    public static final String MIN_PART_SIZE = "S3DLIO_MIN_PART_SIZE";
    public static final String PART_SIZE = "S3DLIO_PART_SIZE";
    public static final String UPLOAD_CONCURRENCY = "S3DLIO_UPLOAD_CONCURRENCY";
    public static final String LOADER_NUM_WORKERS = "S3DLIO_LOADER_NUM_WORKERS";
    public static final String JOBS = "S3DLIO_JOBS";

    public TuningConfig {
        if (!(networkSpeedGbps > 0) || networkSpeedGbps > 10_000) {
            throw new IllegalArgumentException(NETWORK_SPEED_GBPS + " must be in (0, 10000]: " + networkSpeedGbps);
        }
        positive(MIN_PART_SIZE, minPartSize);
        positive(PART_SIZE, partSize);
        if (uploadConcurrency.isPresent() && (uploadConcurrency.getAsInt() < 1 || uploadConcurrency.getAsInt() > 1024)) {
            throw new IllegalArgumentException(UPLOAD_CONCURRENCY + " must be 1..1024: " + uploadConcurrency.getAsInt());
        }
        if (loaderWorkers < 1 || loaderWorkers > 4096) {
            throw new IllegalArgumentException(LOADER_NUM_WORKERS + " must be 1..4096: " + loaderWorkers);
        }
        if (jobs.isPresent() && (jobs.getAsInt() < 1 || jobs.getAsInt() > 4096)) {
            throw new IllegalArgumentException(JOBS + " must be 1..4096: " + jobs.getAsInt());
        }
    }

    private static void positive(String name, OptionalLong value) {
        if (value.isPresent() && value.getAsLong() < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + value.getAsLong());
        }
    }

    public static TuningConfig defaults() {
        return from(ConfigSource.empty());
    }

    public static TuningConfig from(ConfigSource source) {
        return new TuningConfig(
                source.doubleValue(NETWORK_SPEED_GBPS).orElse(DEFAULT_NETWORK_SPEED_GBPS),
                source.dataSize(MIN_PART_SIZE),
                source.dataSize(PART_SIZE),
                source.intValue(UPLOAD_CONCURRENCY),
                source.intValue(LOADER_NUM_WORKERS).orElse(DEFAULT_LOADER_WORKERS),
                source.intValue(JOBS));
    }
}
