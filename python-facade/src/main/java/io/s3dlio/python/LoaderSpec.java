package io.s3dlio.python;

/**
 * The Python loader options (the original s3dlio keys), already type-checked by the Python package; bounds are
 * checked by {@link io.s3dlio.loader.LoaderOptions} and the range engine's config. A {@code null} means "the
 * Java default" (environment, launcher variables, tuning policy).
 *
 * @param batchSize items per batch ({@code batch_size})
 * @param dropLast drop each shard's final short batch ({@code drop_last})
 * @param shuffle shuffled order ({@code shuffle})
 * @param seed shuffle seed, mixed with the epoch number ({@code seed})
 * @param numWorkers fetches in flight ({@code num_workers}); null: {@code S3DLIO_LOADER_NUM_WORKERS} or the policy
 * @param prefetch batches fetched ahead ({@code prefetch})
 * @param shardRank this process's rank ({@code shard_rank}); null with {@code shardWorldSize}: launcher variables
 * @param shardWorldSize the number of ranks ({@code shard_world_size})
 * @param readerMode {@code sequential} (one request per item) or {@code range} (concurrent ranged parts)
 * @param partSize bytes per ranged part in range mode ({@code part_size})
 * @param maxInflightParts ranged parts in flight per item in range mode ({@code max_inflight_parts})
 * @param records null for whole objects as items; {@code tfrecord} (each TFRecord record) or {@code npz} (each NPZ
 *     member's NPY bytes) for record-level items ({@code records})
 */
public record LoaderSpec(int batchSize, boolean dropLast, boolean shuffle, long seed, Integer numWorkers,
        int prefetch, Integer shardRank, Integer shardWorldSize, String readerMode, long partSize,
        int maxInflightParts, String records) {
}
