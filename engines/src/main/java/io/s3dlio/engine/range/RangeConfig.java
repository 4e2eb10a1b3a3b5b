package io.s3dlio.engine.range;

import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import java.util.Set;

/**
 * Settings of the {@link RangeEngine}, validated. Map them from a {@link ConfigSource} with
 * {@link #fromConfig(ConfigSource, Set)}: the defaults depend on the backend (see docs/CONFIGURATION.md,
 * "Range engine").
 *
 * @param enabled whether {@code get}/{@code getRange} of a decorated store go through the engine
 * @param chunkSize bytes per ranged request; also the size of the first request when the object's size is
 *        unknown (64 KiB to 1 GiB)
 * @param threshold objects (or ranges) of a known size below this are read with one plain request
 * @param concurrency at most this many ranged requests in flight per object (1 to 1024)
 * @param maxBytesInFlight a cap across all objects this engine reads at once: at most
 *        {@code maxBytesInFlight / chunkSize} ranged requests are in flight in total (at least one chunk)
 */
public record RangeConfig(boolean enabled, long chunkSize, long threshold, int concurrency, long maxBytesInFlight) {
    public static final String ENABLE = "S3DLIO_ENABLE_RANGE_OPTIMIZATION";
    public static final String THRESHOLD_MB = "S3DLIO_RANGE_THRESHOLD_MB";
    public static final String CONCURRENCY = "S3DLIO_RANGE_CONCURRENCY";
    public static final String CHUNK_SIZE = "S3DLIO_RANGE_CHUNK_SIZE";
    public static final String MAX_IN_FLIGHT = "S3DLIO_RANGE_MAX_IN_FLIGHT";

    public static final long MIN_CHUNK = 64 * DataSize.KIB;
    public static final long MAX_CHUNK = DataSize.GIB;
    public static final int MAX_CONCURRENCY = 1024;

    public static final long DEFAULT_CHUNK = 8 * DataSize.MIB;
    public static final long DEFAULT_THRESHOLD = 16 * DataSize.MIB;
    public static final int DEFAULT_CONCURRENCY = 16;
    public static final long DEFAULT_MAX_IN_FLIGHT = 256 * DataSize.MIB;

    /** Schemes served over a network, where the engine is on by default. */
    private static final Set<String> NETWORK_SCHEMES = Set.of("s3", "az", "gs");

    public RangeConfig {
        if (chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new IllegalArgumentException(CHUNK_SIZE + " must be between " + DataSize.format(MIN_CHUNK) + " and "
                    + DataSize.format(MAX_CHUNK) + ": " + chunkSize);
        }
        if (threshold < 0) {
            throw new IllegalArgumentException(THRESHOLD_MB + " must not be negative: " + threshold + " bytes");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException(CONCURRENCY + " must be between 1 and " + MAX_CONCURRENCY + ": " + concurrency);
        }
        if (maxBytesInFlight < chunkSize) {
            throw new IllegalArgumentException(MAX_IN_FLIGHT + " (" + DataSize.format(maxBytesInFlight)
                    + ") must hold at least one chunk (" + DataSize.format(chunkSize) + ")");
        }
    }

    /** The defaults for a store serving {@code schemes}: on for s3, az and gs; off for local and memory stores. */
    public static RangeConfig defaults(Set<String> schemes) {
        boolean network = schemes.stream().anyMatch(NETWORK_SCHEMES::contains);
        return new RangeConfig(network, DEFAULT_CHUNK, DEFAULT_THRESHOLD, DEFAULT_CONCURRENCY, DEFAULT_MAX_IN_FLIGHT);
    }

    /** The defaults for {@code schemes}, overridden by the {@code S3DLIO_RANGE_*} variables that are set. */
    public static RangeConfig fromConfig(ConfigSource config, Set<String> schemes) {
        RangeConfig defaults = defaults(schemes);
        boolean enabled = config.booleanValue(ENABLE).orElse(defaults.enabled());
        long chunk = config.dataSize(CHUNK_SIZE).orElse(defaults.chunkSize());
        long threshold = defaults.threshold();
        if (config.doubleValue(THRESHOLD_MB).isPresent()) {
            double mib = config.doubleValue(THRESHOLD_MB).get();
            if (mib < 0) {
                throw new IllegalArgumentException(THRESHOLD_MB + "='" + mib + "' is not valid: expected a number of MiB >= 0");
            }
            threshold = Math.round(mib * DataSize.MIB);
        }
        int concurrency = config.intValue(CONCURRENCY).orElse(defaults.concurrency());
        long inFlight = config.dataSize(MAX_IN_FLIGHT).orElse(Math.max(defaults.maxBytesInFlight(), chunk));
        return new RangeConfig(enabled, chunk, threshold, concurrency, inFlight);
    }

    /** Ranged requests allowed in flight across all objects. */
    int globalPermits() {
        return (int) Math.min(Integer.MAX_VALUE, maxBytesInFlight / chunkSize);
    }

    @Override
    public String toString() {
        return "RangeConfig[enabled=" + enabled + ", chunkSize=" + DataSize.format(chunkSize) + ", threshold="
                + DataSize.format(threshold) + ", concurrency=" + concurrency + ", maxBytesInFlight="
                + DataSize.format(maxBytesInFlight) + "]";
    }
}
