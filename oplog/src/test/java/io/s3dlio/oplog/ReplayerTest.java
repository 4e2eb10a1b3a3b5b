package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replay of recorded logs against a second store (mem:// recorded, file:// replayed). */
class ReplayerTest {
    @TempDir
    Path temp;

    @Test
    void replayOfARecorded1000OperationLogIssuesTheSameCountsAndBytes() throws Exception {
        Path log = temp.resolve("recorded.csv.zst");
        Location source = Location.parse("mem://source/run/");
        Location target = Location.ofLocalPath(temp.resolve("target")).asPrefix();
        try (ObjectStores stores = ObjectStores.create(ConfigSource.empty())) {
            ObjectStore plain = stores.forLocation(source);
            plain.createContainer(source.containerRoot());
            ObjectStore targetStore = stores.forLocation(target);
            // The objects the recorded run reads exist in both stores beforehand (not recorded).
            for (int i = 0; i < 100; i++) {
                ByteBuffer data = ByteBuffer.wrap(TestData.bytes(1000 + 37 * i, i));
                plain.put(source.resolve("in/obj-" + i), data.duplicate(), WriteOptions.DEFAULT);
                targetStore.put(target.resolve("in/obj-" + i), data, WriteOptions.DEFAULT);
            }
            try (OpLogWriter writer = OpLogWriter.open(OpLogOptions.of(log));
                 ObjectStores logged = stores.decoratedWith(new RecordingDecorator(writer));
                 ExecutorService threads = Executors.newFixedThreadPool(4)) {
                ObjectStore store = logged.forLocation(source);
                for (int t = 0; t < 4; t++) {
                    int thread = t;
                    threads.execute(() -> {
                        try {
                            for (int i = thread; i < 100; i += 4) {
                                store.get(source.resolve("in/obj-" + i));
                                store.stat(source.resolve("in/obj-" + i));
                                store.getRange(source.resolve("in/obj-" + i), 0, OptionalLong.of(500));
                                store.put(source.resolve("out/" + thread + "/new-" + i),
                                        ByteBuffer.wrap(TestData.bytes(2000 + i, i)), WriteOptions.DEFAULT);
                            }
                            for (int i = thread; i < 100; i += 4) {
                                store.get(source.resolve("out/" + thread + "/new-" + i));
                                store.delete(source.resolve("out/" + thread + "/new-" + i));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
            List<OpRecord> recorded = OpLogReader.readAll(log);
            assertThat(recorded).hasSize(600);
            // Pad to 1,000 operations with GETs of the inputs, recorded one after another on this thread.
            try (OpLogWriter writer = OpLogWriter.open(OpLogOptions.of(temp.resolve("more.csv.zst")));
                 ObjectStores logged = stores.decoratedWith(new RecordingDecorator(writer))) {
                ObjectStore store = logged.forLocation(source);
                for (int i = 0; i < 400; i++) {
                    store.get(source.resolve("in/obj-" + (i % 100)));
                }
            }
            List<OpRecord> all = new java.util.ArrayList<>(recorded);
            all.addAll(OpLogReader.readAll(temp.resolve("more.csv.zst")));
            assertThat(all).hasSize(1000);
            Map<String, Long> recordedCounts = all.stream().collect(Collectors.groupingBy(OpRecord::op, Collectors.counting()));
            Map<String, Long> recordedBytes = all.stream().collect(Collectors.groupingBy(OpRecord::op,
                    Collectors.summingLong(r -> r.op().equals("STAT") ? 0 : r.bytes())));

            // Ordered by PUT -> GET -> DELETE per key, which the schedule keeps when ops start in recorded order
            // and one at a time per key: jobs 1 keeps it strict.
            Replayer.Report report = Replayer.replay(all, targetStore,
                    new Replayer.Options(target, 1.0, Set.of(), 1));
            assertThat(report.failures()).isEmpty();
            assertThat(report.skipped()).isZero();
            assertThat(report.issued()).isEqualTo(1000);
            assertThat(report.counts().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().issued())))
                    .isEqualTo(recordedCounts);
            assertThat(report.counts().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().bytes())))
                    .isEqualTo(recordedBytes);
            assertThat(report.latency()).extracting(LatencyRecorder.OpSummary::op)
                    .containsExactlyInAnyOrder("DELETE", "GET", "GET_RANGE", "PUT", "STAT");
            assertThat(report.lag().count()).isEqualTo(1000);
            // The PUTs landed in the target under the same relative names, then were deleted as recorded.
            assertThat(targetStore.exists(target.resolve("out/0/new-0"))).isFalse();
            assertThat(targetStore.exists(target.resolve("in/obj-99"))).isTrue();

            // --ops: only the chosen types are issued, the rest counted as skipped.
            Replayer.Report gets = Replayer.replay(all, targetStore, new Replayer.Options(target, 1.0, Set.of(OpType.GET), 8));
            assertThat(gets.counts()).containsOnlyKeys("GET");
            assertThat(gets.skipped()).isEqualTo(1000 - recordedCounts.get("GET"));
        }
    }

    @Test
    void speedTwoRunsTheRecordedScheduleInHalfTheTime() throws Exception {
        // 101 STATs recorded 10 ms apart (a 1 s span), replayed on a fake clock: the schedule alone sets the time.
        List<OpRecord> log = new java.util.ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            long start = 1_700_000_000_000_000_000L + i * 10_000_000L;
            log.add(new OpRecord(i, 1, "STAT", "", 1, 0, "mem://b", "b/k", Optional.empty(), start, OptionalLong.empty(),
                    start + 1000));
        }
        FakeTicker ticker = new FakeTicker();
        try (ObjectStores stores = ObjectStores.create(ConfigSource.empty())) {
            Location target = Location.parse("mem://b/");
            ObjectStore store = stores.forLocation(target);
            store.createContainer(target);
            store.put(target.resolve("k"), ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT);
            Replayer.Report normal = Replayer.replay(log, store, new Replayer.Options(target, 1.0, Set.of(), 4), ticker);
            Replayer.Report twice = Replayer.replay(log, store, new Replayer.Options(target, 2.0, Set.of(), 4), ticker);
            assertThat(normal.recordedSpanNanos()).isEqualTo(1_000_000_000L);
            assertThat(normal.elapsedNanos()).isEqualTo(1_000_000_000L);
            assertThat(twice.elapsedNanos()).isEqualTo(500_000_000L);
            assertThat(twice.counts().get("STAT").issued()).isEqualTo(101);
            assertThat(ticker.sleeps.get()).isEqualTo(2 * 100);
        }
    }

    /** Time moves only when the replay sleeps. */
    private static final class FakeTicker implements Replayer.Ticker {
        private final AtomicLong now = new AtomicLong(1_000_000_000L);
        final AtomicLong sleeps = new AtomicLong();

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void sleepUntil(long deadline) {
            if (deadline > now.get()) {
                sleeps.incrementAndGet();
                now.set(deadline);
            }
        }
    }
}
