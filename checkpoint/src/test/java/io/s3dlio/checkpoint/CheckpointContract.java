package io.s3dlio.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Compression;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteCondition;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.engine.range.RangeConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What every store must do for checkpoints; one small subclass per environment. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CheckpointContract {
    private CheckpointEnvironment environment;

    /** Starts this class's environment (its server, where it has one), once for all its tests; failing loudly. */
    abstract CheckpointEnvironment startEnvironment();

    @BeforeAll
    final void startAll() {
        environment = startEnvironment();
    }

    @AfterAll
    final void stopAll() throws Exception {
        if (environment != null) {
            environment.close();
        }
    }

    final CheckpointEnvironment env() {
        return environment;
    }

    static Stream<Arguments> layoutsAndCompression() {
        List<Arguments> all = new ArrayList<>();
        for (ShardLayout layout : ShardLayout.values()) {
            all.add(Arguments.of(layout, Compression.NONE));
            all.add(Arguments.of(layout, Compression.zstd(3)));
        }
        return all.stream();
    }

    static byte[] data(long seed, int size) {
        byte[] bytes = new byte[size];
        Random random = new Random(seed);
        // Half random, half repetitive: compression has something to do and something it cannot shrink.
        random.nextBytes(bytes);
        for (int i = size / 2; i < size; i++) {
            bytes[i] = (byte) (i % 7);
        }
        return bytes;
    }

    CheckpointStore open(Location base, ShardLayout layout, Compression compression) {
        return new CheckpointStore(env().store(), base, CheckpointConfig.DEFAULT.withLayout(layout).withCompression(compression));
    }

    /** Every rank writes its shard (in several pieces) on its own thread, then rank 0 finalizes. */
    static Manifest saveDistributed(CheckpointStore store, long step, List<byte[]> shards) throws Exception {
        ExecutorService ranks = Executors.newFixedThreadPool(shards.size());
        try {
            List<Future<ShardInfo>> futures = new ArrayList<>();
            for (int rank = 0; rank < shards.size(); rank++) {
                int r = rank;
                futures.add(ranks.submit(() -> {
                    try (ShardWriter writer = store.newShardWriter(step, r)) {
                        byte[] bytes = shards.get(r);
                        int piece = Math.max(1, bytes.length / 5);
                        for (int at = 0; at < bytes.length; at += piece) {
                            writer.write(bytes, at, Math.min(piece, bytes.length - at));
                        }
                        return writer.finish();
                    }
                }));
            }
            for (Future<ShardInfo> future : futures) {
                future.get();
            }
        } finally {
            ranks.shutdownNow();
        }
        return store.finalizeCheckpoint(step, step / 10, "torch", shards.size(), Map.of("run", "contract"));
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layoutsAndCompression")
    void singleRankRoundTrip(ShardLayout layout, Compression compression) throws Exception {
        try (CheckpointStore store = open(env().newBase(), layout, compression)) {
            assertThat(store.loadLatest()).isEmpty();
            byte[] first = data(1, 200_000);
            byte[] second = data(2, 123_457);
            store.save(10, 1, "torch", ByteBuffer.wrap(first), Map.of("lr", "0.1"));
            Manifest saved = store.save(20, 2, "torch", ByteBuffer.wrap(second), Map.of("lr", "0.05"));

            Manifest latest = store.loadLatest().orElseThrow();
            assertThat(latest).isEqualTo(saved);
            assertThat(latest.step()).isEqualTo(20);
            assertThat(latest.epoch()).isEqualTo(2);
            assertThat(latest.layout()).isEqualTo(layout);
            assertThat(latest.userMetadata()).containsEntry("lr", "0.05");
            assertThat(latest.shard(0).rawSize()).isEqualTo(second.length);
            assertThat(bytes(store.readShard(latest, 0))).isEqualTo(second);
            assertThat(bytes(store.readShard(store.load(10), 0))).isEqualTo(first);
            assertThat(store.validate(latest).isValid()).isTrue();
            if (compression.codec() == Compression.Codec.ZSTD) {
                assertThat(latest.shard(0).size()).isLessThan(second.length);
            }
            assertThat(store.list()).extracting(CheckpointEntry::step).containsExactly(10L, 20L);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("layoutsAndCompression")
    void fourRankRoundTrip(ShardLayout layout, Compression compression) throws Exception {
        try (CheckpointStore store = open(env().newBase(), layout, compression)) {
            List<byte[]> shards = new ArrayList<>();
            for (int rank = 0; rank < 4; rank++) {
                shards.add(data(100 + rank, 100_000 + 7_919 * rank));
            }
            Manifest manifest = saveDistributed(store, 30, shards);
            assertThat(manifest.isComplete()).isTrue();
            assertThat(manifest.worldSize()).isEqualTo(4);

            Manifest latest = store.loadLatest().orElseThrow();
            assertThat(latest.step()).isEqualTo(30);
            List<ByteBuffer> read = store.readAll(latest);
            for (int rank = 0; rank < 4; rank++) {
                assertThat(bytes(read.get(rank))).as("rank %d", rank).isEqualTo(shards.get(rank));
                assertThat(latest.shard(rank).key()).contains("ckpt-").endsWith(
                        compression.codec() == Compression.Codec.ZSTD ? "rank-" + rank + ".bin.zst" : "rank-" + rank + ".bin");
            }
            assertThat(store.validate(latest).problems()).isEmpty();

            RestoredCheckpoint restored = store.readLatest().orElseThrow();
            assertThat(restored.manifest()).isEqualTo(latest);
            assertThat(restored.shards()).hasSize(4);
            for (int rank = 0; rank < 4; rank++) {
                assertThat(bytes(restored.shards().get(rank))).as("rank %d", rank).isEqualTo(shards.get(rank));
            }
        }
    }

    @Test
    void readLatestChecksThePointersCopyAgainstTheStoredManifest() throws Exception {
        Location base = env().newBase();
        try (CheckpointStore store = open(base, ShardLayout.FLAT, Compression.NONE)) {
            assertThat(store.readLatest()).isEmpty();
            byte[] first = data(1, 70_000);
            byte[] second = data(2, 80_000);
            store.save(1, 0, "torch", ByteBuffer.wrap(first), Map.of("lr", "0.1"));
            Manifest saved = store.save(2, 0, "torch", ByteBuffer.wrap(second), Map.of("lr", "0.1"));
            Location latest = base.resolve("latest.json");
            byte[] pointer = bytes(env().store().get(latest).buffer());
            assertThat(new String(pointer, StandardCharsets.UTF_8)).contains("\"manifest_copy\"");
            RestoredCheckpoint restored = store.readLatest().orElseThrow();
            assertThat(restored.manifest()).isEqualTo(saved);
            assertThat(bytes(restored.shards().get(0))).isEqualTo(second);

            // A pointer written before the copy was added: the manifest is read first, as loadLatest does.
            env().store().put(latest, ByteBuffer.wrap(("{\"format_version\": 1, \"global_step\": 2, "
                    + "\"manifest\": \"manifests/ckpt-0000000000000000002.json\"}").getBytes(StandardCharsets.UTF_8)),
                    WriteOptions.DEFAULT);
            assertThat(bytes(store.readLatest().orElseThrow().shards().get(0))).isEqualTo(second);

            // The stored manifest differs from the pointer's copy: the stored one wins.
            Location manifest2 = store.manifestLocation(2);
            env().store().put(latest, ByteBuffer.wrap(pointer), WriteOptions.DEFAULT);
            String changed = env().store().get(manifest2).toUtf8String().replace("\"0.1\"", "\"0.2\"");
            env().store().put(manifest2, ByteBuffer.wrap(changed.getBytes(StandardCharsets.UTF_8)), WriteOptions.DEFAULT);
            restored = store.readLatest().orElseThrow();
            assertThat(restored.manifest()).isEqualTo(store.load(2)).isNotEqualTo(saved);
            assertThat(restored.manifest().userMetadata()).containsEntry("lr", "0.2");
            assertThat(bytes(restored.shards().get(0))).isEqualTo(second);

            // A shard changed behind the store's back is named, as readAll names it.
            Location shard = store.shardLocation(saved.shard(0));
            byte[] flipped = second.clone();
            flipped[4_321] ^= 1;
            env().store().put(shard, ByteBuffer.wrap(flipped), WriteOptions.DEFAULT);
            env().store().put(manifest2, ByteBuffer.wrap(saved.toJson().getBytes(StandardCharsets.UTF_8)),
                    WriteOptions.DEFAULT);
            assertThatThrownBy(store::readLatest).isInstanceOf(CheckpointCorruptException.class)
                    .hasMessageContaining("rank 0").hasMessageContaining(shard.toString());

            // The step the pointer (and its copy) names was deleted: the newest complete one left is read.
            assertThat(store.delete(2).isComplete()).isTrue();
            restored = store.readLatest().orElseThrow();
            assertThat(restored.manifest().step()).isEqualTo(1);
            assertThat(bytes(restored.shards().get(0))).isEqualTo(first);
        }
    }

    @Test
    void multipartShardsRoundTrip() throws Exception {
        // Shards above one part, so the store's multipart path (and its CRC32C) is what gets checked.
        Location base = env().newBase();
        CheckpointConfig config = CheckpointConfig.DEFAULT.withLayout(ShardLayout.ROUND_ROBIN).withPartSize(5L << 20);
        try (CheckpointStore store = new CheckpointStore(env().store(), base, config)) {
            List<byte[]> shards = List.of(data(7, 11 << 20), data(8, (5 << 20) + 3));
            Manifest manifest = saveDistributed(store, 5, shards);
            List<ByteBuffer> read = store.readAll(store.loadLatest().orElseThrow());
            assertThat(bytes(read.get(0))).isEqualTo(shards.get(0));
            assertThat(bytes(read.get(1))).isEqualTo(shards.get(1));
            assertThat(manifest.storedBytes()).isEqualTo((11L << 20) + (5L << 20) + 3);
        }
    }

    @Test
    void validationNamesAShardChangedBehindTheStoresBack() throws Exception {
        try (CheckpointStore store = open(env().newBase(), ShardLayout.FLAT, Compression.NONE)) {
            List<byte[]> shards = List.of(data(1, 50_000), data(2, 50_000), data(3, 50_000));
            Manifest manifest = saveDistributed(store, 40, shards);
            Location shard2 = store.shardLocation(manifest.shard(2));
            byte[] changed = shards.get(2).clone();
            changed[12_345] ^= 1; // same size, one bit off
            env().store().put(shard2, ByteBuffer.wrap(changed), WriteOptions.DEFAULT);

            ValidationResult result = store.validate(manifest);
            assertThat(result.isValid()).isFalse();
            assertThat(result.problems()).hasSize(1);
            assertThat(result.problems().get(0)).contains("rank 2").contains(shard2.toString());
            assertThatThrownBy(() -> store.readShard(manifest, 2)).isInstanceOf(CheckpointCorruptException.class)
                    .hasMessageContaining("rank 2");
            assertThat(bytes(store.readShard(manifest, 1))).isEqualTo(shards.get(1));

            env().store().put(shard2, ByteBuffer.wrap(new byte[10]), WriteOptions.DEFAULT);
            assertThat(store.validate(manifest).problems()).singleElement().asString().contains("rank 2");
            env().store().delete(shard2);
            assertThat(store.validate(manifest).problems()).singleElement().asString().contains("rank 2")
                    .contains("missing");
        }
    }

    /**
     * Shards read as several ranged chunks (small chunks, so the range engine's chunked path with the manifest's
     * CRC32C is what checks them): a bit changed behind the store's back fails with the shard named and both
     * CRC32Cs given, the other shards still read, and a shard of another size is named too.
     */
    @Test
    void validationNamesAChunkedShardChangedBehindTheStoresBack() throws Exception {
        RangeConfig chunked = new RangeConfig(true, RangeConfig.MIN_CHUNK, 2 * RangeConfig.MIN_CHUNK, 4,
                16 * RangeConfig.MIN_CHUNK);
        try (CheckpointStore store = new CheckpointStore(env().store(), env().newBase(),
                CheckpointConfig.DEFAULT.withRange(chunked))) {
            List<byte[]> shards = List.of(data(11, 300_001), data(12, 300_002), data(13, 300_003));
            Manifest manifest = saveDistributed(store, 45, shards);
            assertThat(bytes(store.readLatest().orElseThrow().shards().get(2))).isEqualTo(shards.get(2));
            Location shard2 = store.shardLocation(manifest.shard(2));
            byte[] changed = shards.get(2).clone();
            changed[200_000] ^= 4; // same size, one bit off, in the fourth chunk
            env().store().put(shard2, ByteBuffer.wrap(changed), WriteOptions.DEFAULT);

            assertThatThrownBy(() -> store.readShard(manifest, 2)).isInstanceOf(CheckpointCorruptException.class)
                    .hasMessageContaining(shard2.toString()).hasMessageContaining("rank 2")
                    .hasMessageContaining("differs from the manifest")
                    .hasMessageContaining("recorded " + manifest.shard(2).crc32cHex());
            assertThatThrownBy(() -> store.readLatest()).isInstanceOf(CheckpointCorruptException.class)
                    .hasMessageContaining("rank 2");
            assertThat(store.validate(manifest).problems()).singleElement().asString().contains("rank 2")
                    .contains(shard2.toString());
            assertThat(bytes(store.readShard(manifest, 1))).isEqualTo(shards.get(1));

            env().store().put(shard2, ByteBuffer.wrap(Arrays.copyOf(shards.get(2), 300_000)), WriteOptions.DEFAULT);
            assertThat(store.validate(manifest).problems()).singleElement().asString().contains("rank 2")
                    .contains(shard2.toString());
        }
    }

    @Test
    void retentionKeepsExactlyN() throws Exception {
        Location base = env().newBase();
        try (CheckpointStore store = open(base, ShardLayout.BINARY, Compression.NONE)) {
            for (long step = 1; step <= 6; step++) {
                saveDistributed(store, step * 100, List.of(data(step, 1000), data(step + 50, 2000)));
            }
            CheckpointDeleteResult result = store.retain(3);
            assertThat(result.isComplete()).isTrue();
            assertThat(result.steps()).containsExactlyInAnyOrder(100L, 200L, 300L);
            assertThat(store.list()).extracting(CheckpointEntry::step).containsExactly(400L, 500L, 600L);
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(600);
            // Nothing of the deleted steps is left anywhere under the base.
            try (Stream<ListEntry> all = env().store().list(base, ListMode.RECURSIVE)) {
                assertThat(all.map(e -> e.location().key()).filter(k -> k.contains("ckpt-00000000000000001")
                        || k.contains("ckpt-00000000000000002") || k.contains("ckpt-00000000000000003"))).isEmpty();
            }
            assertThat(store.retain(3).steps()).isEmpty();
        }
    }

    @Test
    void latestNeverMovesBackwards() throws Exception {
        try (CheckpointStore store = open(env().newBase(), ShardLayout.FLAT, Compression.NONE)) {
            store.save(50, 5, "jax", ByteBuffer.wrap(data(50, 1000)), Map.of());
            Manifest lower = saveDistributed(store, 30, List.of(data(30, 500), data(31, 500)));
            assertThat(lower.isComplete()).isTrue();
            assertThat(store.latestPointerStep()).hasValue(50);
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(50);
            store.save(60, 6, "jax", ByteBuffer.wrap(data(60, 1000)), Map.of());
            assertThat(store.latestPointerStep()).hasValue(60);
        }
    }

    @Test
    void loadLatestFallsBackToTheListingWhenThePointerIsMissingOrBroken() throws Exception {
        Location base = env().newBase();
        try (CheckpointStore store = open(base, ShardLayout.FLAT, Compression.NONE)) {
            store.save(1, 0, "torch", ByteBuffer.wrap(data(1, 100)), Map.of());
            store.save(2, 0, "torch", ByteBuffer.wrap(data(2, 100)), Map.of());
            // An incomplete step above: never returned.
            try (ShardWriter writer = store.newShardWriter(3, 0)) {
                writer.write(ByteBuffer.wrap(data(3, 100)));
                writer.finish();
            }
            env().store().delete(base.resolve("latest.json"));
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(2);
            env().store().put(base.resolve("latest.json"), ByteBuffer.wrap("{not json".getBytes(StandardCharsets.UTF_8)),
                    WriteOptions.DEFAULT);
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(2);
            env().store().put(base.resolve("latest.json"), ByteBuffer.wrap(
                    "{\"format_version\": 1, \"global_step\": 3}".getBytes(StandardCharsets.UTF_8)), WriteOptions.DEFAULT);
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(2);
            // A broken pointer is replaced by the next save.
            store.save(4, 0, "torch", ByteBuffer.wrap(data(4, 100)), Map.of());
            assertThat(store.latestPointerStep()).hasValue(4);
        }
    }

    @Test
    void finalizeRefusesAMissingRankAndLeavesWhatPruneRemoves() throws Exception {
        Location base = env().newBase();
        try (CheckpointStore store = open(base, ShardLayout.ROUND_ROBIN, Compression.NONE)) {
            store.save(1, 0, "torch", ByteBuffer.wrap(data(1, 100)), Map.of());
            for (int rank = 0; rank < 3; rank++) {
                try (ShardWriter writer = store.newShardWriter(2, rank)) {
                    writer.write(ByteBuffer.wrap(data(rank, 300)));
                    writer.finish();
                }
            }
            assertThatThrownBy(() -> store.finalizeCheckpoint(2, 0, "torch", 4, Map.of()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("rank 3");
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(1);
            // Above the newest complete step a save may be in progress: only ALL reaches it.
            assertThat(store.leftovers(CheckpointStore.PruneScope.OLDER_THAN_LATEST)).isEmpty();
            List<Leftover> leftovers = store.leftovers(CheckpointStore.PruneScope.ALL);
            assertThat(leftovers).singleElement().satisfies(l -> {
                assertThat(l.step()).isEqualTo(2);
                assertThat(l.objects()).hasSize(6); // three shards, three rank records
            });
            CheckpointDeleteResult pruned = store.prune(CheckpointStore.PruneScope.ALL);
            assertThat(pruned.isComplete()).isTrue();
            assertThat(pruned.steps()).containsExactly(2L);
            assertThat(store.leftovers(CheckpointStore.PruneScope.ALL)).isEmpty();
            assertThat(store.validate(store.loadLatest().orElseThrow()).isValid()).isTrue();
        }
    }

    @Test
    void finalizeChecksTheRanksConcurrentlyAndNamesTheLowestThatFails() throws Exception {
        try (CheckpointStore store = open(env().newBase(), ShardLayout.FLAT, Compression.NONE)) {
            List<ShardInfo> written = new ArrayList<>();
            for (int rank : new int[] {0, 2, 4}) {
                try (ShardWriter writer = store.newShardWriter(7, rank)) {
                    writer.write(ByteBuffer.wrap(data(rank, 1000 + rank)));
                    written.add(writer.finish());
                }
            }
            // Ranks 1 and 3 missing: the lowest is named, as a serial check would name it.
            assertThatThrownBy(() -> store.finalizeCheckpoint(7, 0, "torch", 5, Map.of()))
                    .isInstanceOf(StorageException.class).hasMessageContaining("rank 1 of 5")
                    .hasMessageNotContaining("rank 3");
            for (int rank : new int[] {1, 3}) {
                try (ShardWriter writer = store.newShardWriter(7, rank)) {
                    writer.write(ByteBuffer.wrap(data(rank, 1000 + rank)));
                    writer.finish();
                }
            }
            // Rank 4's shard replaced behind the store's back with fewer bytes: named with both sizes.
            Location shard4 = store.shardLocation(written.get(2));
            env().store().put(shard4, ByteBuffer.wrap(data(4, 10)), WriteOptions.DEFAULT);
            assertThatThrownBy(() -> store.finalizeCheckpoint(7, 0, "torch", 5, Map.of()))
                    .isInstanceOf(CheckpointCorruptException.class).hasMessageContaining("rank 4")
                    .hasMessageContaining("holds 10 bytes; its writer recorded 1004");
            assertThat(store.loadLatest()).isEmpty();
            env().store().put(shard4, ByteBuffer.wrap(data(4, 1004)), WriteOptions.DEFAULT);
            Manifest manifest = store.finalizeCheckpoint(7, 0, "torch", 5, Map.of());
            assertThat(manifest.shards()).extracting(ShardInfo::rank).containsExactly(0, 1, 2, 3, 4);
            assertThat(store.validate(manifest).isValid()).isTrue();
            assertThat(bytes(store.readLatest().orElseThrow().shards().get(3))).isEqualTo(data(3, 1003));
        }
    }

    @Test
    void aCompleteCheckpointIsNeverRewritten() throws Exception {
        try (CheckpointStore store = open(env().newBase(), ShardLayout.FLAT, Compression.NONE)) {
            store.save(7, 0, "torch", ByteBuffer.wrap(data(7, 100)), Map.of());
            assertThatThrownBy(() -> store.save(7, 0, "torch", ByteBuffer.wrap(data(8, 100)), Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("step 7");
            assertThatThrownBy(() -> store.newShardWriter(7, 1)).isInstanceOf(IllegalStateException.class);
            CheckpointDeleteResult deleted = store.delete(7);
            assertThat(deleted.isComplete()).isTrue();
            assertThat(deleted.objectsDeleted()).isEqualTo(2); // manifest and shard
            assertThat(store.list()).isEmpty();
            assertThat(store.loadLatest()).isEmpty();
            store.save(7, 0, "torch", ByteBuffer.wrap(data(8, 100)), Map.of());
            assertThat(bytes(store.readShard(store.loadLatest().orElseThrow(), 0))).isEqualTo(data(8, 100));
        }
    }

    @Test
    void conditionalWritesAreHonouredOrRefused() throws Exception {
        ObjectStore store = env().store();
        Location key = env().newBase().resolve("pointer");
        WriteOptions ifAbsent = WriteOptions.DEFAULT.withCondition(WriteCondition.IF_ABSENT);
        if (!store.capabilities().contains(Capability.CONDITIONAL_WRITE)) {
            assertThatThrownBy(() -> store.put(key, ByteBuffer.wrap(new byte[1]), ifAbsent))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key.toString());
            return;
        }
        WriteResult first = store.put(key, ByteBuffer.wrap("one".getBytes(StandardCharsets.UTF_8)), ifAbsent);
        assertThatThrownBy(() -> store.put(key, ByteBuffer.wrap("two".getBytes(StandardCharsets.UTF_8)), ifAbsent))
                .isInstanceOf(PreconditionFailedException.class).hasMessageContaining(key.toString());
        assertThat(store.get(key).toUtf8String()).isEqualTo("one");
        String etag = store.stat(key).etag().orElseThrow();
        assertThat(first.etag()).hasValue(etag);
        WriteResult second = store.put(key, ByteBuffer.wrap("two".getBytes(StandardCharsets.UTF_8)),
                WriteOptions.DEFAULT.withCondition(WriteCondition.ifMatch(etag)));
        assertThat(store.get(key).toUtf8String()).isEqualTo("two");
        // The old ETag no longer matches (same size, written within the same millisecond on files).
        assertThatThrownBy(() -> store.put(key, ByteBuffer.wrap("six".getBytes(StandardCharsets.UTF_8)),
                WriteOptions.DEFAULT.withCondition(WriteCondition.ifMatch(etag))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.get(key).toUtf8String()).isEqualTo("two");
        // Through a streaming writer too.
        try (var writer = store.newWriter(key, WriteOptions.DEFAULT.withCondition(WriteCondition.IF_ABSENT))) {
            writer.write(ByteBuffer.wrap(new byte[10]));
            assertThatThrownBy(writer::finish).isInstanceOf(PreconditionFailedException.class);
        }
        try (var writer = store.newWriter(key, WriteOptions.DEFAULT.withCondition(
                WriteCondition.ifMatch(second.etag().orElseThrow())))) {
            writer.write(ByteBuffer.wrap("three".getBytes(StandardCharsets.UTF_8)));
            writer.finish();
        }
        assertThat(store.get(key).toUtf8String()).isEqualTo("three");
        Location absent = key.withKey(key.key() + "-absent");
        assertThatThrownBy(() -> store.put(absent, ByteBuffer.wrap(new byte[1]),
                WriteOptions.DEFAULT.withCondition(WriteCondition.ifMatch(etag))))
                .isInstanceOf(PreconditionFailedException.class);
        assertThat(store.exists(absent)).isFalse();
    }

    @Test
    void racingFinalizersNeverLeaveLatestOnTheLowerStep() throws Exception {
        if (!env().store().capabilities().contains(Capability.CONDITIONAL_WRITE)) {
            return; // documented: without conditional writes the pointer move is check-then-write
        }
        Location base = env().newBase();
        int finalizers = 4;
        try (CheckpointStore store = open(base, ShardLayout.FLAT, Compression.NONE)) {
            ExecutorService pool = Executors.newFixedThreadPool(finalizers);
            try {
                for (int round = 0; round < 10; round++) {
                    long firstStep = 1000L + (long) round * finalizers;
                    for (int i = 0; i < finalizers; i++) {
                        try (ShardWriter writer = store.newShardWriter(firstStep + i, 0)) {
                            writer.write(ByteBuffer.wrap(data(firstStep + i, 64)));
                            writer.finish();
                        }
                    }
                    CyclicBarrier start = new CyclicBarrier(finalizers);
                    List<Callable<Manifest>> tasks = new ArrayList<>();
                    // Highest step first, so without the compare-and-set a lower step would usually win.
                    for (int i = finalizers - 1; i >= 0; i--) {
                        long step = firstStep + i;
                        tasks.add(() -> {
                            start.await();
                            return store.finalizeCheckpoint(step, 0, "torch", 1, Map.of());
                        });
                    }
                    for (Future<Manifest> done : pool.invokeAll(tasks)) {
                        done.get();
                    }
                    assertThat(store.latestPointerStep()).as("round %d", round).hasValue(firstStep + finalizers - 1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    static void assertLatestValid(CheckpointStore store) throws IOException {
        Manifest latest = store.loadLatest().orElseThrow();
        assertThat(store.validate(latest).problems()).isEmpty();
    }
}
