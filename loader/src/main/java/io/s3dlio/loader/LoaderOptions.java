package io.s3dlio.loader;

import io.s3dlio.engine.tuning.ConcurrencyPolicy;
import io.s3dlio.engine.tuning.TuningConfig;
import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of a {@link DataLoader}, validated. Build with {@link #builder(ConfigSource)}: the source supplies
 * the environment defaults ({@code S3DLIO_LOADER_NUM_WORKERS}, and rank/world size from the launcher when
 * {@link Builder#shard} is not called); a value set on the builder always wins.
 *
 * @param batchSize items per batch (1 to 1,000,000); batches are always lists, even of one item
 * @param numWorkers fetches kept in flight at once (1 to 4096), within and across batch boundaries
 * @param prefetch batches that may be fetched or ready ahead of the consumer (1 to 1024); memory held by
 *        an epoch is at most {@code prefetch * batchSize} items
 * @param order sequential or shuffled
 * @param seed the shuffle seed (mixed with the epoch number); ignored for {@link Order#SEQUENTIAL}
 * @param lastBatch keep or drop each shard's final short batch
 * @param shard this process's rank and world size
 * @param itemTimeout how long one item's fetch may take before it fails (empty: no limit)
 * @param errorPolicy fail fast or skip and report
 */
public record LoaderOptions(int batchSize, int numWorkers, int prefetch, Order order, long seed, LastBatch lastBatch,
        Shard shard, Optional<Duration> itemTimeout, ErrorPolicy errorPolicy) {

    /** Environment variable overriding the default {@link #numWorkers}. */
    public static final String NUM_WORKERS_VARIABLE = TuningConfig.LOADER_NUM_WORKERS;
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final int DEFAULT_NUM_WORKERS = TuningConfig.DEFAULT_LOADER_WORKERS;
    public static final int DEFAULT_PREFETCH = 4;
    static final int MAX_BATCH_SIZE = 1_000_000;
    static final int MAX_WORKERS = 4096;
    static final int MAX_PREFETCH = 1024;

    public LoaderOptions {
        requireNonNull(order, "order is null");
        requireNonNull(lastBatch, "lastBatch is null");
        requireNonNull(shard, "shard is null");
        requireNonNull(itemTimeout, "itemTimeout is null");
        requireNonNull(errorPolicy, "errorPolicy is null");
        checkRange("batchSize", batchSize, 1, MAX_BATCH_SIZE);
        checkRange("numWorkers", numWorkers, 1, MAX_WORKERS);
        checkRange("prefetch", prefetch, 1, MAX_PREFETCH);
        if ((long) batchSize * prefetch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("batchSize * prefetch must fit in 32 bits, got " + batchSize + " * " + prefetch);
        }
        if (itemTimeout.isPresent() && (itemTimeout.get().isNegative() || itemTimeout.get().isZero())) {
            throw new IllegalArgumentException("itemTimeout must be positive, got " + itemTimeout.get());
        }
    }

    private static void checkRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** A builder whose defaults come from {@code config} (environment) and then from the constants here. */
    public static Builder builder(ConfigSource config) {
        return new Builder(config);
    }

    /** Builder; every setter validates when {@link #build()} runs. */
    public static final class Builder {
        private final ConfigSource config;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Optional<Integer> numWorkers = Optional.empty();
        private int prefetch = DEFAULT_PREFETCH;
        private Order order = Order.SEQUENTIAL;
        private long seed;
        private LastBatch lastBatch = LastBatch.KEEP;
        private Optional<Shard> shard = Optional.empty();
        private Optional<Duration> itemTimeout = Optional.empty();
        private ErrorPolicy errorPolicy = ErrorPolicy.FAIL_FAST;

        private Builder(ConfigSource config) {
            this.config = requireNonNull(config, "config is null");
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** Concurrent fetches; wins over {@code S3DLIO_LOADER_NUM_WORKERS}. */
        public Builder numWorkers(int value) {
            this.numWorkers = Optional.of(value);
            return this;
        }

        public Builder prefetch(int batches) {
            this.prefetch = batches;
            return this;
        }

        /** Shuffled order derived from {@code value} and the epoch number. */
        public Builder shuffle(long value) {
            this.order = Order.SHUFFLED;
            this.seed = value;
            return this;
        }

        public Builder order(Order value) {
            this.order = requireNonNull(value, "order is null");
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder lastBatch(LastBatch value) {
            this.lastBatch = requireNonNull(value, "lastBatch is null");
            return this;
        }

        /** Rank and world size; wins over the launcher's variables. */
        public Builder shard(int rank, int worldSize) {
            this.shard = Optional.of(new Shard(rank, worldSize));
            return this;
        }

        public Builder shard(Shard value) {
            this.shard = Optional.of(requireNonNull(value, "shard is null"));
            return this;
        }

        public Builder itemTimeout(Duration value) {
            this.itemTimeout = Optional.of(requireNonNull(value, "itemTimeout is null"));
            return this;
        }

        public Builder errorPolicy(ErrorPolicy value) {
            this.errorPolicy = requireNonNull(value, "errorPolicy is null");
            return this;
        }

        /**
         * The options, with unset workers and shard taken from the configuration and the launcher.
         *
         * @throws IllegalArgumentException naming the setting or environment variable that is out of bounds
         */
        public LoaderOptions build() {
            int workers = numWorkers.isPresent() ? numWorkers.get() : workersFromConfig();
            Shard resolved = shard.isPresent() ? shard.get() : Shard.fromLaunchers(config).orElse(Shard.WHOLE);
            return new LoaderOptions(batchSize, workers, prefetch, order, seed, lastBatch, resolved, itemTimeout,
                    errorPolicy);
        }

        private int workersFromConfig() {
            // The one tuning mapper owns S3DLIO_LOADER_NUM_WORKERS (default 8, bounds checked there).
            return ConcurrencyPolicy.forThisMachine(TuningConfig.from(config)).loaderWorkers();
        }
    }
}
