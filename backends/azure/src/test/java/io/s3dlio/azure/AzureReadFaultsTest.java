package io.s3dlio.azure;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.AzuriteServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * az:// reads through a fault-injecting proxy in front of Azurite: the SDK resumes a broken body, the
 * request deadline cuts a dripping one (S3DLIO_AZURE_TRY_TIMEOUT did not), and a flipped bit is caught
 * against the blob's stored Content-MD5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureReadFaultsTest {
    private static final byte[] DATA = TestData.bytes(200_000, 21);

    private AzuriteEnvironment environment;
    private Location blob;

    @BeforeAll
    void start() throws IOException {
        environment = new AzuriteEnvironment();
        blob = environment.newTestPrefix().resolve("object.bin");
        environment.store().put(blob, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
    }

    @AfterAll
    void stop() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    private static ObjectStore through(FaultProxy proxy, Map<String, String> extra) throws IOException {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName="
                + AzuriteServer.ACCOUNT + ";AccountKey=" + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint="
                + proxy.endpoint() + "/" + AzuriteServer.ACCOUNT + ";");
        settings.put("S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
        settings.put("S3DLIO_AZURE_MAX_TRIES", "3");
        return new AzureStoreProvider().create(ConfigSource.of(settings));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void aResetMidBodyIsResumed() throws IOException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", environment.server().port());
                ObjectStore store = through(proxy, Map.of())) {
            proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(50_000));
            assertThat(bytes(store.get(blob).buffer())).isEqualTo(DATA);
            assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(2);
        }
    }

    @Test
    void aDrippingBodyIsCutByTheRequestDeadline() throws IOException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", environment.server().port());
                ObjectStore store = through(proxy, Map.of("S3DLIO_AZURE_REQUEST_TIMEOUT", "2s",
                        "S3DLIO_AZURE_TRY_TIMEOUT", "60s"))) {
            proxy.always(on(Operation.GET_OBJECT), Fault.drip(64, Duration.ofMillis(100)));
            assertThatThrownBy(() -> store.get(blob)).isInstanceOf(StorageException.class)
                    .hasMessageStartingWith(blob.toString())
                    .hasMessageContaining("S3DLIO_AZURE_REQUEST_TIMEOUT");
        }
    }

    @Test
    void aFlippedBitIsCaughtAgainstContentMd5() throws IOException {
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", environment.server().port());
                ObjectStore store = through(proxy, Map.of())) {
            proxy.always(on(Operation.GET_OBJECT), Fault.flipResponseBit(777, 4));
            assertThatThrownBy(() -> store.get(blob)).isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageStartingWith(blob.toString());
            // A ranged read covering the whole blob checks x-ms-blob-content-md5.
            assertThatThrownBy(() -> store.read(blob, 0, ByteBuffer.allocate(DATA.length)))
                    .isInstanceOf(ChecksumMismatchException.class);
        }
    }
}
