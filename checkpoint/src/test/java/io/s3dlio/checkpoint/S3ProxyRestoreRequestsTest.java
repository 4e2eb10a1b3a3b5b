package io.s3dlio.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import io.s3dlio.testkit.proxy.LatencyProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a restore sends on the wire (S3Proxy behind the latency proxy, which counts requests by method): the
 * pointer, the manifest and the shards' ranged GETs, and no HEAD. The shards are checked against the manifest's
 * CRC32C, so the range engine needs neither a HEAD for the size nor one for the store's checksum; a raw read of
 * the same object through the range engine, which has only the store's checksum to check against, sends one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ProxyRestoreRequestsTest {
    private static final int CHUNK = (int) RangeConfig.MIN_CHUNK;
    private static final int RANKS = 4;
    private static final int CHUNKS_PER_SHARD = 5;

    private CheckpointEnvironment environment;

    @BeforeAll
    void start() {
        environment = CheckpointEnvironment.s3ProxyCounted();
    }

    @AfterAll
    void stop() throws Exception {
        if (environment != null) {
            environment.close();
        }
    }

    @Test
    void aRestoreSendsThePointerTheManifestAndRangedGetsOnly() throws Exception {
        RangeConfig range = new RangeConfig(true, CHUNK, 2L * CHUNK, 4, 16L * CHUNK);
        ObjectStore store = environment.store();
        LatencyProxy proxy = environment.proxy();
        try (CheckpointStore checkpoints = new CheckpointStore(store, environment.newBase(),
                CheckpointConfig.DEFAULT.withRange(range));
                RangeEngine raw = new RangeEngine(range, "restore-requests-test")) {
            List<byte[]> shards = new ArrayList<>();
            for (int rank = 0; rank < RANKS; rank++) {
                shards.add(CheckpointContract.data(rank, CHUNKS_PER_SHARD * CHUNK - 17 * rank));
            }
            Manifest manifest = CheckpointContract.saveDistributed(checkpoints, 7, shards);

            proxy.resetCounts();
            RestoredCheckpoint restored = checkpoints.readLatest().orElseThrow();
            for (int rank = 0; rank < RANKS; rank++) {
                assertThat(CheckpointContract.bytes(restored.shards().get(rank))).isEqualTo(shards.get(rank));
            }
            // latest.json and the manifest, then every shard in chunks: nothing else, and no HEAD.
            assertThat(proxy.methodCounts()).isEqualTo(Map.of("GET", 2L + RANKS * CHUNKS_PER_SHARD));

            proxy.resetCounts();
            checkpoints.readShard(manifest, 1);
            assertThat(proxy.methodCounts()).isEqualTo(Map.of("GET", (long) CHUNKS_PER_SHARD));

            // The raw baseline: the same object, size known, checked against the store's own CRC32C (one HEAD).
            proxy.resetCounts();
            raw.read(store, checkpoints.shardLocation(manifest.shard(1)), OptionalLong.of(shards.get(1).length));
            assertThat(proxy.methodCounts()).isEqualTo(Map.of("GET", (long) CHUNKS_PER_SHARD, "HEAD", 1L));
        }
    }
}
