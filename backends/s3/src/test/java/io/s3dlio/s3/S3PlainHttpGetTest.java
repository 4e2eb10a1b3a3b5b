package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import io.s3dlio.engine.range.RangedObjectStore;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean GETs, HEADs and list pages on the store's own plain-http sockets ({@code S3DLIO_S3_PLAIN_HTTP_GET},
 * {@link PlainHttpBodies#call}) against S3Proxy, which checks SigV4, through a fault proxy that records what was
 * sent: the same bytes, answers and exceptions as on the Apache client ({@code S3DLIO_S3_PLAIN_HTTP_GET=false}),
 * side by side on the same server; no Apache client built; one kept connection for sequential requests; 503s
 * retried; a body cut by the server resumed, or, when it stays cut, an error and no file left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3PlainHttpGetTest {
    private static final int SIZE = 300_000;
    private static final byte[] DATA = TestData.bytes(SIZE, 31);

    private S3ProxyServer server;
    private S3Environment direct;
    private FaultProxy proxy;
    private S3ObjectStore plain;
    private S3ObjectStore apache;
    private final AtomicInteger counter = new AtomicInteger();
    @TempDir
    Path temp;

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
        plain = store(true, Map.of());
        apache = store(false, Map.of());
    }

    @AfterEach
    void stopProxy() {
        plain.close();
        apache.close();
        proxy.close();
    }

    private S3ObjectStore store(boolean plainHttpGet, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        settings.put("S3DLIO_S3_MAX_RETRIES", "2");
        settings.put("S3DLIO_S3_READ_TIMEOUT", "1s");
        settings.put("S3DLIO_S3_REQUEST_TIMEOUT", "6s");
        settings.put(S3Config.PLAIN_HTTP_GET, Boolean.toString(plainHttpGet));
        settings.putAll(extra);
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
    }

    private Location object(String name, byte[] data) throws IOException {
        Location location = direct.bucket().withKey("plain-" + counter.incrementAndGet() + "/" + name);
        direct.s3Store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        return location;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Everything a read path can answer for {@code location}, in one comparable text. */
    private static String reads(S3ObjectStore store, Location location, Location empty) throws IOException {
        StringBuilder seen = new StringBuilder();
        ObjectInfo info = store.stat(location);
        seen.append(info).append('\n');
        seen.append(Arrays.hashCode(bytes(store.get(location).buffer()))).append('\n');
        seen.append(Arrays.hashCode(bytes(store.getRange(location, 1_000, OptionalLong.of(5_000)).buffer())))
                .append('\n');
        seen.append(Arrays.hashCode(bytes(store.getRange(location, SIZE - 10, OptionalLong.empty()).buffer())))
                .append('\n');
        ByteBuffer direct = ByteBuffer.allocateDirect(10_000);
        ReadResult tail = store.read(location, SIZE - 4_000, direct);
        seen.append(tail).append(' ').append(Arrays.hashCode(bytes(direct.flip()))).append('\n');
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        ReadResult pieces = store.readStreamed(location, 7, SIZE - 7, ByteBuffer.allocate(64 * 1024), (at, piece) -> {
            assertThat(at).isEqualTo(7 + streamed.size());
            streamed.write(bytes(piece));
        });
        seen.append(pieces).append(' ').append(Arrays.hashCode(streamed.toByteArray())).append('\n');
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        seen.append(store.readInto(location, OptionalLong.of(SIZE), (at, piece) -> small.write(bytes(piece))))
                .append(' ').append(Arrays.hashCode(small.toByteArray())).append('\n');
        seen.append(store.stat(empty)).append(' ').append(store.get(empty).size()).append(' ')
                .append(store.read(empty, 0, ByteBuffer.allocate(10))).append('\n');
        seen.append(store.read(location, SIZE, ByteBuffer.allocate(10))).append('\n'); // a 416 names the size
        try (Stream<ListEntry> entries = store.list(location.withKey(location.key().substring(0,
                location.key().indexOf('/') + 1)), ListMode.RECURSIVE)) {
            entries.map(ListEntry::toString).sorted().forEach(entry -> seen.append(entry).append('\n'));
        }
        return seen.toString();
    }

    @Test
    void getsHeadsAndListsAreTheSameAsOnTheApacheClientAndNeverBuildIt() throws IOException {
        // Characters that SigV4's canonical URI must encode exactly as the server decodes them.
        Location location = object("dir/a b+c%d=e&f~g,h;i:j@k(l)m'n!o*p$q é.bin", DATA);
        Location empty = location.withKey(location.key().substring(0, location.key().indexOf('/') + 1) + "empty");
        direct.s3Store().put(empty, ByteBuffer.allocate(0), WriteOptions.DEFAULT);

        String viaPlain = reads(plain, location, empty);
        assertThat(plain.httpClientBuilt()).as("the Apache client was built").isFalse();
        List<FaultProxy.Request> sent = proxy.requests();
        assertThat(sent).isNotEmpty().allSatisfy(request -> {
            assertThat(request.headers().get("user-agent")).contains("s3dlio-lean");
            assertThat(request.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=test/");
        });
        assertThat(proxy.connectionCount()).as("connections for %d sequential requests", sent.size()).isEqualTo(1);

        proxy.resetCounts();
        String viaApache = reads(apache, location, empty);
        assertThat(apache.httpClientBuilt()).isTrue();
        assertThat(viaPlain).isEqualTo(viaApache).contains("size=" + SIZE);
        assertThat(bytes(plain.get(location).buffer())).isEqualTo(DATA);
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
                    + (e instanceof StorageException storage ? " retryable=" + storage.isRetryable() : "");
        }
    }

    @Test
    void missingKeysBucketsAndWrongKeysFailAsOnTheApacheClient() throws IOException {
        Location present = object("present.bin", DATA);
        Location missingKey = direct.bucket().withKey("plain-missing/" + counter.incrementAndGet());
        Location missingBucket = Location.parse("s3://plain-no-such-bucket-" + counter.incrementAndGet() + "/key");
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("GET of a missing key", s -> s.get(missingKey));
        calls.put("GET in a missing bucket", s -> s.get(missingBucket));
        calls.put("ranged GET of a missing key", s -> s.getRange(missingKey, 10, OptionalLong.of(10)));
        calls.put("positional read of a missing key", s -> s.read(missingKey, 0, ByteBuffer.allocate(10)));
        calls.put("HEAD of a missing key", s -> s.stat(missingKey));
        calls.put("HEAD in a missing bucket", s -> s.stat(missingBucket));
        calls.put("range past the end", s -> s.getRange(present, SIZE + 10, OptionalLong.of(5)));
        calls.put("bucket check of a missing bucket", s -> s.requireContainer(missingBucket));
        calls.put("list of a missing bucket", s -> {
            try (Stream<ListEntry> entries = s.list(missingBucket, ListMode.RECURSIVE)) {
                assertThat(entries.count()).isZero();
            }
        });
        Map<String, String> plainOutcomes = new LinkedHashMap<>();
        Map<String, String> apacheOutcomes = new LinkedHashMap<>();
        for (Map.Entry<String, Call> call : calls.entrySet()) {
            plainOutcomes.put(call.getKey(), outcome(plain, call.getValue()));
            apacheOutcomes.put(call.getKey(), outcome(apache, call.getValue()));
        }
        assertThat(plainOutcomes).isEqualTo(apacheOutcomes);
        assertThat(plainOutcomes.get("GET of a missing key")).startsWith("io.s3dlio.api.ObjectNotFoundException");
        assertThat(plainOutcomes.get("HEAD of a missing key")).startsWith("io.s3dlio.api.ObjectNotFoundException");
        assertThat(plainOutcomes.get("GET in a missing bucket")).startsWith("io.s3dlio.api.ContainerNotFoundException");
        assertThat(plain.httpClientBuilt()).isFalse();

        List<String> wrong = new java.util.ArrayList<>();
        List<String> wrongApache = new java.util.ArrayList<>();
        try (S3ObjectStore plainStore = store(true, Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"));
                S3ObjectStore apacheStore = store(false, Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret"))) {
            for (Call call : List.<Call>of(s -> s.get(present), s -> s.stat(present),
                    s -> s.read(present, 0, ByteBuffer.allocate(10)))) {
                wrong.add(outcome(plainStore, call));
                wrongApache.add(outcome(apacheStore, call));
            }
        }
        assertThat(wrong).isEqualTo(wrongApache)
                .allSatisfy(o -> assertThat(o).startsWith("io.s3dlio.api.AccessDeniedException"));
    }

    @Test
    void a503IsRetriedAndAResetBodyResumes() throws IOException {
        Location location = object("busy.bin", DATA);
        proxy.first(2, on(Operation.GET_OBJECT), Fault.status(503));
        assertThat(bytes(plain.get(location).buffer())).isEqualTo(DATA);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);

        proxy.resetCounts();
        proxy.first(1, on(Operation.HEAD_OBJECT), Fault.status(503));
        assertThat(plain.stat(location).size()).isEqualTo(SIZE);
        assertThat(proxy.count(Operation.HEAD_OBJECT)).isEqualTo(2);

        proxy.resetCounts();
        proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(100_000));
        assertThat(bytes(plain.get(location).buffer())).isEqualTo(DATA);
        List<FaultProxy.Request> gets = proxy.requests().stream()
                .filter(r -> r.operation() == Operation.GET_OBJECT).toList();
        assertThat(gets).hasSize(2);
        assertThat(gets.get(1).headers().get("if-match")).isNotBlank();
        assertThat(gets.get(1).headers().get("range")).doesNotStartWith("bytes=0-");

        proxy.resetCounts();
        proxy.first(1, on(Operation.GET_OBJECT), Fault.truncateAfter(5_000));
        ByteBuffer target = ByteBuffer.allocate(200_000);
        assertThat(plain.read(location, 50_000, target).bytesRead()).isEqualTo(200_000);
        assertThat(bytes(target.flip())).isEqualTo(Arrays.copyOfRange(DATA, 50_000, 250_000));
        assertThat(proxy.requests().getLast().headers().get("range")).isEqualTo("bytes=55000-249999");
        assertThat(plain.httpClientBuilt()).isFalse();
    }

    @Test
    void aBodyTheServerKeepsCuttingIsAnErrorAndLeavesNoFile() throws Exception {
        byte[] large = TestData.bytes(3 * 1024 * 1024 + 17, 7);
        Location location = object("large.bin", large);
        Location prefix = location.withKey(location.key().substring(0, location.key().indexOf('/') + 1));
        // Every GET's body is cut by the server after 100,000 bytes: the resumes run out, nothing is stitched.
        proxy.always(on(Operation.GET_OBJECT), Fault.truncateAfter(100_000));
        assertThatThrownBy(() -> plain.get(location)).isInstanceOf(StorageException.class)
                .hasMessageContaining("GET failed after 3 attempt(s)");

        Path directory = temp.resolve("cut");
        try (RangeEngine ranges = new RangeEngine(new RangeConfig(true, 1024 * 1024, 1024 * 1024, 4,
                16L * 1024 * 1024), "plain-test");
                TransferEngine engine = TransferEngine.builder(l -> new RangedObjectStore(plain, ranges)).build()) {
            TransferResult result = engine.downloadDirectory(prefix, ListMode.RECURSIVE, directory,
                    TransferOptions.jobs(2), TransferListener.NONE).completion().get();
            assertThat(result.objects()).isZero();
            assertThat(result.failures()).hasSize(1);
        }
        try (Stream<Path> files = Files.exists(directory) ? Files.walk(directory) : Stream.empty()) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("no partial or temporary file").isEmpty();
        }

        // Without the fault the same download is whole, through the range engine's streamed reads.
        proxy.clearRules();
        try (RangeEngine ranges = new RangeEngine(new RangeConfig(true, 1024 * 1024, 1024 * 1024, 4,
                16L * 1024 * 1024), "plain-test");
                TransferEngine engine = TransferEngine.builder(l -> new RangedObjectStore(plain, ranges)).build()) {
            TransferResult result = engine.downloadDirectory(prefix, ListMode.RECURSIVE, directory,
                    TransferOptions.jobs(2), TransferListener.NONE).completion().get();
            assertThat(result.failures()).isEmpty();
        }
        assertThat(Files.readAllBytes(directory.resolve("large.bin"))).isEqualTo(large);
        assertThat(plain.httpClientBuilt()).isFalse();
    }
}
