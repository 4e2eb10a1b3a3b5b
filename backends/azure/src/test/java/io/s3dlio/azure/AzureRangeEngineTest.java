package io.s3dlio.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.range.ByteRange;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.AzuriteServer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The range engine on az:// as users get it ({@code ObjectStores} wraps the Azure store, on by default), on
 * Azurite behind the latency proxy, which counts every HTTP request by method: reads of blobs of unknown size
 * learn the size from the first ranged GET, never from a HEAD (Get Blob Properties) before it; a read in several
 * chunks sends one HEAD beside them, for the CRC32C the whole blob is checked against.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureRangeEngineTest {
    private static final int CHUNK = (int) RangeConfig.MIN_CHUNK;

    private AzuriteServer server;
    private LatencyProxy proxy;
    private ObjectStores stores;
    private ObjectStore store;
    private Location container;

    @BeforeAll
    void start() throws Exception {
        server = AzuriteServer.start();
        proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.passThrough());
        String connection = "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint=" + proxy.endpoint() + "/" + AzuriteServer.ACCOUNT + ";";
        stores = ObjectStores.create(ConfigSource.of(Map.of("AZURE_STORAGE_CONNECTION_STRING", connection,
                "S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION,
                RangeConfig.CHUNK_SIZE, "64KiB", RangeConfig.CONCURRENCY, "4")));
        container = Location.parse("az://" + AzuriteServer.ACCOUNT + "/range-" + UUID.randomUUID().toString().substring(0, 8));
        store = stores.forLocation(container);
        store.createContainer(container);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (stores != null) {
                stores.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The requests of one whole-object read in {@code chunks} ranged GETs: a read of more than one chunk also
     * sends one HEAD, concurrently, for the stored full-object CRC32C that the chunks are checked against.
     */
    private static Map<String, Long> chunkedRead(int chunks) {
        return chunks > 1 ? Map.of("GET", (long) chunks, "HEAD", 1L) : Map.of("GET", 1L);
    }

    /** The registry's store splits reads (the engine decorates it): seen on the wire, not by asking its type. */
    @Test
    void storesFromTheRegistrySplitReadIntoChunkGets() throws Exception {
        Location location = container.withKey("read-into");
        int size = 3 * CHUNK + 1;
        byte[] data = TestData.bytes(size, 7);
        store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        proxy.resetCounts();
        byte[] got = new byte[size];
        long read = store.readInto(location, OptionalLong.empty(), (offset, piece) -> piece.get(got, (int) offset, piece.remaining()));
        assertThat(read).isEqualTo(size);
        assertThat(got).isEqualTo(data);
        assertThat(proxy.methodCounts()).isEqualTo(chunkedRead(4));
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK + 7})
    void getOfUnknownSizeSendsRangedGetsOnly(int size) throws Exception {
        Location location = container.withKey("unknown-" + size);
        byte[] data = TestData.bytes(size, size);
        store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        proxy.resetCounts();
        assertThat(store.get(location).toArray()).isEqualTo(data);
        assertThat(proxy.methodCounts()).isEqualTo(chunkedRead(Math.max(1, (size + CHUNK - 1) / CHUNK)));
    }

    @Test
    void vectoredAndUnalignedRanges() throws Exception {
        Location location = container.withKey("vectored");
        int size = 10 * CHUNK + 7;
        byte[] data = TestData.bytes(size, 98);
        store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        List<ByteRange> ranges = List.of(new ByteRange(size - 100, 100), new ByteRange(4097, 3 * CHUNK),
                new ByteRange(0, 5000), new ByteRange(4000, 2000), new ByteRange(size - 10, 500));
        proxy.resetCounts();
        // Vectored reads are the engine's own API, used here on the registry's store as any caller would.
        try (RangeEngine engine = new RangeEngine(RangeConfig.fromConfig(stores.config(), store.schemes()), "vectored-test")) {
            var results = engine.readRanges(store, location, ranges);
            for (int i = 0; i < ranges.size(); i++) {
                ByteRange range = ranges.get(i);
                assertThat(results.get(i).get(60, TimeUnit.SECONDS).toArray())
                        .isEqualTo(Arrays.copyOfRange(data, (int) range.offset(), (int) Math.min(size, range.end())));
            }
        }
        assertThat(proxy.methodCounts()).containsOnlyKeys("GET");
        assertThat(store.getRange(location, 4097, OptionalLong.empty()).toArray())
                .isEqualTo(Arrays.copyOfRange(data, 4097, size));
    }
}
