package io.s3dlio.checkpoint;

import io.s3dlio.text.EnumNames;
import java.util.Locale;
import java.util.Map;

/**
 * Where each rank's shard goes under the checkpoint base, as in the original s3dlio. Blob stores split their
 * key space into partitions by key prefix; many ranks writing under one prefix at once can hit one
 * partition's request limits, so two layouts spread the shards over prefixes that differ early in the key.
 * The layout is recorded in each manifest, so readers never have to be told it.
 */
public enum ShardLayout {
    /** {@code shards/ckpt-<step>/rank-<rank>.bin}: every shard of a checkpoint under one prefix. */
    FLAT,
    /** {@code shards/rr/<rank % 16, 2 hex digits>/ckpt-<step>/rank-<rank>.bin}: consecutive ranks on 16 prefixes. */
    ROUND_ROBIN,
    /**
     * {@code shards/bin/<first 4 of the rank's 8+ binary digits>/ckpt-<step>/rank-<rank>.bin}: blocks of 16
     * consecutive ranks share a prefix (the original's "binary" strategy).
     */
    BINARY;

    /** The name used in manifests and on the command line: flat, round_robin or binary. */
    public String id() {
        return EnumNames.name(this);
    }

    /** Parses {@code flat}, {@code round_robin} (or {@code roundrobin}, {@code round-robin}) or {@code binary}, in any case. */
    public static ShardLayout parse(String text) {
        return EnumNames.parse(ShardLayout.class, "shard layout", text, Map.of("roundrobin", ROUND_ROBIN));
    }

    /** The shard key of {@code rank} in checkpoint {@code checkpointId}, relative to the base. */
    String shardKey(String checkpointId, int rank, String extension) {
        String dir = switch (this) {
            case FLAT -> "shards/" + checkpointId;
            case ROUND_ROBIN -> "shards/rr/" + String.format(Locale.ROOT, "%02x", rank % 16) + "/" + checkpointId;
            case BINARY -> {
                String bits = Integer.toBinaryString(rank);
                String padded = bits.length() >= 8 ? bits : "0".repeat(8 - bits.length()) + bits;
                yield "shards/bin/" + padded.substring(0, 4) + "/" + checkpointId;
            }
        };
        return dir + "/rank-" + rank + extension;
    }
}
