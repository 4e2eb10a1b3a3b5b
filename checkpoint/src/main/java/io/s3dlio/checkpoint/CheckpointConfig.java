package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Compression;
import io.s3dlio.engine.range.RangeConfig;
import java.time.Clock;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a {@link CheckpointStore} writes and reads.
 *
 * @param layout where new shards go (readers take it from each manifest)
 * @param compression {@link Compression#NONE} or zstd, applied per shard while it streams
 * @param partSize the part size of shard uploads; empty for the store's adaptive policy
 * @param readConcurrency shards read at once by {@link CheckpointStore#readAll}
 * @param range the range engine settings for shard reads; empty for the store's defaults
 * @param clock the wall time recorded in manifests
 */
public record CheckpointConfig(ShardLayout layout, Compression compression, OptionalLong partSize, int readConcurrency,
        Optional<RangeConfig> range, Clock clock) {

    public static final CheckpointConfig DEFAULT = new CheckpointConfig(ShardLayout.FLAT, Compression.NONE,
            OptionalLong.empty(), 8, Optional.empty(), Clock.systemUTC());

    public CheckpointConfig {
        requireNonNull(layout, "layout is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(partSize, "partSize is null");
        requireNonNull(range, "range is null");
        requireNonNull(clock, "clock is null");
        if (readConcurrency < 1 || readConcurrency > 1024) {
            throw new IllegalArgumentException("readConcurrency must be 1..1024: " + readConcurrency);
        }
        if (partSize.isPresent() && partSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("partSize must be positive: " + partSize.getAsLong());
        }
    }

    public CheckpointConfig withLayout(ShardLayout newLayout) {
        return new CheckpointConfig(newLayout, compression, partSize, readConcurrency, range, clock);
    }

    public CheckpointConfig withCompression(Compression newCompression) {
        return new CheckpointConfig(layout, newCompression, partSize, readConcurrency, range, clock);
    }

    public CheckpointConfig withPartSize(long bytes) {
        return new CheckpointConfig(layout, compression, OptionalLong.of(bytes), readConcurrency, range, clock);
    }

    public CheckpointConfig withReadConcurrency(int shards) {
        return new CheckpointConfig(layout, compression, partSize, shards, range, clock);
    }

    public CheckpointConfig withRange(RangeConfig newRange) {
        return new CheckpointConfig(layout, compression, partSize, readConcurrency, Optional.of(newRange), clock);
    }

    public CheckpointConfig withClock(Clock newClock) {
        return new CheckpointConfig(layout, compression, partSize, readConcurrency, range, newClock);
    }

    /** {@code none} or {@code zstd}, as manifests record it. */
    String compressionId() {
        return compression.codec() == Compression.Codec.ZSTD ? "zstd" : "none";
    }
}
