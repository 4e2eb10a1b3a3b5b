package io.s3dlio.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.nio.ByteBuffer;
import java.util.HashMap;
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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Python loader's hand-off on s3:// (S3Proxy), as Python drives it: {@code next()}, then one
 * {@link Blob#copyInto} per batch. With the array pool on (the default) the batch's arrays go back to the loader
 * after the copy (or when the next batch is asked for), so a blob copies once; every item of several epochs still
 * has the bytes written, empty objects and objects larger than the pooled arrays included. With
 * {@code S3DLIO_PYTHON_LOADER_POOL=0} blobs stay copyable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
class LoaderSessionTest {
    /** The largest listed object sets the array size (100,000): the others fill more or less than half of one. */
    private static final int[] SIZES = {0, 60_000, 99_999, 100_000, 12, 70_000, 0, 51_000, 88_888, 64_000, 100_000};

    private S3ProxyServer server;
    private final Map<String, byte[]> written = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        server = S3ProxyServer.start();
        try (PythonFacade facade = facade("")) {
            facade.createBucket("s3://loader-session/");
            Random random = new Random(5);
            for (int i = 0; i < SIZES.length; i++) {
                String uri = String.format(Locale.ROOT, "s3://loader-session/items/item-%02d", i);
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

    private PythonFacade facade(String pool) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        if (!pool.isEmpty()) {
            settings.put(PythonFacade.LOADER_POOL, pool);
        }
        return PythonFacade.create(ObjectStores.create(ConfigSource.of(settings)));
    }

    @ParameterizedTest
    @CsvSource({"1, ''", "4, ''", "4, 0", "3, 250000"})
    void everyBatchCopiesTheBytesWritten(int batchSize, String pool) throws Exception {
        boolean pooled = !pool.equals("0");
        try (PythonFacade facade = facade(pool);
                LoaderSession session = facade.openLoader("s3://loader-session/items/", null, new LoaderSpec(batchSize,
                        false, true, 9, 3, 2, null, null, "sequential", 8 << 20, 4, null))) {
            for (int epoch = 0; epoch < 3; epoch++) {
                session.startEpoch(epoch);
                int items = 0;
                while (true) {
                    Blob blob = session.next();
                    if (blob == null) {
                        break;
                    }
                    ByteBuffer target = ByteBuffer.allocateDirect((int) blob.totalSize());
                    blob.copyInto(target);
                    target.flip();
                    String[] uris = blob.uris();
                    long[] sizes = blob.sizes();
                    for (int i = 0; i < uris.length; i++) {
                        byte[] item = new byte[(int) sizes[i]];
                        target.get(item);
                        assertThat(item).as(uris[i]).isEqualTo(written.get(uris[i]));
                    }
                    items += uris.length;
                    ByteBuffer again = ByteBuffer.allocateDirect((int) blob.totalSize());
                    if (pooled) {
                        assertThatThrownBy(() -> blob.copyInto(again)).isInstanceOf(IllegalStateException.class);
                    } else {
                        blob.copyInto(again);
                        assertThat(again.flip()).isEqualTo(target.flip());
                    }
                }
                assertThat(items).isEqualTo(SIZES.length);
            }
        }
    }

    @Test
    void aBatchNotCopiedBeforeTheNextIsAskedForIsNoLongerCopyable() throws Exception {
        try (PythonFacade facade = facade("");
                LoaderSession session = facade.openLoader("s3://loader-session/items/", null, new LoaderSpec(4,
                        false, false, 0, 3, 2, null, null, "sequential", 8 << 20, 4, null))) {
            session.startEpoch(0);
            Blob first = session.next();
            Blob second = session.next();
            assertThatThrownBy(() -> first.copyInto(ByteBuffer.allocateDirect((int) first.totalSize())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("later one was asked for");
            ByteBuffer target = ByteBuffer.allocateDirect((int) second.totalSize());
            second.copyInto(target);
            target.flip();
            for (int i = 0; i < second.uris().length; i++) {
                byte[] item = new byte[(int) second.sizes()[i]];
                target.get(item);
                assertThat(item).isEqualTo(written.get(second.uris()[i]));
            }
        }
    }
}
