package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.api.StorageException;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Failures, cancellation, leaks and the memory bounds, with a fault-injecting store over mem://. */
class RangeEngineFailureTest {
    private static final int CHUNK = RangeEngineContract.CHUNK;
    private static final Location OBJECT = Location.parse("mem://faults/object");

    private MemoryObjectStore memory;
    private FaultInjectingStore store;
    /** Every thread that ran a read, to check none is left behind. */
    private final Set<Thread> readThreads = ConcurrentHashMap.newKeySet();
    private byte[] data;

    @BeforeEach
    void putObject() throws Exception {
        memory = new MemoryObjectStore();
        memory.createContainer(OBJECT.containerRoot());
        data = TestData.bytes(10 * CHUNK + 7, 5);
        memory.put(OBJECT, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        store = instrumented(memory);
    }

    /** The test kit's fault injector over {@code memory}: a HEAD is a test failure, read threads are recorded. */
    private FaultInjectingStore instrumented(MemoryObjectStore memory) {
        return new FaultInjectingStore(memory).forbid(FaultInjectingStore.Operation.STAT)
                .forbid(FaultInjectingStore.Operation.EXISTS)
                .beforeEachCall((operation, location, call) -> readThreads.add(Thread.currentThread()));
    }

    private static RangeEngine newEngine(int concurrency, long maxInFlight) {
        return new RangeEngine(new RangeConfig(true, CHUNK, CHUNK, concurrency, maxInFlight), "faults");
    }

    private void assertNoThreadsLeft(RangeEngine engine) {
        // Virtual threads do not show in Thread.getAllStackTraces: check the ones that ran reads directly,
        // and every platform thread by name.
        // The executor counts a task done just before its virtual thread exits, so give each thread a bounded
        // moment to finish exiting; a thread still blocked in a read would stay alive and fail this.
        assertThat(readThreads.stream().filter(thread -> thread.getName().startsWith(engine.threadNamePrefix())))
                .isNotEmpty().allSatisfy(thread -> {
                    try {
                        thread.join(java.time.Duration.ofSeconds(10));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    assertThat(thread.isAlive()).isFalse();
                });
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith(engine.threadNamePrefix()));
    }

    @Test
    void failedChunkNamesTheLocationAndRangeAndNothingLeaks() throws Exception {
        RangeEngine engine = newEngine(4, 16L * CHUNK);
        // The probe is read 1, so this is the chunk at [2 * CHUNK, 3 * CHUNK).
        store.failCall(FaultInjectingStore.Operation.READ, 3).delay(FaultInjectingStore.Operation.READ, Duration.ofMillis(1));
        assertThatThrownBy(() -> engine.read(store, OBJECT, OptionalLong.empty()))
                .isInstanceOf(RangeReadException.class)
                .hasMessageContaining(OBJECT.toString())
                .hasMessageContaining("bytes [")
                .hasMessageContaining("injected failure of READ call #3")
                .satisfies(e -> {
                    RangeReadException failure = (RangeReadException) e;
                    assertThat(failure.length()).isEqualTo(CHUNK);
                    assertThat(failure.offset() % CHUNK).isZero();
                    assertThat(failure.getMessage()).contains("bytes [" + failure.offset() + ", " + (failure.offset() + CHUNK) + ")");
                });
        engine.close();
        assertThat(engine.bytesInFlight()).isZero();
        assertThat(engine.requestsInFlight()).isZero();
        assertNoThreadsLeft(engine);
        assertThat(store.calls(FaultInjectingStore.Operation.STAT) + store.calls(FaultInjectingStore.Operation.EXISTS)).isZero();
    }

    @Test
    @SuppressWarnings("ThreadPriorityCheck") // a bounded spin that waits for the held reads; no scheduling is relied on
    void firstFailureInterruptsTheOtherChunksAndStartsNoMore() throws Exception {
        RangeEngine engine = newEngine(4, 16L * CHUNK);
        CountDownLatch never = new CountDownLatch(1); // held reads end only when interrupted
        AtomicInteger held = new AtomicInteger();
        AtomicInteger interrupted = new AtomicInteger();
        store.beforeEachCall((operation, location, call) -> {
            readThreads.add(Thread.currentThread());
            if (operation != FaultInjectingStore.Operation.READ) {
                return;
            }
            if (call == 4) {
                // Reads 1-3 are held; read 4 fails once they all are.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (held.get() < 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
                throw new StorageException(location, "injected failure of read #" + call);
            }
            held.incrementAndGet();
            try {
                if (!never.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("held read was never released nor interrupted");
                }
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
                throw new InterruptedIOException(location + ": read interrupted");
            }
        });
        assertThatThrownBy(() -> engine.read(store, OBJECT, OptionalLong.of(data.length)))
                .isInstanceOf(RangeReadException.class)
                .hasMessageContaining(OBJECT.toString())
                .hasMessageContaining("injected failure of read #4");
        engine.close(); // joins the interrupted chunks
        assertThat(interrupted.get()).isEqualTo(3);
        assertThat(store.calls(FaultInjectingStore.Operation.READ)).as("no chunk starts after the failure").isEqualTo(4);
        assertThat(engine.bytesInFlight()).isZero();
        assertNoThreadsLeft(engine);
    }

    @Test
    void vectoredFailureFailsOnlyTheRangesOfThatRequest() throws Exception {
        try (RangeEngine engine = newEngine(1, 16L * CHUNK)) {
            store.failCall(FaultInjectingStore.Operation.READ, 2);
            // Far enough apart (more than the coalescing gap) to be three requests.
            List<ByteRange> ranges = List.of(new ByteRange(0, 100), new ByteRange(5L * CHUNK, 100), new ByteRange(10L * CHUNK, 7));
            var results = engine.readRanges(store, OBJECT, ranges);
            // Concurrency 1: spans run in offset order, so the second span is read #2.
            assertThat(results.get(0).get(30, TimeUnit.SECONDS).size()).isEqualTo(100);
            assertThatThrownBy(() -> results.get(1).get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RangeReadException.class)
                    .hasMessageContaining(OBJECT.toString())
                    .hasMessageContaining("bytes [" + 5 * CHUNK + ", " + (5 * CHUNK + 100) + ")");
            assertThat(results.get(2).get(30, TimeUnit.SECONDS).toArray())
                    .isEqualTo(java.util.Arrays.copyOfRange(data, 10 * CHUNK, 10 * CHUNK + 7));
        }
    }

    @Test
    void requestsInFlightStayWithinThePerObjectAndGlobalCaps() throws Exception {
        // Per object 4, globally 6 chunks: three objects read at once never have more than 6 requests out.
        RangeEngine engine = newEngine(4, 6L * CHUNK);
        store.delay(FaultInjectingStore.Operation.READ, Duration.ofMillis(3));
        List<Future<ObjectBytes>> reads = new ArrayList<>();
        try (ExecutorService callers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("caller-", 0).factory())) {
            for (int i = 0; i < 3; i++) {
                reads.add(callers.submit(() -> engine.read(store, OBJECT, OptionalLong.of(data.length))));
            }
            for (Future<ObjectBytes> read : reads) {
                assertThat(read.get(60, TimeUnit.SECONDS).toArray()).isEqualTo(data);
            }
        }
        assertThat(store.maxReadsInFlight()).isBetween(1, 6);
        engine.close();

        FaultInjectingStore single = instrumented(memory).delay(FaultInjectingStore.Operation.READ, Duration.ofMillis(3));
        try (RangeEngine perObject = newEngine(2, 64L * CHUNK)) {
            assertThat(perObject.read(single, OBJECT, OptionalLong.empty()).toArray()).isEqualTo(data);
        }
        assertThat(single.maxReadsInFlight()).isBetween(1, 2);
    }

    @Test
    void closedEngineRefusesWork() throws Exception {
        RangeEngine engine = newEngine(2, 4L * CHUNK);
        engine.close();
        engine.close(); // idempotent
        assertThatThrownBy(() -> engine.read(store, OBJECT, OptionalLong.empty()))
                .hasMessageContaining("closed");
        var result = engine.readRanges(store, OBJECT, List.of(new ByteRange(0, 10)));
        assertThatThrownBy(() -> result.get(0).get(10, TimeUnit.SECONDS)).hasMessageContaining("closed");
    }
}
