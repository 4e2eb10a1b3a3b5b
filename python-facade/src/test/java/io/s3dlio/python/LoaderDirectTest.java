package io.s3dlio.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Python loader's hand-off without a copy on s3:// (S3Proxy), as Python drives it with
 * {@code S3DLIO_PYTHON_LOADER_DIRECT} at or below the largest item: {@link LoaderSession#nextDirect} hands each item
 * as a direct buffer of exactly its bytes; an item whose id was not given back keeps its bytes over later epochs,
 * ids given back (once, or twice, or unknown ones) make their buffers reusable without lending any twice; items too
 * small for a lent buffer and empty ones come as copies of their own (id -1) and nulls; the copying path
 * ({@link LoaderSession#next}) still works on the same session; the setting's 0 keeps the copying path alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
class LoaderDirectTest {
    private static final int[] SIZES = {0, 60_000, 99_999, 100_000, 12, 70_000, 0, 51_000, 88_888, 64_000, 100_000};

    private S3ProxyServer server;
    private final Map<String, byte[]> written = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        server = S3ProxyServer.start();
        try (PythonFacade facade = facade("")) {
            facade.createBucket("s3://loader-direct/");
            Random random = new Random(6);
            for (int i = 0; i < SIZES.length; i++) {
                String uri = String.format(Locale.ROOT, "s3://loader-direct/items/item-%02d", i);
                byte[] data = new byte[SIZES[i]];
                random.nextBytes(data);
                facade.put(uri, ByteBuffer.wrap(data));
                written.put(uri, data);
            }
        }
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private PythonFacade facade(String direct) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        if (!direct.isEmpty()) {
            settings.put(PythonFacade.LOADER_DIRECT, direct);
        }
        return PythonFacade.create(ObjectStores.create(ConfigSource.of(settings)));
    }

    private static LoaderSpec spec(int batchSize) {
        return new LoaderSpec(batchSize, false, true, 9, 3, 2, null, null, "sequential", 8 << 20, 4, null);
    }

    private void assertWritten(String uri, ByteBuffer view, long size) {
        if (size == 0) {
            assertThat(view).isNull();
            return;
        }
        assertThat(view.isDirect()).isTrue();
        assertThat(view.capacity()).isEqualTo((int) size);
        byte[] item = new byte[(int) size];
        view.get(0, item);
        assertThat(item).as(uri).isEqualTo(written.get(uri));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void everyItemIsHandedOverWithoutACopyAndKeptUntilGivenBack(int batchSize) throws Exception {
        try (PythonFacade facade = facade("50000"); LoaderSession session = facade.openLoader(
                "s3://loader-direct/items/", null, spec(batchSize))) {
            assertThat(session.direct()).isTrue();
            List<Object[]> kept = new ArrayList<>(); // uri, view, size: never given back
            int[] returned = new int[0];
            for (int epoch = 0; epoch < 4; epoch++) {
                session.startEpoch(epoch);
                int items = 0;
                while (true) {
                    DirectBatch batch = session.nextDirect(returned);
                    if (batch == null) {
                        break;
                    }
                    List<Integer> back = new ArrayList<>();
                    for (int i = 0; i < batch.ids().length; i++) {
                        String uri = batch.uris()[i];
                        long size = batch.sizes()[i];
                        ByteBuffer view = batch.buffers()[i];
                        assertWritten(uri, view, size);
                        int id = batch.ids()[i];
                        assertThat(id >= 0).as(uri + ": in a lent buffer").isEqualTo(size > 50_000);
                        if (id >= 0 && kept.size() < 2) {
                            kept.add(new Object[] {uri, view, size});
                        } else if (id >= 0) {
                            back.add(id);
                        }
                    }
                    back.add(-1);
                    back.add(123_456_789); // unknown: ignored
                    if (!back.isEmpty()) {
                        back.add(back.getFirst()); // twice: the second is ignored
                    }
                    returned = back.stream().mapToInt(Integer::intValue).toArray();
                    items += batch.ids().length;
                    for (Object[] item : kept) {
                        assertWritten((String) item[0], (ByteBuffer) item[1], (long) item[2]);
                    }
                }
                assertThat(items).isEqualTo(SIZES.length);
            }
            assertThat(session.viewedBuffers()).isEqualTo(kept.size());
            // The copying path on the same session: each batch copied once, its buffers given back after.
            session.startEpoch(9);
            Blob blob = session.next();
            ByteBuffer target = ByteBuffer.allocateDirect((int) blob.totalSize());
            blob.copyInto(target);
            target.flip();
            for (int i = 0; i < blob.uris().length; i++) {
                byte[] item = new byte[(int) blob.sizes()[i]];
                target.get(item);
                assertThat(item).isEqualTo(written.get(blob.uris()[i]));
            }
        }
    }

    @Test
    void offLeavesTheCopyingPath() throws Exception {
        try (PythonFacade facade = facade("0"); LoaderSession session = facade.openLoader(
                "s3://loader-direct/items/", null, spec(4))) {
            assertThat(session.direct()).isFalse();
        }
        try (PythonFacade facade = facade(""); LoaderSession session = facade.openLoader(
                "s3://loader-direct/items/", null, spec(4))) {
            assertThat(session.direct()).as("items below the 256 KiB default").isFalse();
        }
    }
}
