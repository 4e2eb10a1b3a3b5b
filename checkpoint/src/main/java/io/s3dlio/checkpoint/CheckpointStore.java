package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.s3dlio.api.Capability;
import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteCondition;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.spi.Crc32c;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sharded training checkpoints under one base location on any store.
 *
 * <h2>Layout (relative to the base)</h2>
 * <pre>
 * latest.json                                   pointer: the newest complete checkpoint
 * manifests/ckpt-&lt;step, 19 digits&gt;.json        one manifest per checkpoint (see {@link Manifest})
 * parts/ckpt-&lt;step&gt;/rank-&lt;rank&gt;.json          what each rank's {@link ShardWriter} stored (for rank 0's finalize)
 * shards/...ckpt-&lt;step&gt;/rank-&lt;rank&gt;.bin[.zst]  the shards, placed by {@link ShardLayout}
 * </pre>
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>A manifest is marked complete only after every rank 0..world-1 has its shard in place with the size
 *       it recorded; a complete checkpoint is never rewritten (saving its step again is refused).</li>
 *   <li>"latest" moves only after the manifest is complete, and never to a lower step. On stores with
 *       {@link Capability#CONDITIONAL_WRITE} each move is a compare-and-set on the pointer's ETag, so racing
 *       finalizers cannot move it backwards; elsewhere the check and the write are two steps (see
 *       docs/CHECKPOINTS.md).</li>
 *   <li>A writer killed at any moment leaves at worst an incomplete checkpoint, which readers skip and
 *       {@link #prune} removes.</li>
 * </ul>
 *
 * <p>Thread-safe. Owns a range engine and an executor of virtual threads named {@code s3dlio-checkpoint-N}
 * (shard reads of {@link #readAll} and {@link #readLatest}, the rank checks of {@link #finalizeCheckpoint});
 * {@link #close()} releases them, not the store.
 */
public final class CheckpointStore implements AutoCloseable {
    static final String LATEST = "latest.json";
    private static final Pattern CHECKPOINT_ID = Pattern.compile("ckpt-(\\d{19})(?=[/.])");
    private static final int LATEST_ATTEMPTS = 64;

    /** Record and shard checks of a finalize in flight at once (small requests; a world of 1024 takes 16 waves). */
    private static final int FINALIZE_CONCURRENCY = 64;

    private final ObjectStore store;
    private final Location base;
    private final CheckpointConfig config;
    private final ShardReads reads;
    private final ExecutorService executor;

    /**
     * @param store the store holding the checkpoints (not closed by this)
     * @param base the base prefix, e.g. {@code s3://bucket/run-7/}; a trailing '/' is added when missing
     */
    public CheckpointStore(ObjectStore store, Location base, CheckpointConfig config) {
        this.store = requireNonNull(store, "store is null");
        this.base = requireNonNull(base, "base is null").asPrefix();
        this.config = requireNonNull(config, "config is null");
        RangeConfig range = config.range().orElseGet(() -> RangeConfig.defaults(store.schemes()));
        this.reads = new ShardReads(store, range);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3dlio-checkpoint-", 0).factory());
    }

    public Location base() {
        return base;
    }

    public CheckpointConfig config() {
        return config;
    }

    // ---- keys ---------------------------------------------------------------------------------------

    static String checkpointId(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative: " + step);
        }
        return String.format(Locale.ROOT, "ckpt-%019d", step);
    }

    Location manifestLocation(long step) {
        return base.resolve("manifests/" + checkpointId(step) + ".json");
    }

    Location rankRecordLocation(long step, int rank) {
        return base.resolve("parts/" + checkpointId(step) + "/rank-" + rank + ".json");
    }

    Location latestLocation() {
        return base.resolve(LATEST);
    }

    /** The location of a shard from its manifest key (relative to the base). */
    public Location shardLocation(ShardInfo shard) {
        return base.resolve(shard.key());
    }

    /** The step a key under the base belongs to, when it holds a checkpoint id. */
    static OptionalLong stepOf(String relativeKey) {
        Matcher m = CHECKPOINT_ID.matcher(relativeKey);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    // ---- writing ------------------------------------------------------------------------------------

    /**
     * Saves a single-rank checkpoint: an incomplete manifest (so a crash leaves something {@link #prune} can
     * name), the shard, the complete manifest, then "latest".
     *
     * @throws IllegalStateException if a complete checkpoint of this step exists
     */
    public Manifest save(long step, long epoch, String framework, ByteBuffer data, Map<String, String> userMetadata)
            throws IOException {
        requireNonNull(data, "data is null");
        Manifest incomplete = new Manifest(Manifest.FORMAT_VERSION, framework, step, epoch, config.clock().instant(), 1,
                config.layout(), config.compressionId(), Manifest.Status.INCOMPLETE, List.of(), userMetadata);
        requireNotComplete(step);
        putSmall(manifestLocation(step), incomplete.toBytes(), WriteCondition.NONE);
        ShardInfo shard;
        try (ShardWriter writer = newShardWriter(step, 0, false)) {
            writer.write(data.duplicate());
            shard = writer.finish();
        }
        return complete(incomplete.withStatus(Manifest.Status.COMPLETE, List.of(shard)));
    }

    /**
     * Opens rank {@code rank}'s streaming writer for checkpoint {@code step}. Every rank (0 included) writes
     * its shard this way and calls {@link ShardWriter#finish}; then rank 0, after a barrier, calls
     * {@link #finalizeCheckpoint}.
     *
     * @throws IllegalStateException if a complete checkpoint of this step exists
     */
    public ShardWriter newShardWriter(long step, int rank) throws IOException {
        requireNotComplete(step);
        return newShardWriter(step, rank, true);
    }

    private ShardWriter newShardWriter(long step, int rank, boolean record) throws IOException {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must not be negative: " + rank);
        }
        String extension = config.compressionId().equals("zstd") ? ".bin.zst" : ".bin";
        String key = config.layout().shardKey(checkpointId(step), rank, extension);
        WriteOptions options = WriteOptions.DEFAULT.withCompression(config.compression())
                .withContentType("application/octet-stream");
        if (config.partSize().isPresent()) {
            options = options.withPartSize(config.partSize().getAsLong());
        }
        Location location = base.resolve(key);
        return new ShardWriter(step, rank, store.newWriter(location, options), (WriteResult result) -> {
            ShardInfo shard = new ShardInfo(rank, key, result.storedBytes(), result.bytesWritten(), result.crc32c());
            if (record) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("format_version", Manifest.FORMAT_VERSION);
                json.put("global_step", step);
                json.put("compression", config.compressionId());
                json.put("layout", config.layout().id());
                json.put("shard", shard.toJson());
                putSmall(rankRecordLocation(step, rank), JsonText.write(json).getBytes(StandardCharsets.UTF_8),
                        WriteCondition.NONE);
            }
            return shard;
        });
    }

    /**
     * Rank 0's last step of a distributed save: reads every rank's record, checks that each shard 0..world-1
     * is stored with the size recorded, writes the complete manifest, then moves "latest" (unless it already
     * names a higher step). Call it once every rank's {@link ShardWriter#finish} has returned.
     *
     * @throws StorageException naming the first rank whose shard is missing or differs
     * @throws IllegalStateException if a complete checkpoint of this step exists
     */
    public Manifest finalizeCheckpoint(long step, long epoch, String framework, int worldSize,
            Map<String, String> userMetadata) throws IOException {
        if (worldSize < 1) {
            throw new IllegalArgumentException("world size must be at least 1: " + worldSize);
        }
        // Every rank's record and shard are checked concurrently (a record GET, then a stat of the shard it names),
        // alongside the check that the step is not complete already: the finalizer's requests before the manifest
        // PUT are two round trips instead of 1 + 2 x world size in series (issue 18: 9 for a 4-rank save, after its
        // shards). Failures are reported as a serial check would report them: the lowest rank's.
        Semaphore permits = new Semaphore(FINALIZE_CONCURRENCY);
        List<Future<RankRecord>> checks = new ArrayList<>(worldSize);
        for (int rank = 0; rank < worldSize; rank++) {
            int r = rank;
            checks.add(executor.submit(() -> {
                permits.acquire();
                try {
                    return checkRank(step, r, worldSize);
                } finally {
                    permits.release();
                }
            }));
        }
        List<ShardInfo> shards = new ArrayList<>(worldSize);
        String compression = null;
        ShardLayout layout = null;
        try {
            requireNotComplete(step);
            for (int rank = 0; rank < worldSize; rank++) {
                RankRecord checked = awaitRank(step, checks.get(rank));
                if (compression == null) {
                    compression = checked.compression();
                    layout = checked.layout();
                } else if (!compression.equals(checked.compression()) || layout != checked.layout()) {
                    throw new CheckpointCorruptException(rankRecordLocation(step, rank), "rank " + rank + "'s record: rank "
                            + rank + " wrote " + checked.layout().id() + "/" + checked.compression() + " but rank 0 wrote "
                            + layout.id() + "/" + compression);
                }
                shards.add(checked.shard());
            }
        } finally {
            checks.forEach(check -> check.cancel(true)); // no-op for those done; stops the rest after a failure
        }
        Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, framework, step, epoch, config.clock().instant(),
                worldSize, layout, compression, Manifest.Status.COMPLETE, shards, userMetadata);
        return complete(manifest);
    }

    /** What one rank's record says, after its shard was found with the recorded size. */
    private record RankRecord(ShardInfo shard, String compression, ShardLayout layout) {}

    /** Reads rank {@code rank}'s record of {@code step} and checks that the shard it names holds the recorded size. */
    private RankRecord checkRank(long step, int rank, int worldSize) throws IOException {
        Location record = rankRecordLocation(step, rank);
        Map<String, Object> json;
        try {
            json = Manifest.object(JsonText.parse(reads.small(record).toUtf8String()), "rank record");
        } catch (ObjectNotFoundException e) {
            throw new StorageException(record, "rank " + rank + " of " + worldSize + " has not finished its shard of"
                    + " step " + step + " (no record at " + record + ")", e);
        } catch (IllegalArgumentException e) {
            throw new CheckpointCorruptException(record, "rank " + rank + "'s record is unreadable: " + e.getMessage(), e);
        }
        RankRecord checked;
        try {
            checked = new RankRecord(ShardInfo.fromJson(json.get("shard")), Manifest.string(json, "compression"),
                    ShardLayout.parse(Manifest.string(json, "layout")));
        } catch (IllegalArgumentException e) {
            throw new CheckpointCorruptException(record, "rank " + rank + "'s record: " + e.getMessage(), e);
        }
        if (checked.shard().rank() != rank) {
            throw new CheckpointCorruptException(record, "record of rank " + rank + " names rank " + checked.shard().rank());
        }
        Location shardLocation = shardLocation(checked.shard());
        long stored;
        try {
            stored = store.stat(shardLocation).size();
        } catch (ObjectNotFoundException e) {
            throw new StorageException(shardLocation, "shard of rank " + rank + " is missing", e);
        }
        if (stored != checked.shard().size()) {
            throw new CheckpointCorruptException(shardLocation, "shard of rank " + rank + " holds " + stored
                    + " bytes; its writer recorded " + checked.shard().size());
        }
        return checked;
    }

    private RankRecord awaitRank(long step, Future<RankRecord> check) throws IOException {
        try {
            return check.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("finalizing checkpoint step " + step + " interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StorageException(base, "finalizing checkpoint step " + step + " failed", e.getCause());
        }
    }

    /** Writes the complete manifest, then moves "latest". */
    private Manifest complete(Manifest manifest) throws IOException {
        putSmall(manifestLocation(manifest.step()), manifest.toBytes(), WriteCondition.NONE);
        moveLatest(manifest);
        return manifest;
    }

    private void requireNotComplete(long step) throws IOException {
        Optional<Manifest> existing = readManifestIfPresent(step);
        if (existing.isPresent() && existing.get().isComplete()) {
            throw new IllegalStateException("checkpoint step " + step + " under " + base
                    + " is already complete; delete it first to save it again");
        }
    }

    /**
     * Points "latest" at {@code manifest} unless it names a step at least as high. With conditional writes
     * this is a compare-and-set loop on the pointer's ETag: read the ETag first, then the content, and write
     * only if the ETag is unchanged; a lost race re-reads.
     *
     * @return whether the pointer moved
     */
    boolean moveLatest(Manifest manifest) throws IOException {
        if (!manifest.isComplete()) {
            throw new IllegalArgumentException("latest never points at an incomplete checkpoint (step " + manifest.step() + ")");
        }
        Location latest = latestLocation();
        boolean conditional = store.capabilities().contains(Capability.CONDITIONAL_WRITE);
        byte[] pointer = pointerBytes(manifest);
        for (int attempt = 0; attempt < LATEST_ATTEMPTS; attempt++) {
            Optional<ObjectInfo> info;
            try {
                info = Optional.of(store.stat(latest));
            } catch (ObjectNotFoundException e) {
                info = Optional.empty();
            }
            if (info.isPresent()) {
                OptionalLong current;
                try {
                    current = OptionalLong.of(pointerStep(reads.small(latest).toUtf8String()));
                } catch (ObjectNotFoundException e) {
                    continue; // deleted between the two reads: look again
                } catch (IllegalArgumentException e) {
                    current = OptionalLong.empty(); // unreadable: replace it
                }
                if (current.isPresent() && current.getAsLong() >= manifest.step()) {
                    return false;
                }
            }
            WriteCondition condition = WriteCondition.NONE;
            if (conditional) {
                if (info.isEmpty()) {
                    condition = WriteCondition.IF_ABSENT;
                } else if (info.get().etag().isPresent()) {
                    condition = WriteCondition.ifMatch(info.get().etag().get());
                }
            }
            try {
                putSmall(latest, pointer, condition);
                return true;
            } catch (PreconditionFailedException e) {
                // Another finalizer moved it since we looked: compare again.
            }
        }
        throw new StorageException(latest, "could not move latest to step " + manifest.step() + " after "
                + LATEST_ATTEMPTS + " contended attempts");
    }

    private byte[] pointerBytes(Manifest manifest) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format_version", Manifest.FORMAT_VERSION);
        json.put("global_step", manifest.step());
        json.put("manifest", "manifests/" + checkpointId(manifest.step()) + ".json");
        json.put("wall_time", manifest.wallTime().toString());
        // A copy of the complete manifest lets readLatest start the shard reads as soon as the pointer is read;
        // the stored manifest is still read (concurrently) and must match it.
        json.put("manifest_copy", manifest.toJsonObject());
        return JsonText.write(json).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What "latest" holds: the step it names and, when the pointer carries one that parses, names that step
     * and is complete, a copy of that step's manifest (pointers written before the copy was added have none).
     */
    record Pointer(long step, Optional<Manifest> manifestCopy) {}

    static Pointer pointer(String text) {
        Map<String, Object> json = Manifest.object(JsonText.parse(text), "latest pointer");
        long version = Manifest.integer(json, "format_version");
        if (version > Manifest.FORMAT_VERSION) {
            throw new IllegalArgumentException("latest pointer format version " + version + " is newer than this library reads");
        }
        long step = Manifest.integer(json, "global_step");
        if (step < 0) {
            throw new IllegalArgumentException("latest pointer names a negative step");
        }
        Optional<Manifest> copy = Optional.empty();
        if (json.get("manifest_copy") != null) {
            try {
                Manifest manifest = Manifest.fromJsonObject(json.get("manifest_copy"));
                if (manifest.isComplete() && manifest.step() == step) {
                    copy = Optional.of(manifest);
                }
            } catch (IllegalArgumentException e) {
                // An unreadable copy is only a missed shortcut: the stored manifest decides.
            }
        }
        return new Pointer(step, copy);
    }

    static long pointerStep(String text) {
        return pointer(text).step();
    }

    private void putSmall(Location location, byte[] bytes, WriteCondition condition) throws IOException {
        store.put(location, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT.withContentType("application/json")
                .withCondition(condition));
    }

    // ---- reading ------------------------------------------------------------------------------------

    /**
     * The newest complete checkpoint: the one "latest" names, or, when the pointer is missing or names
     * something unreadable or incomplete, the highest complete manifest found by listing. Empty when none.
     */
    public Optional<Manifest> loadLatest() throws IOException {
        try {
            long step = pointerStep(reads.small(latestLocation()).toUtf8String());
            Optional<Manifest> manifest = readManifestIfPresent(step);
            if (manifest.isPresent() && manifest.get().isComplete() && manifest.get().step() == step) {
                return manifest;
            }
        } catch (ObjectNotFoundException | IllegalArgumentException | CheckpointCorruptException e) {
            // fall back to the listing
        }
        for (CheckpointEntry entry : list().reversed()) {
            if (entry.isComplete()) {
                return entry.manifest();
            }
        }
        return Optional.empty();
    }

    /**
     * The newest complete checkpoint and all its shards, each checked as {@link #readAll} checks it: what
     * {@code loadLatest()} followed by {@code readAll} returns, sooner. The pointer carries a copy of the
     * manifest it names, so the shard reads start as soon as the pointer is read, while the stored manifest
     * is read to confirm the copy (still there, and equal): its round trip overlaps the shard reads instead
     * of preceding them. When the pointer has no copy (written by an older version), or the stored manifest
     * is gone, unreadable or different, the reads begun are cancelled and this does exactly what
     * {@code loadLatest()} and {@code readAll} do. Empty when there is no complete checkpoint.
     *
     * @throws CheckpointCorruptException naming the shard when one differs from the manifest
     */
    public Optional<RestoredCheckpoint> readLatest() throws IOException {
        Optional<Manifest> copy = Optional.empty();
        try {
            copy = pointer(reads.small(latestLocation()).toUtf8String()).manifestCopy();
        } catch (ObjectNotFoundException | IllegalArgumentException e) {
            // no usable pointer: loadLatest below falls back to the listing
        }
        if (copy.isPresent() && copy.get().isComplete()) {
            Manifest expected = copy.get();
            // The shard reads start here, straight from this thread (not from a task that starts them: one hand-off
            // less between the pointer's answer and the first shard request, which is all the restore has in series).
            List<Future<ByteBuffer>> shards = startShardReads(expected);
            boolean confirmed = false;
            try {
                confirmed = readManifestIfPresent(expected.step()).filter(expected::equals).isPresent();
            } catch (CheckpointCorruptException e) {
                // an unreadable stored manifest: fall back, as loadLatest does
            } finally {
                if (!confirmed) {
                    shards.forEach(shard -> shard.cancel(true));
                }
            }
            if (confirmed) {
                return Optional.of(new RestoredCheckpoint(expected, awaitShards(expected, shards)));
            }
        }
        Optional<Manifest> manifest = loadLatest();
        return manifest.isEmpty() ? Optional.empty()
                : Optional.of(new RestoredCheckpoint(manifest.get(), readAll(manifest.get())));
    }

    /** The step "latest" names, if it names a readable one (no fallback). */
    public OptionalLong latestPointerStep() throws IOException {
        try {
            return OptionalLong.of(pointerStep(reads.small(latestLocation()).toUtf8String()));
        } catch (ObjectNotFoundException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The manifest of {@code step}, complete or not.
     *
     * @throws ObjectNotFoundException if there is none
     * @throws CheckpointCorruptException if it cannot be parsed
     */
    public Manifest load(long step) throws IOException {
        Location location = manifestLocation(step);
        Manifest manifest = parseManifest(location, reads.small(location).toUtf8String());
        if (manifest.step() != step) {
            throw new CheckpointCorruptException(location, "manifest names step " + manifest.step() + ", not " + step);
        }
        return manifest;
    }

    private Optional<Manifest> readManifestIfPresent(long step) throws IOException {
        try {
            return Optional.of(load(step));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    private static Manifest parseManifest(Location location, String text) throws CheckpointCorruptException {
        try {
            return Manifest.fromJson(text);
        } catch (IllegalArgumentException e) {
            throw new CheckpointCorruptException(location, "unreadable manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Rank {@code rank}'s shard, decompressed, after checking its size and CRC32C against the manifest.
     *
     * @throws CheckpointCorruptException naming the shard when it differs
     */
    public ByteBuffer readShard(Manifest manifest, int rank) throws IOException {
        ShardInfo shard = manifest.shard(rank);
        Location location = shardLocation(shard);
        boolean compressed = manifest.compression().equals("zstd");
        // An uncompressed shard is checked against the manifest's CRC32C by the range engine, chunk by chunk as the
        // bytes land (overlapped with the requests still in flight) and with no stat for the store's own checksum:
        // the manifest's value, taken by the writer, covers the whole way from the writer to here. A compressed
        // shard's CRC32C covers the decompressed bytes, so it is checked after decompression.
        if (!compressed && shard.rawSize() != shard.size()) {
            throw new CheckpointCorruptException(location, "shard of rank " + rank + " of step " + manifest.step()
                    + " is uncompressed but the manifest records " + shard.size() + " bytes stored and "
                    + shard.rawSize() + " written");
        }
        ByteBuffer stored;
        try {
            stored = compressed ? reads.shard(location, shard.size()) : reads.shard(location, shard.size(), shard.crc32c());
        } catch (ChecksumMismatchException e) {
            throw new CheckpointCorruptException(location, String.format(Locale.ROOT,
                    "shard of rank %d of step %d differs from the manifest: CRC32C %s, %d bytes; recorded %s, %d bytes",
                    rank, manifest.step(), hex(e.actual()), shard.size(), shard.crc32cHex(), shard.size()), e);
        } catch (StorageException e) {
            if (e instanceof ObjectNotFoundException || e.isRetryable()) {
                throw e; // missing, or a transient failure: not a statement about the shard's bytes
            }
            // The range engine reports a size change or short read; say which shard differs from the manifest.
            throw new CheckpointCorruptException(location, "shard of rank " + rank + " of step " + manifest.step()
                    + " cannot be read as recorded (" + shard.size() + " bytes): " + e.getMessage(), e);
        }
        if (stored.remaining() != shard.size()) {
            throw new CheckpointCorruptException(location, "shard of rank " + rank + " of step " + manifest.step()
                    + " holds " + stored.remaining() + " bytes; the manifest records " + shard.size());
        }
        if (!compressed) {
            return stored.asReadOnlyBuffer(); // size and CRC32C checked by the engine against the manifest
        }
        ByteBuffer raw = decompress(location, stored, shard.rawSize());
        int crc = Crc32cSlices.of(raw, executor);
        if (crc != shard.crc32c() || raw.remaining() != shard.rawSize()) {
            throw new CheckpointCorruptException(location, String.format(Locale.ROOT,
                    "shard of rank %d of step %d differs from the manifest: CRC32C %08x, %d bytes; recorded %s, %d bytes",
                    rank, manifest.step(), crc, raw.remaining(), shard.crc32cHex(), shard.rawSize()));
        }
        return raw.asReadOnlyBuffer();
    }

    /** A CRC32C as the range engine reports it (base64 of the big-endian bytes) in the manifest's form (hex). */
    private static String hex(String base64) {
        OptionalInt crc = Crc32c.parseBase64(base64);
        return crc.isPresent() ? String.format(Locale.ROOT, "%08x", crc.getAsInt()) : base64;
    }

    private static ByteBuffer decompress(Location location, ByteBuffer stored, long rawSize) throws IOException {
        if (rawSize > Integer.MAX_VALUE - 8) {
            throw new StorageException(location, "decompressed shard of " + rawSize + " bytes does not fit one buffer");
        }
        byte[] compressed = new byte[stored.remaining()];
        stored.duplicate().get(compressed);
        try (InputStream in = new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(compressed))) {
            byte[] raw = in.readNBytes((int) rawSize);
            if (in.read() >= 0) {
                throw new CheckpointCorruptException(location, "shard decompresses to more than the recorded " + rawSize + " bytes");
            }
            return ByteBuffer.wrap(raw);
        } catch (CheckpointCorruptException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointCorruptException(location, "shard is not valid zstd: " + e.getMessage(), e);
        }
    }

    /**
     * Every shard, in rank order, read concurrently ({@link CheckpointConfig#readConcurrency()} at a time) and
     * each checked as {@link #readShard} checks it.
     */
    public List<ByteBuffer> readAll(Manifest manifest) throws IOException {
        if (!manifest.isComplete()) {
            throw new IllegalArgumentException("checkpoint step " + manifest.step() + " is incomplete");
        }
        return awaitShards(manifest, startShardReads(manifest));
    }

    /** One task per shard, {@link CheckpointConfig#readConcurrency()} reading at a time, each checked by readShard. */
    private List<Future<ByteBuffer>> startShardReads(Manifest manifest) {
        Semaphore permits = new Semaphore(config.readConcurrency());
        List<Future<ByteBuffer>> futures = new ArrayList<>();
        for (ShardInfo shard : manifest.shards()) {
            futures.add(executor.submit(() -> {
                permits.acquire();
                try {
                    return readShard(manifest, shard.rank());
                } finally {
                    permits.release();
                }
            }));
        }
        return futures;
    }

    /** The shards in rank order; at the first failure the others are cancelled and the failure is thrown. */
    private List<ByteBuffer> awaitShards(Manifest manifest, List<Future<ByteBuffer>> futures) throws IOException {
        List<ByteBuffer> result = new ArrayList<>(futures.size());
        try {
            for (Future<ByteBuffer> future : futures) {
                result.add(future.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("reading checkpoint step " + manifest.step() + " interrupted");
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new StorageException(base, "reading checkpoint step " + manifest.step() + " failed", e.getCause());
        }
        return result;
    }

    /** Checks every shard's size and CRC32C against the manifest; differences are returned, one per shard. */
    public ValidationResult validate(Manifest manifest) throws IOException {
        List<String> problems = new ArrayList<>();
        if (!manifest.isComplete()) {
            problems.add("checkpoint step " + manifest.step() + " is incomplete");
            return new ValidationResult(manifest, problems);
        }
        for (ShardInfo shard : manifest.shards()) {
            try {
                readShard(manifest, shard.rank());
            } catch (CheckpointCorruptException | ObjectNotFoundException e) {
                problems.add(e instanceof ObjectNotFoundException
                        ? "shard of rank " + shard.rank() + " is missing: " + shardLocation(shard) : e.getMessage());
            }
        }
        return new ValidationResult(manifest, problems);
    }

    // ---- managing -----------------------------------------------------------------------------------

    /** Every manifest under the base, by step (lowest first), including incomplete and unreadable ones. */
    public List<CheckpointEntry> list() throws IOException {
        Map<Long, Location> manifests = new TreeMap<>();
        try (Stream<ListEntry> entries = store.list(base.resolve("manifests/"), ListMode.RECURSIVE)) {
            entries.forEach(entry -> {
                if (entry instanceof ListEntry.ObjectEntry object) {
                    String name = object.location().name();
                    OptionalLong step = stepOf(name);
                    if (step.isPresent() && name.equals(checkpointId(step.getAsLong()) + ".json")) {
                        manifests.put(step.getAsLong(), object.location());
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<CheckpointEntry> result = new ArrayList<>();
        for (Map.Entry<Long, Location> entry : manifests.entrySet()) {
            try {
                Manifest manifest = load(entry.getKey());
                result.add(new CheckpointEntry(entry.getKey(), entry.getValue(), Optional.of(manifest), Optional.empty()));
            } catch (CheckpointCorruptException e) {
                result.add(new CheckpointEntry(entry.getKey(), entry.getValue(), Optional.empty(),
                        Optional.of(e.getMessage())));
            } catch (ObjectNotFoundException e) {
                // deleted since the listing
            }
        }
        return result;
    }

    /**
     * Deletes checkpoint {@code step}: the manifest first (so no manifest ever names missing shards), then
     * its shards and rank records. Failures are returned; if the manifest cannot be deleted nothing else is.
     */
    public CheckpointDeleteResult delete(long step) throws IOException {
        List<DeleteResult.Failure> failures = new ArrayList<>();
        long deleted = 0;
        Location manifest = manifestLocation(step);
        try {
            boolean existed = store.exists(manifest);
            store.delete(manifest);
            deleted += existed ? 1 : 0;
        } catch (IOException e) {
            failures.add(new DeleteResult.Failure(manifest, String.valueOf(e.getMessage())));
            return new CheckpointDeleteResult(List.of(), deleted, failures);
        }
        for (Location prefix : objectPrefixes(step)) {
            try {
                DeleteResult result = store.deletePrefix(prefix);
                deleted += result.deleted();
                failures.addAll(result.failures());
            } catch (IOException e) {
                failures.add(new DeleteResult.Failure(prefix, String.valueOf(e.getMessage())));
            }
        }
        return new CheckpointDeleteResult(failures.isEmpty() ? List.of(step) : List.of(), deleted, failures);
    }

    /** Every prefix that can hold objects of checkpoint {@code step}, whatever layout wrote it. */
    private List<Location> objectPrefixes(long step) {
        String id = checkpointId(step);
        List<Location> prefixes = new ArrayList<>();
        prefixes.add(base.resolve("parts/" + id + "/"));
        prefixes.add(base.resolve("shards/" + id + "/"));
        for (int i = 0; i < 16; i++) {
            prefixes.add(base.resolve("shards/rr/" + String.format(Locale.ROOT, "%02x", i) + "/" + id + "/"));
            String bits = Integer.toBinaryString(i);
            prefixes.add(base.resolve("shards/bin/" + "0".repeat(4 - bits.length()) + bits + "/" + id + "/"));
        }
        return prefixes;
    }

    /**
     * Keep-last-N retention: deletes every complete checkpoint but the {@code keep} newest, and never the one
     * "latest" names. Incomplete checkpoints are left to {@link #prune}.
     */
    public CheckpointDeleteResult retain(int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one checkpoint: " + keep);
        }
        OptionalLong pointed = latestPointerStep();
        List<Long> complete = list().stream().filter(CheckpointEntry::isComplete).map(CheckpointEntry::step)
                .sorted(Comparator.reverseOrder()).toList();
        List<Long> steps = new ArrayList<>();
        List<DeleteResult.Failure> failures = new ArrayList<>();
        long deleted = 0;
        for (long step : complete.subList(Math.min(keep, complete.size()), complete.size())) {
            if (pointed.isPresent() && pointed.getAsLong() == step) {
                continue;
            }
            CheckpointDeleteResult result = delete(step);
            steps.addAll(result.steps());
            deleted += result.objectsDeleted();
            failures.addAll(result.failures());
        }
        return new CheckpointDeleteResult(steps, deleted, failures);
    }

    /** Which leftovers {@link #leftovers} and {@link #prune} consider. */
    public enum PruneScope {
        /**
         * Only steps below the newest complete checkpoint: safe while a job is saving, since a save in
         * progress is always above it.
         */
        OLDER_THAN_LATEST,
        /** Every step without a complete manifest; only when no job is saving under this base. */
        ALL
    }

    /**
     * What killed or failed saves left: for each step with objects but no complete manifest, those objects.
     * (A multipart upload that was never completed is not an object; on S3, a lifecycle rule that aborts
     * incomplete uploads removes those. On file://, a killed writer's hidden temporary file is not listed.)
     */
    public List<Leftover> leftovers(PruneScope scope) throws IOException {
        requireNonNull(scope, "scope is null");
        Map<Long, List<ListEntry.ObjectEntry>> byStep = new TreeMap<>();
        try (Stream<ListEntry> entries = store.list(base, ListMode.RECURSIVE)) {
            entries.forEach(entry -> {
                if (entry instanceof ListEntry.ObjectEntry object) {
                    String relative = object.location().key().substring(base.key().length());
                    OptionalLong step = stepOf(relative);
                    if (step.isPresent()) {
                        byStep.computeIfAbsent(step.getAsLong(), s -> new ArrayList<>()).add(object);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        long newestComplete = -1;
        List<Leftover> leftovers = new ArrayList<>();
        Map<Long, Boolean> completeness = new TreeMap<>();
        for (long step : byStep.keySet()) {
            boolean complete;
            try {
                complete = load(step).isComplete();
            } catch (ObjectNotFoundException | CheckpointCorruptException e) {
                complete = false;
            }
            completeness.put(step, complete);
            if (complete) {
                newestComplete = Math.max(newestComplete, step);
            }
        }
        for (Map.Entry<Long, List<ListEntry.ObjectEntry>> entry : byStep.entrySet()) {
            long step = entry.getKey();
            if (completeness.get(step) || (scope == PruneScope.OLDER_THAN_LATEST && step > newestComplete)) {
                continue;
            }
            List<Location> objects = entry.getValue().stream().map(ListEntry.ObjectEntry::location).toList();
            long bytes = entry.getValue().stream().mapToLong(ListEntry.ObjectEntry::size).sum();
            leftovers.add(new Leftover(step, objects, bytes));
        }
        return leftovers;
    }

    /** Deletes what {@link #leftovers} lists; failures are returned. */
    public CheckpointDeleteResult prune(PruneScope scope) throws IOException {
        List<Long> steps = new ArrayList<>();
        List<DeleteResult.Failure> failures = new ArrayList<>();
        long deleted = 0;
        for (Leftover leftover : leftovers(scope)) {
            long before = failures.size();
            for (Location object : leftover.objects()) {
                try {
                    store.delete(object);
                    deleted++;
                } catch (IOException e) {
                    failures.add(new DeleteResult.Failure(object, String.valueOf(e.getMessage())));
                }
            }
            if (failures.size() == before) {
                steps.add(leftover.step());
            }
        }
        return new CheckpointDeleteResult(steps, deleted, failures);
    }

    /** Stops the reader threads; idempotent. Does not close the store. */
    @Override
    public void close() {
        executor.shutdownNow();
        reads.close();
    }
}
