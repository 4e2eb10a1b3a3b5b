package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import io.s3dlio.testkit.fault.FaultInjectingStore.Operation;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the range engine must do on every backend: correct bytes for the edge sizes, with and without a known
 * size, the right number of requests, never a stat/HEAD, and vectored reads with overlapping and
 * out-of-order ranges. A backend plugs in with a store and a fresh location per test.
 */
abstract class RangeEngineContract {
    static final int CHUNK = (int) RangeConfig.MIN_CHUNK;

    /** The backend's store; the contract wraps it to count calls and closes nothing of it. */
    protected abstract ObjectStore backend();

    /** A location for a new object in a container that exists. */
    protected abstract Location newLocation(String name);

    FaultInjectingStore store;
    RangeEngine engine;

    @BeforeEach
    void openEngine() {
        // A HEAD from the engine is a test failure: it must learn sizes from the reads themselves.
        store = new FaultInjectingStore(backend()).forbid(Operation.STAT).forbid(Operation.EXISTS);
        // Threshold of one chunk: everything larger is split, as a network backend would.
        engine = new RangeEngine(new RangeConfig(true, CHUNK, CHUNK, 4, 8L * CHUNK), "contract");
    }

    @AfterEach
    void closeEngine() {
        engine.close();
        assertThat(store.calls(Operation.STAT) + store.calls(Operation.EXISTS)).as("stat/exists (HEAD) calls").isZero();
        assertThat(engine.bytesInFlight()).isZero();
        assertThat(engine.requestsInFlight()).isZero();
    }

    byte[] put(Location location, int size, long seed) throws IOException {
        byte[] data = TestData.bytes(size, seed);
        backend().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        return data;
    }

    static int chunks(long bytes) {
        return (int) Math.max(1, (bytes + CHUNK - 1) / CHUNK);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK + 7})
    void unknownSizeReadsEveryByteWithoutAHead(int size) throws Exception {
        Location location = newLocation("unknown-" + size);
        byte[] data = put(location, size, size);
        ObjectBytes got = engine.read(store, location, OptionalLong.empty());
        assertThat(got.toArray()).isEqualTo(data);
        // One request per chunk: the first one told the size, and an object of at most one chunk took one.
        assertThat(store.calls(Operation.READ)).isEqualTo(chunks(size));
        assertThat(store.calls(Operation.GET) + store.calls(Operation.GET_RANGE)).isZero();
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK + 7})
    void knownSizeReadsEveryByte(int size) throws Exception {
        Location location = newLocation("known-" + size);
        byte[] data = put(location, size, size + 1000);
        ObjectBytes got = engine.read(store, location, OptionalLong.of(size));
        assertThat(got.toArray()).isEqualTo(data);
        if (size < CHUNK) {
            // Below the threshold: one plain GET, as without the engine.
            assertThat(store.calls(Operation.GET)).isEqualTo(1);
            assertThat(store.calls(Operation.READ)).isZero();
        } else {
            assertThat(store.calls(Operation.READ)).isEqualTo(chunks(size));
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK + 7})
    void chunkListenerSeesEveryByteOnceBeforeTheReadReturns(int size) throws Exception {
        Location location = newLocation("listened-" + size);
        byte[] data = put(location, size, size + 2000);
        byte[] seen = new byte[size];
        int[] times = new int[size];
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        ObjectBytes got = engine.read(store, location, size, (offset, chunk) -> {
            calls.incrementAndGet();
            synchronized (seen) {
                for (int i = 0; i < chunk.remaining(); i++) {
                    seen[(int) offset + i] = chunk.get(chunk.position() + i);
                    times[(int) offset + i]++;
                }
            }
        });
        assertThat(got.toArray()).isEqualTo(data);
        synchronized (seen) {
            assertThat(seen).isEqualTo(data);
            assertThat(Arrays.stream(times).allMatch(n -> n == 1)).as("every byte seen exactly once").isTrue();
        }
        assertThat(calls.get()).isEqualTo(chunks(size));
    }

    @Test
    void aThrowingChunkListenerFailsTheRead() throws Exception {
        Location location = newLocation("listener-fails");
        put(location, 3 * CHUNK, 3);
        assertThatThrownBy(() -> engine.read(store, location, 3 * CHUNK, (offset, chunk) -> {
            if (offset == CHUNK) {
                throw new IOException("listener refused chunk at " + offset);
            }
        })).isInstanceOf(IOException.class).hasStackTraceContaining("listener refused chunk at " + CHUNK);
    }

    @Test
    void rangesAtUnalignedOffsets() throws Exception {
        Location location = newLocation("unaligned");
        int size = 10 * CHUNK + 7;
        byte[] data = put(location, size, 7);
        long[][] cases = {{1, 3 * CHUNK}, {4097, 2 * CHUNK + 5}, {CHUNK - 1, CHUNK + 2}, {size - CHUNK - 3, CHUNK + 3},
            {12345, size}, {size - 1, 1}};
        for (long[] range : cases) {
            ObjectBytes got = engine.readRange(store, location, range[0], OptionalLong.of(range[1]), OptionalLong.empty());
            int end = (int) Math.min(size, range[0] + range[1]);
            assertThat(got.toArray()).as("range %s+%s", range[0], range[1])
                    .isEqualTo(Arrays.copyOfRange(data, (int) range[0], end));
            ObjectBytes known = engine.readRange(store, location, range[0], OptionalLong.of(range[1]), OptionalLong.of(size));
            assertThat(known.toArray()).isEqualTo(Arrays.copyOfRange(data, (int) range[0], end));
        }
        ObjectBytes tail = engine.readRange(store, location, 4097, OptionalLong.empty(), OptionalLong.empty());
        assertThat(tail.toArray()).isEqualTo(Arrays.copyOfRange(data, 4097, size));
    }

    @Test
    void rangeEdgesFollowTheGetRangeContract() throws Exception {
        Location location = newLocation("edges");
        int size = 3 * CHUNK;
        put(location, size, 9);
        assertThat(engine.readRange(store, location, size, OptionalLong.empty(), OptionalLong.empty()).size()).isZero();
        assertThat(engine.readRange(store, location, size, OptionalLong.of(2L * CHUNK), OptionalLong.empty()).size()).isZero();
        assertThatThrownBy(() -> engine.readRange(store, location, size + 1, OptionalLong.of(2L * CHUNK), OptionalLong.empty()))
                .isInstanceOf(EOFException.class).hasMessageContaining(location.toString());
        assertThatThrownBy(() -> engine.readRange(store, location, size + 1, OptionalLong.empty(), OptionalLong.of(size)))
                .isInstanceOf(EOFException.class).hasMessageContaining(location.toString());
    }

    @Test
    void missingObjectIsNotFound() {
        Location location = newLocation("missing");
        assertThatThrownBy(() -> engine.read(store, location, OptionalLong.empty()))
                .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(location.toString());
    }

    @Test
    void vectoredReadsWithOverlappingAndOutOfOrderRanges() throws Exception {
        Location location = newLocation("vectored");
        int size = 10 * CHUNK + 7;
        byte[] data = put(location, size, 21);
        List<ByteRange> ranges = List.of(
                new ByteRange(size - 100, 100),          // footer first, as Parquet does
                new ByteRange(5 * CHUNK + 3, CHUNK),     // out of order
                new ByteRange(0, 1000),
                new ByteRange(500, 2 * CHUNK),           // overlaps the previous one
                new ByteRange(5 * CHUNK + 3, CHUNK),     // the same range twice
                new ByteRange(4097, 0),                  // empty
                new ByteRange(size - 10, 1000),          // cut at the end
                new ByteRange(size, 5),                  // at the end: empty
                new ByteRange(3 * CHUNK + 1, 3 * CHUNK));  // spans chunks, unaligned
        List<CompletableFuture<ObjectBytes>> results = engine.readRanges(store, location, ranges);
        assertThat(results).hasSameSizeAs(ranges);
        for (int i = 0; i < ranges.size(); i++) {
            ByteRange range = ranges.get(i);
            int end = (int) Math.min(size, range.end());
            assertThat(results.get(i).get(30, TimeUnit.SECONDS).toArray()).as("range %s", range)
                    .isEqualTo(Arrays.copyOfRange(data, (int) range.offset(), end));
        }
    }

    @Test
    void vectoredRangePastTheEndFailsAlone() throws Exception {
        Location location = newLocation("vectored-eof");
        int size = 2 * CHUNK;
        byte[] data = put(location, size, 22);
        List<CompletableFuture<ObjectBytes>> results = engine.readRanges(store, location,
                List.of(new ByteRange(10, 20), new ByteRange(size + 10L * CHUNK, 10)));
        assertThat(results.get(0).get(30, TimeUnit.SECONDS).toArray()).isEqualTo(Arrays.copyOfRange(data, 10, 30));
        assertThatThrownBy(() -> results.get(1).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(EOFException.class).hasMessageContaining(location.toString());
    }
}
