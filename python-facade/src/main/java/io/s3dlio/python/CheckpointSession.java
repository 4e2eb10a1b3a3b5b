package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.checkpoint.CheckpointDeleteResult;
import io.s3dlio.checkpoint.CheckpointEntry;
import io.s3dlio.checkpoint.CheckpointStore;
import io.s3dlio.checkpoint.Leftover;
import io.s3dlio.checkpoint.Manifest;
import io.s3dlio.checkpoint.ShardInfo;
import io.s3dlio.checkpoint.ValidationResult;
import io.s3dlio.text.JsonStrings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CheckpointStore} for Python ({@code s3dlio.checkpoint.CheckpointStore}). Manifests and listings cross
 * the bridge as JSON text (one string per call; Python parses it), shards as {@link Blob}s that Python copies once
 * into memory it owns. Python hands a manifest back as the JSON it received, so reading a shard of a manifest it
 * holds costs no second GET. Every failure is a {@link FacadeException} naming the base or the object.
 */
public final class CheckpointSession implements AutoCloseable {
    private final String uri;
    private final CheckpointStore store;

    CheckpointSession(String uri, CheckpointStore store) {
        this.uri = requireNonNull(uri, "uri is null");
        this.store = requireNonNull(store, "store is null");
    }

    /** The base, as the store renders it (with a trailing '/'). */
    public String base() {
        return store.base().toString();
    }

    /** A single-rank save of the remaining bytes of {@code data}; returns the complete manifest's JSON. */
    public String save(long step, long epoch, String framework, ByteBuffer data, String[] metaKeys, String[] metaValues)
            throws FacadeException {
        try {
            return store.save(step, epoch, framework, data, metadata(metaKeys, metaValues)).toJson();
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Rank {@code rank}'s streaming writer for {@code step}. */
    public Shard openShard(long step, int rank) throws FacadeException {
        try {
            return new Shard(uri, store.newShardWriter(step, rank));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Rank 0's finalize of a distributed save; returns the complete manifest's JSON. */
    public String finalizeCheckpoint(long step, long epoch, String framework, int worldSize, String[] metaKeys,
            String[] metaValues) throws FacadeException {
        try {
            return store.finalizeCheckpoint(step, epoch, framework, worldSize, metadata(metaKeys, metaValues)).toJson();
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** The newest complete checkpoint's manifest JSON, or null when there is none. */
    public String loadLatest() throws FacadeException {
        try {
            return store.loadLatest().map(Manifest::toJson).orElse(null);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** The manifest JSON of {@code step}, complete or not (NOT_FOUND when there is none). */
    public String load(long step) throws FacadeException {
        try {
            return store.load(step).toJson();
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Rank {@code rank}'s shard of the manifest given as JSON, size and CRC32C checked. */
    public Blob readShard(String manifestJson, int rank) throws FacadeException {
        try {
            Manifest manifest = Manifest.fromJson(manifestJson);
            ByteBuffer shard = store.readShard(manifest, rank);
            return new Blob(List.of(store.shardLocation(manifest.shard(rank)).toString()),
                    List.of(ObjectBytes.wrap(shard)));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Every shard of the manifest given as JSON, read concurrently, in rank order, each checked. */
    public Blob readAll(String manifestJson) throws FacadeException {
        try {
            Manifest manifest = Manifest.fromJson(manifestJson);
            List<ByteBuffer> shards = store.readAll(manifest);
            List<String> uris = new ArrayList<>(shards.size());
            List<ObjectBytes> parts = new ArrayList<>(shards.size());
            for (int rank = 0; rank < shards.size(); rank++) {
                uris.add(store.shardLocation(manifest.shard(rank)).toString());
                parts.add(ObjectBytes.wrap(shards.get(rank)));
            }
            return new Blob(uris, parts);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Each shard that differs from the manifest, one line naming it; empty when every shard matches. */
    public String[] validate(String manifestJson) throws FacadeException {
        try {
            ValidationResult result = store.validate(Manifest.fromJson(manifestJson));
            return result.problems().toArray(String[]::new);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /**
     * Every manifest under the base, lowest step first, as a JSON array of
     * {@code {"step": n, "manifest": {...}}} or {@code {"step": n, "problem": "..."}}.
     */
    public String list() throws FacadeException {
        try {
            StringBuilder out = new StringBuilder("[");
            for (CheckpointEntry entry : store.list()) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append("{\"step\":").append(entry.step()).append(',');
                if (entry.manifest().isPresent()) {
                    out.append("\"manifest\":").append(entry.manifest().get().toJson());
                } else {
                    out.append("\"problem\":");
                    JsonStrings.appendQuoted(out, entry.problem().orElse(""));
                }
                out.append('}');
            }
            return out.append(']').toString();
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** The step "latest" names, or -1 when it names none that is readable (no fallback). */
    public long latestPointerStep() throws FacadeException {
        try {
            return store.latestPointerStep().orElse(-1);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Deletes checkpoint {@code step}; failures are returned. */
    public Failures delete(long step) throws FacadeException {
        try {
            return failures(store.delete(step));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Keeps the {@code keep} newest complete checkpoints; failures are returned. */
    public Failures retain(int keep) throws FacadeException {
        try {
            return failures(store.retain(keep));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /**
     * What killed saves left, as a JSON array of {@code {"step": n, "bytes": n, "objects": [uri, ...]}};
     * {@code all} widens the scope from the steps below the newest complete one to every step.
     */
    public String leftovers(boolean all) throws FacadeException {
        try {
            StringBuilder out = new StringBuilder("[");
            for (Leftover leftover : store.leftovers(scope(all))) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append("{\"step\":").append(leftover.step()).append(",\"bytes\":").append(leftover.bytes())
                        .append(",\"objects\":[");
                for (int i = 0; i < leftover.objects().size(); i++) {
                    JsonStrings.appendQuoted(out.append(i == 0 ? "" : ","), leftover.objects().get(i).toString());
                }
                out.append("]}");
            }
            return out.append(']').toString();
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Deletes what {@link #leftovers} lists; failures are returned. */
    public Failures prune(boolean all) throws FacadeException {
        try {
            return failures(store.prune(scope(all)));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Releases the store's reader threads (not the underlying object store). Idempotent. */
    @Override
    public void close() {
        store.close();
    }

    private static CheckpointStore.PruneScope scope(boolean all) {
        return all ? CheckpointStore.PruneScope.ALL : CheckpointStore.PruneScope.OLDER_THAN_LATEST;
    }

    private static Map<String, String> metadata(String[] keys, String[] values) {
        if (keys == null || keys.length == 0) {
            return Map.of();
        }
        if (values == null || values.length != keys.length) {
            throw new IllegalArgumentException("user metadata: " + keys.length + " keys but "
                    + (values == null ? 0 : values.length) + " values");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            map.put(requireNonNull(keys[i], "metadata key is null"), requireNonNull(values[i], "metadata value is null"));
        }
        return map;
    }

    private static Failures failures(CheckpointDeleteResult result) {
        List<String> failed = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        for (DeleteResult.Failure failure : result.failures()) {
            failed.add(failure.location().toString());
            causes.add(failure.cause());
        }
        return new Failures(result.steps().size(), failed, causes);
    }

    /**
     * One rank's shard being written: {@link #write} any number of times, then {@link #finish} or
     * {@link #abort}. Not thread-safe.
     */
    public static final class Shard {
        private final io.s3dlio.checkpoint.ShardWriter writer;
        private final String name;

        Shard(String base, io.s3dlio.checkpoint.ShardWriter writer) {
            this.writer = writer;
            this.name = base + " (shard of rank " + writer.rank() + " of step " + writer.step() + ")";
        }

        /** Writes the remaining bytes of {@code data}. */
        public void write(ByteBuffer data) throws FacadeException {
            try {
                writer.write(data);
            } catch (IOException | RuntimeException e) {
                throw Errors.translate(name, e);
            }
        }

        public long bytesWritten() {
            return writer.bytesWritten();
        }

        /**
         * Stores the shard and its rank record; returns what the manifest will hold for it, as JSON
         * ({@code rank}, {@code key}, {@code size}, {@code raw_size}, {@code crc32c}).
         */
        public String finish() throws FacadeException {
            ShardInfo shard = Errors.thenClose(name, writer::finish, writer);
            StringBuilder out = new StringBuilder("{\"rank\":").append(shard.rank()).append(",\"key\":");
            JsonStrings.appendQuoted(out, shard.key());
            return out.append(",\"size\":").append(shard.size()).append(",\"raw_size\":").append(shard.rawSize())
                    .append(",\"crc32c\":\"").append(shard.crc32cHex()).append("\"}").toString();
        }

        /** Discards the shard; idempotent. */
        public void abort() throws FacadeException {
            Errors.thenClose(name, () -> {
                writer.abort();
                return null;
            }, writer);
        }
    }
}
