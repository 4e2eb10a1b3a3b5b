package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lean GET/HEAD path (S3DLIO_S3_LEAN_GET) against S3Proxy, which checks SigV4, through a fault proxy that
 * records what was sent: its requests are accepted (keys that need encoding included), it is really the lean
 * path that sent them, and every failure reaches the caller as the same exception with the same message as
 * on the SDK path (S3DLIO_S3_LEAN_GET=false), side by side on the same server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LeanGetTest {
    private static final int SIZE = 300_000;
    private static final byte[] DATA = TestData.bytes(SIZE, 23);

    private S3ProxyServer server;
    private S3Environment direct;
    private FaultProxy proxy;
    private S3ObjectStore lean;
    private S3ObjectStore sdk;
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
        lean = store(true, Map.of());
        sdk = store(false, Map.of());
    }

    @AfterEach
    void stopProxy() {
        lean.close();
        sdk.close();
        proxy.close();
    }

    private S3ObjectStore store(boolean leanGet, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        settings.put("S3DLIO_S3_MAX_RETRIES", "2");
        settings.put("S3DLIO_S3_READ_TIMEOUT", "1s");
        settings.put("S3DLIO_S3_REQUEST_TIMEOUT", "6s");
        settings.put(S3Config.LEAN_GET, Boolean.toString(leanGet));
        settings.put(S3Config.LEAN_PUT, Boolean.toString(leanGet));
        settings.putAll(extra);
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
    }

    private Location object(String name) throws IOException {
        Location location = direct.bucket().withKey("lean-" + counter.incrementAndGet() + "/" + name);
        direct.s3Store().put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
        return location;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private List<FaultProxy.Request> sent(Operation operation) {
        return proxy.requests().stream().filter(r -> r.operation() == operation).toList();
    }

    @Test
    void leanRequestsAreSignedAndAcceptedAndReallyLean() throws IOException {
        // Characters that SigV4's canonical URI must encode exactly as the server decodes them.
        Location location = object("dir/a b+c%d=e&f~g,h;i:j@k(l)m'n!o*p$q é.bin");
        assertThat(bytes(lean.get(location).buffer())).isEqualTo(DATA);
        assertThat(bytes(lean.getRange(location, 1_000, OptionalLong.of(5_000)).buffer()))
                .isEqualTo(java.util.Arrays.copyOfRange(DATA, 1_000, 6_000));
        ByteBuffer target = ByteBuffer.allocateDirect(10_000);
        ReadResult result = lean.read(location, SIZE - 4_000, target);
        assertThat(result.bytesRead()).isEqualTo(4_000);
        assertThat(result.objectSize()).hasValue(SIZE);
        ObjectInfo info = lean.stat(location);

        List<FaultProxy.Request> gets = sent(Operation.GET_OBJECT);
        List<FaultProxy.Request> heads = sent(Operation.HEAD_OBJECT);
        assertThat(gets).hasSize(3);
        assertThat(heads).hasSize(1);
        for (FaultProxy.Request request : concat(gets, heads)) {
            assertThat(request.headers().get("user-agent")).contains("s3dlio-lean");
            assertThat(request.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=test/");
            assertThat(request.headers().get("x-amz-checksum-mode")).isEqualTo("ENABLED");
        }
        assertThat(gets.get(1).headers().get("range")).isEqualTo("bytes=1000-5999");

        // The same object through the SDK client: the same answers, the SDK's own requests.
        proxy.resetCounts();
        assertThat(sdk.stat(location)).isEqualTo(info);
        assertThat(bytes(sdk.get(location).buffer())).isEqualTo(DATA);
        for (FaultProxy.Request request : proxy.requests()) {
            assertThat(request.headers().get("user-agent")).doesNotContain("s3dlio-lean");
        }
        assertThat(info.size()).isEqualTo(SIZE);
        assertThat(info.etag()).isPresent();
        assertThat(info.lastModified()).isPresent();
    }

    @Test
    void userMetadataAndContentTypeComeBackAsOnTheSdkPath() throws IOException {
        Location location = direct.bucket().withKey("lean-" + counter.incrementAndGet() + "/meta.bin");
        direct.s3Store().put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT.withContentType("application/x-test")
                .withMetadata(Map.of("owner", "lean", "purpose", "headers")));
        ObjectInfo viaLean = lean.stat(location);
        assertThat(viaLean).isEqualTo(sdk.stat(location));
        assertThat(viaLean.contentType()).hasValue("application/x-test");
        assertThat(viaLean.metadata()).containsEntry("owner", "lean").containsEntry("purpose", "headers");
    }

    /** One failing call, run on both paths: the same exception class, message and retry advice. */
    private interface Call {
        void run(S3ObjectStore store) throws IOException;
    }

    private static String outcome(S3ObjectStore store, Call call) {
        try {
            call.run(store);
            return "no failure";
        } catch (IOException e) {
            return e.getClass().getName() + ": " + e.getMessage()
                    + (e instanceof StorageException storage ? " retryable=" + storage.isRetryable() : "")
                    + (e instanceof AccessDeniedException denied ? " reason=" + denied.reason() : "");
        }
    }

    @Test
    void everyFailureIsTheSameExceptionAsOnTheSdkPath() throws IOException {
        Location present = object("present.bin");
        Location missingKey = direct.bucket().withKey("lean-missing/" + counter.incrementAndGet());
        Location missingBucket = Location.parse("s3://lean-no-such-bucket-" + counter.incrementAndGet() + "/key");
        Map<String, Call> calls = new java.util.LinkedHashMap<>();
        calls.put("GET of a missing key", s -> s.get(missingKey));
        calls.put("GET of a key in a missing bucket", s -> s.get(missingBucket));
        calls.put("ranged GET of a missing key", s -> s.getRange(missingKey, 10, OptionalLong.of(10)));
        calls.put("positional read of a missing key", s -> s.read(missingKey, 0, ByteBuffer.allocate(10)));
        calls.put("HEAD of a missing key", s -> s.stat(missingKey));
        calls.put("HEAD in a missing bucket", s -> s.stat(missingBucket));
        calls.put("range past the end", s -> s.getRange(present, SIZE + 10, OptionalLong.of(5)));
        Map<String, String> leanOutcomes = new java.util.LinkedHashMap<>();
        Map<String, String> sdkOutcomes = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Call> call : calls.entrySet()) {
            leanOutcomes.put(call.getKey(), outcome(lean, call.getValue()));
            sdkOutcomes.put(call.getKey(), outcome(sdk, call.getValue()));
        }
        assertThat(leanOutcomes).isEqualTo(sdkOutcomes);
        assertThat(leanOutcomes.get("GET of a missing key")).startsWith("io.s3dlio.api.ObjectNotFoundException");
        assertThat(leanOutcomes.get("GET of a key in a missing bucket")).startsWith("io.s3dlio.api.ContainerNotFoundException");
        assertThat(leanOutcomes.get("range past the end")).doesNotContain("no failure");

        // A read at the end (a 416) reports the size, with the same requests as before.
        proxy.resetCounts();
        ReadResult atEnd = lean.read(present, SIZE, ByteBuffer.allocate(10));
        Map<Operation, Long> leanCounts = proxy.counts();
        proxy.resetCounts();
        assertThat(atEnd).isEqualTo(sdk.read(present, SIZE, ByteBuffer.allocate(10)));
        assertThat(atEnd.bytesRead()).isZero();
        assertThat(atEnd.objectSize()).hasValue(SIZE);
        assertThat(leanCounts).isEqualTo(proxy.counts());
    }

    @Test
    void wrongCredentialsAreRefusedAsOnTheSdkPath() throws IOException {
        Location present = object("present.bin");
        Map<String, String> wrongSecret = Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret");
        Map<String, String> wrongKey = Map.of("AWS_ACCESS_KEY_ID", "nobody");
        List<String> leanOutcomes = new ArrayList<>();
        List<String> sdkOutcomes = new ArrayList<>();
        for (Map<String, String> settings : List.of(wrongSecret, wrongKey)) {
            try (S3ObjectStore leanStore = store(true, settings); S3ObjectStore sdkStore = store(false, settings)) {
                for (Call call : List.<Call>of(s -> s.get(present), s -> s.stat(present),
                        s -> s.read(present, 0, ByteBuffer.allocate(10)))) {
                    leanOutcomes.add(outcome(leanStore, call));
                    sdkOutcomes.add(outcome(sdkStore, call));
                }
            }
        }
        assertThat(leanOutcomes).isEqualTo(sdkOutcomes);
        assertThat(leanOutcomes).allSatisfy(o -> assertThat(o).startsWith("io.s3dlio.api.AccessDeniedException"));
    }

    @Test
    void a503IsRetriedWithTheSameBudgetAsOnTheSdkPath() throws IOException {
        Location location = object("busy.bin");
        proxy.first(2, on(Operation.GET_OBJECT), Fault.status(503));
        assertThat(bytes(lean.get(location).buffer())).isEqualTo(DATA);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);

        // A HEAD answered 503 once is retried and succeeds, with as many requests as the SDK client sends.
        proxy.resetCounts();
        proxy.first(1, on(Operation.HEAD_OBJECT), Fault.status(503));
        assertThat(sdk.stat(location).size()).isEqualTo(SIZE);
        long sdkHeads = proxy.count(Operation.HEAD_OBJECT);
        proxy.resetCounts();
        proxy.first(1, on(Operation.HEAD_OBJECT), Fault.status(503));
        assertThat(lean.stat(location).size()).isEqualTo(SIZE);
        // The proxy's injected 503 to a HEAD carries a body (HTTP forbids it): the Apache client reads those bytes
        // as the next answer on the kept connection and fails once more; the plain-http path (S3DLIO_S3_PLAIN_HTTP_GET)
        // does not use a failed HEAD's connection again, so it may need one HEAD fewer.
        assertThat(proxy.count(Operation.HEAD_OBJECT)).isGreaterThan(1).isLessThanOrEqualTo(sdkHeads);

        // A persistent 503: three attempts (S3DLIO_S3_MAX_RETRIES=2) and the same failure on both paths.
        proxy.clearRules();
        proxy.always(on(Operation.GET_OBJECT), Fault.status(503));
        proxy.resetCounts();
        String viaLean = outcome(lean, s -> s.get(location));
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);
        proxy.resetCounts();
        assertThat(viaLean).isEqualTo(outcome(sdk, s -> s.get(location)))
                .contains("SlowDown (HTTP 503): injected by FaultProxy").contains("retryable=true");
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);
        // HEAD: the same exception and retry advice. (The proxy's injected answer to a HEAD carries a body,
        // which HTTP forbids, so the SDK's message text for it is not a reference.)
        proxy.always(on(Operation.HEAD_OBJECT), Fault.status(503));
        proxy.resetCounts();
        assertThatThrownBy(() -> lean.stat(location)).isInstanceOf(StorageException.class)
                .hasMessageContaining("HEAD failed: HTTP 503")
                .satisfies(e -> assertThat(((StorageException) e).isRetryable()).isTrue());
        long leanHeads = proxy.count(Operation.HEAD_OBJECT);
        proxy.resetCounts();
        assertThatThrownBy(() -> sdk.stat(location)).isInstanceOf(StorageException.class);
        assertThat(leanHeads).isEqualTo(proxy.count(Operation.HEAD_OBJECT)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aResetBodyResumesOnTheLeanPath() throws IOException {
        Location location = object("reset.bin");
        proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(100_000));
        assertThat(bytes(lean.get(location).buffer())).isEqualTo(DATA);
        List<FaultProxy.Request> gets = sent(Operation.GET_OBJECT);
        assertThat(gets).hasSize(2);
        assertThat(gets.get(1).headers().get("if-match")).isNotBlank();
        assertThat(gets.get(1).headers().get("user-agent")).contains("s3dlio-lean");
    }

    @Test
    void anInterruptedGetEndsPromptlyAndTheStoreKeepsWorking() throws Exception {
        Location location = object("stalled.bin");
        proxy.first(1, on(Operation.GET_OBJECT), Fault.stallAfter(1_000, Duration.ofSeconds(30)));
        try (S3ObjectStore patient = store(true, Map.of("S3DLIO_S3_READ_TIMEOUT", "60s",
                "S3DLIO_S3_REQUEST_TIMEOUT", "60s"))) {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    patient.get(location);
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            while (proxy.count(Operation.GET_OBJECT) == 0) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            reader.interrupt();
            Throwable thrown = failure.get(20, TimeUnit.SECONDS);
            assertThat(thrown).isInstanceOf(InterruptedIOException.class).hasMessageContaining(location.toString());
            reader.join();
            // The aborted connection is not handed to the next read.
            assertThat(bytes(patient.get(location).buffer())).isEqualTo(DATA);
        }
    }

    @Test
    void anOpeningThatNeverAnswersEndsAtTheRequestDeadline() throws IOException {
        Location location = object("silent.bin");
        proxy.always(on(Operation.GET_OBJECT), Fault.stallBeforeHeaders(Duration.ofSeconds(30)));
        try (S3ObjectStore slowSocket = store(true, Map.of("S3DLIO_S3_READ_TIMEOUT", "60s"))) {
            assertThatThrownBy(() -> slowSocket.get(location)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("GET gave up after 6000 ms");
        }
    }

    @Test
    void aReadThatStopsEarlyLeavesTheStoreWorking() throws IOException {
        Location location = object("partial.bin");
        ByteBuffer target = ByteBuffer.allocate(1_000);
        assertThat(lean.read(location, 0, target).bytesRead()).isEqualTo(1_000);
        assertThat(bytes(target.flip())).isEqualTo(java.util.Arrays.copyOf(DATA, 1_000));
        // The next read on the same store still works (the pool is healthy).
        assertThat(bytes(lean.getRange(location, SIZE - 10, OptionalLong.empty()).buffer()))
                .isEqualTo(java.util.Arrays.copyOfRange(DATA, SIZE - 10, SIZE));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
    @Test
    void containerCheckIsOneLeanHeadBucketAndNamesAMissingBucket() throws IOException {
        lean.requireContainer(direct.bucket().withKey("any/key"));
        assertThat(proxy.requests()).hasSize(1);
        assertThat(proxy.requests().getFirst().method()).isEqualTo("HEAD");
        assertThat(LeanS3Client.of(lean.client()).sdkClientBuilt()).as("SDK client built").isFalse();
        Location missing = Location.parse("s3://no-such-bucket-" + counter.incrementAndGet() + "/x");
        for (S3ObjectStore store : List.of(lean, sdk)) {
            assertThatThrownBy(() -> store.requireContainer(missing))
                    .isInstanceOf(io.s3dlio.api.ContainerNotFoundException.class)
                    .hasMessageContaining(missing.container());
        }
        assertThat(LeanS3Client.of(lean.client()).sdkClientBuilt()).as("SDK client built").isFalse();
        // Through decorators as the CLI holds the store: the probe finds the S3 store under them.
        io.s3dlio.spi.ContainerProbe.require(new io.s3dlio.testkit.ReadCountingStore(lean), direct.bucket());
        assertThatThrownBy(() -> io.s3dlio.spi.ContainerProbe.require(new io.s3dlio.testkit.ReadCountingStore(lean),
                missing)).isInstanceOf(io.s3dlio.api.ContainerNotFoundException.class);
    }

    @Test
    void smallObjectsReadIntoAReusedBodyArrayByteForByte() throws IOException {
        Location first = object("first.bin");
        byte[] other = TestData.bytes(70_000, 5);
        Location second = direct.bucket().withKey("lean-" + counter.incrementAndGet() + "/second.bin");
        direct.s3Store().put(second, ByteBuffer.wrap(other), WriteOptions.DEFAULT);
        for (int round = 0; round < 3; round++) {
            for (Map.Entry<Location, byte[]> entry : Map.of(first, DATA, second, other).entrySet()) {
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                long n = lean.readInto(entry.getKey(), OptionalLong.of(entry.getValue().length), (offset, bytes) -> {
                    assertThat(offset).isEqualTo(got.size());
                    got.write(bytes(bytes));
                });
                assertThat(n).isEqualTo(entry.getValue().length);
                assertThat(got.toByteArray()).isEqualTo(entry.getValue());
            }
        }
        // A listed size smaller than the object (it grew): the whole object still arrives.
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        assertThat(lean.readInto(first, OptionalLong.of(10), (offset, bytes) -> got.write(bytes(bytes)))).isEqualTo(SIZE);
        assertThat(got.toByteArray()).isEqualTo(DATA);
        assertThatThrownBy(() -> lean.readInto(direct.bucket().withKey("lean-missing-" + counter.incrementAndGet()),
                OptionalLong.of(100), (offset, bytes) -> { })).isInstanceOf(io.s3dlio.api.ObjectNotFoundException.class);
    }
}
