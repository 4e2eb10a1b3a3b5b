package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3MockServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * S3 reads through a fault-injecting proxy in front of S3Proxy (and S3Mock for stored checksums): a body
 * that fails part way resumes from the bytes already received with a ranged GET conditional on the ETag,
 * within the attempt budget; a replaced object is never stitched; a dripping server is cut by the request
 * deadline; a flipped bit is caught. Requests are counted by the proxy, never by our own bookkeeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ReadFaultsTest {
    private static final int SIZE = 300_000;
    private static final byte[] DATA = TestData.bytes(SIZE, 11);

    private S3ProxyServer server;
    private S3Environment direct;
    private FaultProxy proxy;
    private S3ObjectStore store;
    private final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    void start() throws IOException {
        server = S3ProxyServer.start();
        direct = new S3Environment(server.storeSettings(), server.description(), server);
    }

    @AfterAll
    void stop() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }

    @BeforeEach
    void startProxy() throws IOException {
        proxy = FaultProxy.startFor(server.endpoint());
        store = storeThrough(proxy, Map.of());
    }

    @AfterEach
    void stopProxy() {
        store.close();
        proxy.close();
    }

    /** Short timeouts and 3 attempts per read, so persistent faults end in seconds. */
    static S3ObjectStore storeThrough(FaultProxy proxy, Map<String, String> extra, Map<String, String> serverSettings) {
        Map<String, String> settings = new HashMap<>(serverSettings);
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        settings.put("S3DLIO_S3_MAX_RETRIES", "2");
        settings.put("S3DLIO_S3_READ_TIMEOUT", "1s");
        settings.put("S3DLIO_S3_REQUEST_TIMEOUT", "6s");
        settings.putAll(extra);
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
    }

    private S3ObjectStore storeThrough(FaultProxy through, Map<String, String> extra) {
        return storeThrough(through, extra, server.storeSettings());
    }

    private Location object() throws IOException {
        Location location = direct.bucket().withKey("faults-" + counter.incrementAndGet() + "/object.bin");
        direct.s3Store().put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
        return location;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    @Test
    void aResetMidBodyResumesWithARangedConditionalGet() throws IOException {
        Location location = object();
        proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(100_000));
        assertThat(bytes(store.get(location).buffer())).isEqualTo(DATA);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(2);
        FaultProxy.Request resume = proxy.requests().getLast();
        String etag = direct.s3Store().stat(location).etag().orElseThrow();
        assertThat(resume.headers().get("if-match")).contains(etag);
        // The rest only: the resume starts where the first body stopped (100,000 bytes or a little less if the
        // reset discarded some in flight), never at zero.
        assertThat(resume.headers().get("range")).startsWith("bytes=").doesNotStartWith("bytes=0-").endsWith("-" + (SIZE - 1));
    }

    @Test
    void aTruncatedRangedReadResumes() throws IOException {
        Location location = object();
        proxy.first(1, on(Operation.GET_OBJECT), Fault.truncateAfter(5_000));
        ByteBuffer target = ByteBuffer.allocate(200_000);
        ReadResult result = store.read(location, 50_000, target);
        assertThat(result.bytesRead()).isEqualTo(200_000);
        assertThat(bytes(target.flip())).isEqualTo(java.util.Arrays.copyOfRange(DATA, 50_000, 250_000));
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(2);
        assertThat(proxy.requests().getLast().headers().get("range")).isEqualTo("bytes=55000-249999");
    }

    @Test
    void aStallLongerThanTheSocketTimeoutResumes() throws IOException {
        Location location = object();
        proxy.first(1, on(Operation.GET_OBJECT), Fault.stallAfter(1_000, Duration.ofSeconds(3)));
        assertThat(bytes(store.getRange(location, 0, OptionalLong.empty()).buffer())).isEqualTo(DATA);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(2);
    }

    @Test
    void aPersistentResetFailsAfterExactlyTheConfiguredAttempts() throws IOException {
        Location location = object();
        proxy.always(on(Operation.GET_OBJECT), Fault.resetAfter(10_000));
        assertThatThrownBy(() -> store.get(location))
                .isInstanceOf(StorageException.class)
                .hasMessageStartingWith(location.toString())
                .satisfies(e -> assertThat(((StorageException) e).isRetryable()).isTrue());
        assertThat(proxy.count(Operation.GET_OBJECT)).as("1 + S3DLIO_S3_MAX_RETRIES, in one layer").isEqualTo(3);
    }

    @Test
    void errorStatusesBeforeTheBodyAreRetriedInTheSameLayerHonouringRetryAfter() throws IOException {
        Location location = object();
        proxy.first(2, on(Operation.GET_OBJECT), Fault.status(503, 1));
        assertThat(bytes(store.get(location).buffer())).isEqualTo(DATA);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);
        proxy.resetCounts();
        proxy.always(on(Operation.GET_OBJECT), Fault.status(500));
        assertThatThrownBy(() -> store.get(location)).isInstanceOf(StorageException.class)
                .hasMessageContaining("500");
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);
    }

    @Test
    void aMissingObjectIsNotRetried() {
        Location location = direct.bucket().withKey("faults-missing/none");
        assertThatThrownBy(() -> store.get(location)).isInstanceOf(io.s3dlio.api.ObjectNotFoundException.class);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(1);
    }

    @Test
    void anObjectReplacedBetweenAttemptsIsNeverStitched() throws IOException {
        Location location = object();
        byte[] other = TestData.bytes(SIZE, 99);
        proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(100_000));
        // When the resume arrives, the object has been replaced (same size, other bytes).
        proxy.first(1, request -> {
            if (request.operation() == Operation.GET_OBJECT && request.headers().containsKey("if-match")) {
                try {
                    direct.s3Store().put(location, ByteBuffer.wrap(other), WriteOptions.DEFAULT);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }, Fault.status(500));
        assertThatThrownBy(() -> store.get(location))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(location.toString())
                .hasMessageContaining("replaced");
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(2);
    }

    @Test
    void aDrippingServerIsCutByTheRequestDeadline() throws IOException {
        Location location = object();
        // 100 bytes every 200 ms: never idle long enough for the 1 s socket timeout, far too slow to finish.
        proxy.always(on(Operation.GET_OBJECT), Fault.drip(100, Duration.ofMillis(200)));
        try (S3ObjectStore deadlined = storeThrough(proxy, Map.of("S3DLIO_S3_REQUEST_TIMEOUT", "2s"))) {
            assertThatThrownBy(() -> deadlined.get(location))
                    .isInstanceOf(StorageException.class)
                    .hasMessageStartingWith(location.toString())
                    .hasMessageContaining("S3DLIO_S3_REQUEST_TIMEOUT");
        }
        assertThat(proxy.count(Operation.GET_OBJECT)).isBetween(1L, 3L);
    }

    @Test
    void aFlippedBitIsDetectedOnWholeObjectReads() throws IOException {
        Location location = object();
        proxy.always(on(Operation.GET_OBJECT), Fault.flipResponseBit(12_345, 5));
        assertThatThrownBy(() -> store.get(location))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith(location.toString())
                .satisfies(e -> assertThat(((ChecksumMismatchException) e).algorithm()).isEqualTo("MD5"));
        // A range read covering the whole object is a whole-object read too (the range engine's small reads).
        assertThatThrownBy(() -> store.read(location, 0, ByteBuffer.allocate(SIZE + 10)))
                .isInstanceOf(ChecksumMismatchException.class);
        assertThat(proxy.count(Operation.GET_OBJECT)).as("a mismatch is not retried").isEqualTo(2);
    }

    @Test
    void aResumedWholeObjectReadIsStillVerified() throws IOException {
        Location location = object();
        proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(50_000));
        proxy.first(1, on(Operation.GET_OBJECT), Fault.flipResponseBit(70_000, 1));
        assertThatThrownBy(() -> store.get(location)).isInstanceOf(ChecksumMismatchException.class);
    }

    @Test
    void uploadsDoNotAskFor100Continue() throws IOException {
        Location location = direct.bucket().withKey("faults-expect/object.bin");
        store.put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
        assertThat(proxy.count(Operation.PUT_OBJECT)).isEqualTo(1);
        assertThat(proxy.expectContinueCount()).isZero();
        assertThat(bytes(direct.s3Store().get(location).buffer())).isEqualTo(DATA);
    }

    @Test
    void storedChecksumsAreVerifiedOnS3Mock() throws IOException {
        try (S3MockServer mock = S3MockServer.start();
                FaultProxy mockProxy = FaultProxy.startFor(mock.endpoint());
                S3ObjectStore writer = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(mock.storeSettings()));
                S3ObjectStore reader = storeThrough(mockProxy, Map.of(), mock.storeSettings())) {
            Location bucket = Location.parse("s3://faults-mock");
            writer.createContainer(bucket);
            Location location = bucket.withKey("object.bin");
            writer.put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
            assertThat(bytes(reader.get(location).buffer())).isEqualTo(DATA);
            List<FaultProxy.Request> seen = mockProxy.requests();
            assertThat(seen.getLast().headers()).containsEntry("x-amz-checksum-mode", "ENABLED");
            mockProxy.always(on(Operation.GET_OBJECT), Fault.flipResponseBit(1, 0));
            assertThatThrownBy(() -> reader.get(location)).isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageStartingWith(location.toString());
        }
    }
}
