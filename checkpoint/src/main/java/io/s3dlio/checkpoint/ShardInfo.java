package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One rank's shard as the manifest records it.
 *
 * @param rank the rank that wrote it, 0..worldSize-1
 * @param key its key relative to the checkpoint base
 * @param size bytes stored (after compression, when the checkpoint is compressed)
 * @param rawSize bytes the rank wrote (before compression)
 * @param crc32c CRC32C of the bytes the rank wrote (before compression)
 */
public record ShardInfo(int rank, String key, long size, long rawSize, int crc32c) {
    public ShardInfo {
        requireNonNull(key, "key is null");
        if (rank < 0) {
            throw new IllegalArgumentException("rank is negative: " + rank);
        }
        if (size < 0 || rawSize < 0) {
            throw new IllegalArgumentException("shard sizes must not be negative: " + size + ", " + rawSize);
        }
        if (key.isEmpty() || key.startsWith("/") || key.contains("..")) {
            throw new IllegalArgumentException("shard key must be a plain relative key: '" + key + "'");
        }
    }

    /** The CRC32C as 8 lower-case hex digits, as the manifest stores it. */
    public String crc32cHex() {
        return String.format(Locale.ROOT, "%08x", crc32c);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("rank", rank);
        json.put("key", key);
        json.put("size", size);
        json.put("raw_size", rawSize);
        json.put("crc32c", crc32cHex());
        return json;
    }

    static ShardInfo fromJson(Object value) {
        Map<String, Object> json = Manifest.object(value, "shard");
        String crc = Manifest.string(json, "crc32c");
        if (crc.length() != 8) {
            throw new IllegalArgumentException("shard crc32c must be 8 hex digits: '" + crc + "'");
        }
        return new ShardInfo(Math.toIntExact(Manifest.integer(json, "rank")), Manifest.string(json, "key"),
                Manifest.integer(json, "size"), Manifest.integer(json, "raw_size"),
                (int) Long.parseLong(crc, 16));
    }
}
