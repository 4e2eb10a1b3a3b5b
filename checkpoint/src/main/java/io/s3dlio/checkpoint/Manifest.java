package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one checkpoint holds: the versioned JSON document at {@code manifests/ckpt-<step>.json}. The format is
 * described in docs/CHECKPOINTS.md; readers refuse a format version newer than {@link #FORMAT_VERSION}.
 *
 * @param formatVersion the format this manifest was written in
 * @param framework free text naming the training framework (torch, jax, ...)
 * @param step the global step, the checkpoint's identity
 * @param epoch the training epoch
 * @param wallTime when the manifest was written
 * @param worldSize how many ranks wrote shards
 * @param layout where the shards are
 * @param compression {@code none} or {@code zstd}
 * @param status incomplete until every shard is present; complete checkpoints are never changed
 * @param shards one per rank, in rank order (empty while incomplete)
 * @param userMetadata free-form strings from the caller
 */
public record Manifest(
        int formatVersion,
        String framework,
        long step,
        long epoch,
        Instant wallTime,
        int worldSize,
        ShardLayout layout,
        String compression,
        Status status,
        List<ShardInfo> shards,
        Map<String, String> userMetadata) {

    /** The format version this library writes. */
    public static final int FORMAT_VERSION = 1;

    /** Whether every shard is in place. */
    public enum Status {
        INCOMPLETE, COMPLETE;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Manifest {
        requireNonNull(framework, "framework is null");
        requireNonNull(wallTime, "wallTime is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(compression, "compression is null");
        requireNonNull(status, "status is null");
        shards = List.copyOf(requireNonNull(shards, "shards is null")).stream()
                .sorted(Comparator.comparingInt(ShardInfo::rank)).toList();
        userMetadata = Map.copyOf(requireNonNull(userMetadata, "userMetadata is null"));
        if (formatVersion < 1) {
            throw new IllegalArgumentException("format version must be at least 1: " + formatVersion);
        }
        if (step < 0 || epoch < 0) {
            throw new IllegalArgumentException("step and epoch must not be negative: " + step + ", " + epoch);
        }
        if (worldSize < 1) {
            throw new IllegalArgumentException("world size must be at least 1: " + worldSize);
        }
        if (!compression.equals("none") && !compression.equals("zstd")) {
            throw new IllegalArgumentException("compression must be none or zstd: '" + compression + "'");
        }
        if (status == Status.COMPLETE) {
            if (shards.size() != worldSize) {
                throw new IllegalArgumentException("a complete checkpoint of world size " + worldSize + " needs "
                        + worldSize + " shards, not " + shards.size());
            }
            for (int rank = 0; rank < worldSize; rank++) {
                if (shards.get(rank).rank() != rank) {
                    throw new IllegalArgumentException("a complete checkpoint needs one shard per rank 0.."
                            + (worldSize - 1) + "; rank " + rank + " is missing or repeated");
                }
            }
        }
    }

    public boolean isComplete() {
        return status == Status.COMPLETE;
    }

    /** Bytes stored across all shards. */
    public long storedBytes() {
        return shards.stream().mapToLong(ShardInfo::size).sum();
    }

    /** Bytes the ranks wrote across all shards (before compression). */
    public long rawBytes() {
        return shards.stream().mapToLong(ShardInfo::rawSize).sum();
    }

    /** The shard of {@code rank}. */
    public ShardInfo shard(int rank) {
        if (rank < 0 || rank >= shards.size() || shards.get(rank).rank() != rank) {
            throw new IllegalArgumentException("checkpoint step " + step + " has no shard for rank " + rank
                    + " (world size " + worldSize + ", " + shards.size() + " shards recorded)");
        }
        return shards.get(rank);
    }

    Manifest withStatus(Status newStatus, List<ShardInfo> newShards) {
        return new Manifest(formatVersion, framework, step, epoch, wallTime, worldSize, layout, compression, newStatus,
                newShards, userMetadata);
    }

    /** The manifest as the JSON document stored. */
    public String toJson() {
        return JsonText.write(toJsonObject());
    }

    /** The manifest as a JSON object (maps and lists), for documents that embed it (the latest pointer). */
    Map<String, Object> toJsonObject() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", formatVersion);
        json.put("framework", framework);
        json.put("global_step", step);
        json.put("epoch", epoch);
        json.put("wall_time", wallTime.toString());
        json.put("world_size", worldSize);
        json.put("layout", layout.id());
        json.put("compression", compression);
        json.put("status", status.id());
        List<Object> shardList = new ArrayList<>();
        shards.forEach(shard -> shardList.add(shard.toJson()));
        json.put("shards", shardList);
        json.put("user_metadata", new TreeMap<>(userMetadata));
        return json;
    }

    byte[] toBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a manifest.
     *
     * @throws IllegalArgumentException naming what is wrong: malformed JSON, a missing or mistyped field, or a
     *         format version newer than this library reads
     */
    public static Manifest fromJson(String text) {
        return fromJsonObject(JsonText.parse(text));
    }

    /** Parses a manifest already parsed as JSON (maps and lists), as {@link #fromJson} does. */
    static Manifest fromJsonObject(Object parsed) {
        Map<String, Object> json = object(parsed, "manifest");
        long version = integer(json, "format_version");
        if (version > FORMAT_VERSION) {
            throw new IllegalArgumentException("manifest format version " + version + " is newer than this library"
                    + " reads (" + FORMAT_VERSION + "); upgrade s3dlio");
        }
        Object shardsValue = json.get("shards");
        if (!(shardsValue instanceof List<?> shardList)) {
            throw new IllegalArgumentException("manifest field 'shards' must be an array");
        }
        List<ShardInfo> shards = new ArrayList<>();
        for (Object shard : shardList) {
            shards.add(ShardInfo.fromJson(shard));
        }
        Map<String, String> user = new LinkedHashMap<>();
        Object userValue = json.getOrDefault("user_metadata", Map.of());
        for (Map.Entry<String, Object> entry : object(userValue, "user_metadata").entrySet()) {
            if (!(entry.getValue() instanceof String value)) {
                throw new IllegalArgumentException("user_metadata values must be strings: '" + entry.getKey() + "'");
            }
            user.put(entry.getKey(), value);
        }
        String statusText = string(json, "status");
        Status status = switch (statusText) {
            case "complete" -> Status.COMPLETE;
            case "incomplete" -> Status.INCOMPLETE;
            default -> throw new IllegalArgumentException("manifest status must be complete or incomplete: '"
                    + statusText + "'");
        };
        Instant wallTime;
        try {
            wallTime = Instant.parse(string(json, "wall_time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("manifest wall_time is not an ISO-8601 instant: " + e.getMessage(), e);
        }
        return new Manifest((int) version, string(json, "framework"), integer(json, "global_step"),
                integer(json, "epoch"), wallTime, Math.toIntExact(integer(json, "world_size")),
                ShardLayout.parse(string(json, "layout")), string(json, "compression"), status, shards, user);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object value, String what) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(what + " must be a JSON object");
        }
        return (Map<String, Object>) value;
    }

    static String string(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof String value)) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not a string");
        }
        return value;
    }

    static long integer(Map<String, Object> json, String field) {
        if (!(json.get(field) instanceof Long value)) {
            throw new IllegalArgumentException("field '" + field + "' is missing or not an integer");
        }
        return value;
    }
}
