package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The op log on real stores: file:// and s3:// against S3Proxy 4.1.0 (started here), and its reader. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpLogTest {
    private S3ProxyServer server;

    @TempDir
    Path temp;

    @BeforeAll
    void start() {
        server = S3ProxyServer.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** What the test asked for, one entry per store call it made. */
    private record Expected(String op, String uri, long bytes, boolean fails) {}

    @Test
    void aMixedRunOnFileAndS3HasOneCorrectLinePerRequest() throws Exception {
        Path log = temp.resolve("run.csv.zst");
        List<Operation> seen = Collections.synchronizedList(new ArrayList<>());
        List<Expected> expected = Collections.synchronizedList(new ArrayList<>());
        Location s3 = Location.parse("s3://oplog-bucket/run/");
        Location file = Location.ofLocalPath(temp.resolve("files")).asPrefix();
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(server.storeSettings()));
             OpLogWriter writer = OpLogWriter.open(OpLogOptions.of(log).withClientId("test-client"));
             ObjectStores logged = stores.decoratedWith(new RecordingDecorator(OperationListener.all(writer, seen::add)))) {
            logged.forLocation(s3).createContainer(s3.containerRoot());
            expected.add(new Expected("CREATE_CONTAINER", s3.containerRoot().toString(), 0, false));
            try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
                List<Future<?>> work = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    work.add(threads.submit(() -> {
                        for (Location base : List.of(s3, file)) {
                            ObjectStore store = logged.forLocation(base);
                            for (int i = 0; i < 5; i++) {
                                Location object = base.resolve("t" + thread + "/obj-" + i);
                                int size = 1000 * (thread + 1) + i;
                                store.put(object, ByteBuffer.wrap(TestData.bytes(size, i)), WriteOptions.DEFAULT);
                                expected.add(new Expected("PUT", object.toString(), size, false));
                                assertThat(store.get(object).size()).isEqualTo(size);
                                expected.add(new Expected("GET", object.toString(), size, false));
                                assertThat(store.getRange(object, 10, java.util.OptionalLong.of(100)).size()).isEqualTo(100);
                                expected.add(new Expected("GET_RANGE", object.toString(), 100, false));
                                assertThat(store.stat(object).size()).isEqualTo(size);
                                expected.add(new Expected("STAT", object.toString(), size, false));
                            }
                            Location streamed = base.resolve("t" + thread + "/streamed");
                            try (ObjectWriter w = store.newWriter(streamed, WriteOptions.DEFAULT)) {
                                w.write(ByteBuffer.wrap(TestData.bytes(3000, 9)));
                                w.write(ByteBuffer.wrap(TestData.bytes(4000, 8)));
                                w.finish();
                            }
                            expected.add(new Expected("PUT", streamed.toString(), 7000, false));
                            Location missing = base.resolve("t" + thread + "/missing");
                            assertThatThrownBy(() -> store.get(missing)).isInstanceOf(ObjectNotFoundException.class);
                            expected.add(new Expected("GET", missing.toString(), 0, true));
                            store.delete(base.resolve("t" + thread + "/obj-0"));
                            expected.add(new Expected("DELETE", base.resolve("t" + thread + "/obj-0").toString(), 0, false));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get();
                }
            }
            try (Stream<?> listing = logged.forLocation(s3).list(s3, ListMode.RECURSIVE)) {
                assertThat(listing.count()).isEqualTo(4 * 5);
            }
            expected.add(new Expected("LIST", s3.toString(), 0, false));
        }

        List<OpRecord> records = OpLogReader.readAll(log);
        // One line per request: same multiset of (op, uri, bytes, failed).
        assertThat(records).hasSize(expected.size());
        assertThat(records.stream().map(r -> new Expected(r.op(), r.uri(), r.bytes(), r.failed())).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        // Non-decreasing start (and end) per thread, in the order each thread made its calls.
        Map<Long, List<OpRecord>> byThread = records.stream().collect(Collectors.groupingBy(OpRecord::thread));
        assertThat(byThread.size()).isGreaterThanOrEqualTo(4);
        for (List<OpRecord> ofThread : byThread.values()) {
            List<OpRecord> inOrder = new ArrayList<>(ofThread);
            inOrder.sort(java.util.Comparator.comparingLong(OpRecord::index));
            for (int i = 1; i < inOrder.size(); i++) {
                assertThat(inOrder.get(i).startNanos()).isGreaterThanOrEqualTo(inOrder.get(i - 1).endNanos());
            }
        }
        // Round trip: every field the reader returns is what the store reported.
        Map<String, Operation> byKey = new HashMap<>();
        for (Operation operation : seen) {
            byKey.put((operation.threadId() & 0xFFFF) + "@" + operation.startNanos(), operation);
        }
        for (OpRecord record : records) {
            Operation operation = byKey.get(record.thread() + "@" + record.startNanos());
            assertThat(operation).as("record %s", record).isNotNull();
            assertThat(record.op()).isEqualTo(operation.type().name());
            assertThat(record.uri()).isEqualTo(operation.location().toString());
            assertThat(record.bytes()).isEqualTo(operation.bytes());
            assertThat(record.endNanos()).isEqualTo(operation.endNanos());
            assertThat(record.durationNanos()).isEqualTo(operation.durationNanos()).isNotNegative();
            assertThat(record.error()).isEqualTo(operation.error());
            assertThat(record.clientId()).isEqualTo("test-client");
            assertThat(record.endpoint()).isIn("s3://oplog-bucket", "file://");
        }
        // S3 reads tell their first byte (between start and end); file reads and writes do not claim one.
        assertThat(records.stream().filter(r -> r.endpoint().startsWith("s3://") && r.op().startsWith("GET") && !r.failed()))
                .hasSize(4 * 5 * 2)
                .allSatisfy(r -> {
                    assertThat(r.firstByteNanos()).isPresent();
                    assertThat(r.firstByteNanos().getAsLong()).isBetween(r.startNanos(), r.endNanos());
                });
        assertThat(records.stream().filter(r -> r.endpoint().equals("file://") || r.op().equals("PUT")))
                .allSatisfy(r -> assertThat(r.firstByteNanos()).isEmpty());
        // A failed operation carries its error, naming the object.
        assertThat(records.stream().filter(OpRecord::failed))
                .hasSize(8)
                .allSatisfy(r -> assertThat(r.error().orElseThrow()).contains("missing"));
        // The test credentials never appear, compressed or not.
        String text = decompress(log);
        assertThat(text).startsWith("idx\tthread\top\tclient_id\tn_objects\tbytes\tendpoint\tfile\terror\tstart\t"
                + "first_byte\tlast_byte\tend\tduration_ns\tcat\n");
        assertThat(text).doesNotContain(S3ProxyServer.SECRET_KEY, "AWS4-HMAC", "Signature", "X-Amz-Credential",
                server.endpoint());
        assertThat(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1)).doesNotContain(S3ProxyServer.SECRET_KEY);
        assertThat(Files.exists(temp.resolve("run.csv.zst.partial"))).isFalse();
    }

    @Test
    void theRegistryWritesTheLogThatTheVariableNames() throws Exception {
        Path log = temp.resolve("registry.csv.zst");
        Location object = Location.ofLocalPath(temp.resolve("data/a.bin"));
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of(OpLogOptions.VARIABLE, log.toString())))) {
            ObjectStore store = stores.forLocation(object);
            store.put(object, ByteBuffer.wrap(TestData.bytes(5000, 1)), WriteOptions.DEFAULT);
            store.get(object);
            assertThat(Files.exists(log)).as("renamed only at close").isFalse();
        }
        List<OpRecord> records = OpLogReader.readAll(log);
        assertThat(records).extracting(OpRecord::op).containsExactly("PUT", "GET");
        assertThat(records).extracting(OpRecord::bytes).containsExactly(5000L, 5000L);
        assertThat(records.getFirst().uri()).isEqualTo(object.toString());
    }

    @Test
    void aFullQueueIsCountedAndNotedNeverLostSilently() throws Exception {
        for (OpLogOptions.WhenFull policy : OpLogOptions.WhenFull.values()) {
            Path log = temp.resolve("full-" + policy + ".csv.zst");
            OpLogWriter writer = OpLogWriter.open(OpLogOptions.of(log).withQueue(1, policy));
            int perThread = 5000;
            try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
                for (int t = 0; t < 4; t++) {
                    threads.execute(() -> {
                        for (int i = 0; i < perThread; i++) {
                            writer.onOperation(new Operation(OpType.GET, Location.parse("mem://b/k" + i), i, 1, i,
                                    java.util.OptionalLong.empty(), i + 1, Thread.currentThread().threadId(),
                                    java.util.Optional.empty()));
                        }
                    });
                }
            }
            writer.close();
            OpLogWriter.Stats stats = writer.stats();
            List<OpRecord> records = OpLogReader.readAll(log);
            assertThat(stats.written()).isEqualTo(records.size());
            assertThat(stats.written() + stats.dropped() + stats.afterClose()).isEqualTo(4L * perThread);
            if (policy == OpLogOptions.WhenFull.BLOCK) {
                assertThat(stats.dropped()).isZero();
                assertThat(records).hasSize(4 * perThread);
            }
            if (stats.noteworthy()) {
                assertThat(decompress(log)).contains("# s3dlio op log: " + stats.written() + " operations logged");
            }
        }
    }

    @Test
    void readsWarpAndOriginalS3dlioLogs() throws Exception {
        // warp (pkg/bench/ops.go Operations.CSV): quoted endpoint/error, nanosecond RFC 3339, a trailing comment.
        Path warp = temp.resolve("warp.csv.zst");
        compress(warp, "idx\tthread\top\tclient_id\tn_objects\tbytes\tendpoint\tfile\terror\tstart\tfirst_byte\tlast_byte\tend\tduration_ns\tcat\n"
                + "0\t3\tGET\tqwErt\t1\t65536\thttp://127.0.0.1:9000\tobj/0001.rnd\t\t2024-05-01T10:00:00.000000001Z\t"
                + "2024-05-01T10:00:00.0005Z\t2024-05-01T10:00:00.0009Z\t2024-05-01T10:00:00.001000001Z\t1000000\t0\n"
                + "1\t4\tPUT\tqwErt\t1\t10\thttp://127.0.0.1:9000\tobj/0002.rnd\t\"bad \"\"quote\"\"\tand tab\"\t"
                + "2024-05-01T10:00:01Z\t\t\t2024-05-01T10:00:02Z\t1000000000\t0\n"
                + "# warp run comment\n");
        List<OpRecord> warpRecords = OpLogReader.readAll(warp);
        assertThat(warpRecords).hasSize(2);
        OpRecord get = warpRecords.getFirst();
        assertThat(get.op()).isEqualTo("GET");
        assertThat(get.thread()).isEqualTo(3);
        assertThat(get.bytes()).isEqualTo(65536);
        assertThat(get.durationNanos()).isEqualTo(1_000_000);
        assertThat(get.timeToFirstByteNanos()).hasValue(499_999);
        assertThat(get.uri()).isEqualTo("obj/0001.rnd");
        assertThat(warpRecords.get(1).error()).hasValue("bad \"quote\"\tand tab");
        // The original s3dlio (src/s3_logger.rs): no last_byte or cat, usize thread hashes, scheme-less file column.
        Path rust = temp.resolve("s3dlio-rs.tsv.zst");
        compress(rust, "idx\tthread\top\tclient_id\tn_objects\tbytes\tendpoint\tfile\terror\tstart\tfirst_byte\tend\tduration_ns\n"
                + "0\t14695981039346656037\tGET\tagent-1\t1\t1048576\ts3://bucket\tbucket/data/file.bin\t\t"
                + "2025-01-15T10:30:45.123456789Z\t2025-01-15T10:30:45.150000000Z\t2025-01-15T10:30:45.234567890Z\t111111101\n"
                + "1\t7\tLIST\t\t0\t0\tfile://\t/tmp/data/\t\t2025-01-15T10:30:46Z\t\t2025-01-15T10:30:46.5Z\t500000000\n");
        List<OpRecord> rustRecords = OpLogReader.readAll(rust);
        assertThat(rustRecords).extracting(OpRecord::uri).containsExactly("s3://bucket/data/file.bin", "file:///tmp/data/");
        assertThat(rustRecords.getFirst().thread()).isEqualTo(Long.parseUnsignedLong("14695981039346656037"));
        assertThat(rustRecords.getFirst().clientId()).isEqualTo("agent-1");
        assertThat(rustRecords.getFirst().durationNanos()).isEqualTo(111_111_101);
        // Plain (uncompressed) text reads too; a header without an op column is refused naming the file.
        Path plain = temp.resolve("plain.tsv");
        Files.writeString(plain, "op\tstart\tduration_ns\nGET\t2025-01-15T10:30:45Z\t5\n", StandardCharsets.UTF_8);
        assertThat(OpLogReader.readAll(plain)).singleElement().satisfies(r -> assertThat(r.durationNanos()).isEqualTo(5));
        Path bad = temp.resolve("bad.tsv");
        Files.writeString(bad, "a\tb\n1\t2\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> OpLogReader.readAll(bad)).hasMessageContaining(bad.toString()).hasMessageContaining("'op'");
    }

    @Test
    void latencyPercentilesPerType() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 1; i <= 1000; i++) {
            recorder.record("GET", i * 1_000_000L, java.util.OptionalLong.of(i * 1000L), 10, false);
        }
        recorder.record("GET", 5, java.util.OptionalLong.empty(), 0, true);
        LatencyRecorder.OpSummary get = recorder.summary().getFirst();
        assertThat(get.succeeded()).isEqualTo(1000);
        assertThat(get.failed()).isEqualTo(1);
        assertThat(get.bytes()).isEqualTo(10_000);
        assertThat(get.latency().p50()).isBetween(499_000_000L, 501_000_000L);
        assertThat(get.latency().p99()).isBetween(989_000_000L, 991_000_000L);
        assertThat(get.latency().max()).isBetween(999_000_000L, 1_001_000_000L);
        assertThat(get.firstByte()).isPresent();
        assertThat(get.toText()).startsWith("GET 1000 ok, 1 failed: p50 ");
    }

    static String decompress(Path file) throws IOException {
        try (InputStream in = new ZstdInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static void compress(Path file, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZstdOutputStream out = new ZstdOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(file, bytes.toByteArray());
    }
}
