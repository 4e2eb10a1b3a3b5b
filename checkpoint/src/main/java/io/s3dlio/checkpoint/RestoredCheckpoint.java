package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A complete checkpoint and every shard of it, each checked against the manifest
 * ({@link CheckpointStore#readLatest}).
 *
 * @param manifest the checkpoint read
 * @param shards one read-only buffer per rank, in rank order, decompressed
 */
public record RestoredCheckpoint(Manifest manifest, List<ByteBuffer> shards) {
    public RestoredCheckpoint {
        requireNonNull(manifest, "manifest is null");
        shards = List.copyOf(shards);
    }
}
