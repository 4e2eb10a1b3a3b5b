package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Many more recording threads than stripes, on few cores, with summaries read while they record: a stripe is
 * held by one thread at a time (a histogram is not thread-safe, a lost update would show in the counts), and
 * nothing recorded is lost or counted twice.
 */
class LatencyRecorderConcurrencyTest {
    private static final int THREADS = 48;
    private static final int PER_THREAD = 20_000;

    @Test
    void everyRecordIsCountedOnceWhileSummariesAreRead() throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        Location location = Location.parse("mem://bucket/key");
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean done = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1, Thread.ofPlatform().name("recorder-", 0).factory())) {
            List<Future<?>> recorders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                recorders.add(pool.submit(() -> {
                    start.await();
                    for (int i = 1; i <= PER_THREAD; i++) {
                        // Every fourth GET fails; the others read 3 bytes, with a first byte at half the duration.
                        boolean failed = i % 4 == 0;
                        long duration = i * 1_000L;
                        recorder.onOperation(new Operation(OpType.GET, location, failed ? 0 : 3, 1, 0,
                                failed ? OptionalLong.empty() : OptionalLong.of(duration / 2), duration, 1,
                                failed ? Optional.of("boom") : Optional.empty()));
                    }
                    return null;
                }));
            }
            Future<Long> reader = pool.submit(() -> {
                start.await();
                long summaries = 0;
                // At least one pass: on two cores the recorders can all finish before this thread first runs.
                do {
                    for (LatencyRecorder.OpSummary summary : recorder.summary()) {
                        assertThat(summary.succeeded()).isLessThanOrEqualTo((long) THREADS * PER_THREAD * 3 / 4);
                    }
                    summaries++;
                } while (!done.get());
                return summaries;
            });
            start.countDown();
            for (Future<?> future : recorders) {
                future.get();
            }
            done.set(true);
            assertThat(reader.get()).isPositive();
        }
        LatencyRecorder.OpSummary get = recorder.summary().getFirst();
        long succeeded = (long) THREADS * PER_THREAD * 3 / 4;
        assertThat(get.op()).isEqualTo("GET");
        assertThat(get.succeeded()).isEqualTo(succeeded);
        assertThat(get.failed()).isEqualTo((long) THREADS * PER_THREAD / 4);
        assertThat(get.bytes()).isEqualTo(succeeded * 3);
        assertThat(get.firstByte()).hasValueSatisfying(firstByte -> assertThat(firstByte.count()).isEqualTo(succeeded));
        // Durations 1..PER_THREAD us (the multiples of 4 failed): the largest successful one is 19,999 us.
        assertThat(get.latency().max()).isBetween(19_990_000L, 20_010_000L);
    }
}
