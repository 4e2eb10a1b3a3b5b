package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Re-issues the operations of an op log against another store on the recorded schedule, open loop: operation
 * {@code i} becomes due at {@code (start_i - start_0) / speed} after the replay began and starts then whether or
 * not earlier ones have finished, within at most {@code jobs} in flight (when all are busy it starts late, and
 * that lag is measured). Objects keep their path below the log's common prefix, re-rooted under the target
 * prefix; PUTs write synthetic bytes of the recorded size; GET_RANGE reads the recorded byte count from offset
 * 0 (the log does not keep offsets). Types that cannot be replayed meaningfully (COPY, RENAME, container
 * operations) are skipped and counted. Failed recorded operations are replayed too, as the load they were.
 */
public final class Replayer {
    /** The types a replay can issue. */
    public static final Set<OpType> REPLAYABLE = Collections.unmodifiableSet(EnumSet.of(OpType.GET, OpType.GET_RANGE,
            OpType.PUT, OpType.STAT, OpType.LIST, OpType.DELETE));
    private static final int MAX_PAYLOAD = 16 << 20;

    /**
     * How a log is replayed.
     *
     * @param target the prefix objects are re-rooted under
     * @param speed schedule compression: 2 replays the log in half its recorded span
     * @param types the operation types to replay (others are skipped); empty means all of {@link #REPLAYABLE}
     * @param jobs most operations in flight
     */
    public record Options(Location target, double speed, Set<OpType> types, int jobs) {
        public Options {
            requireNonNull(target, "target is null");
            requireNonNull(types, "types is null");
            if (!(speed > 0) || !Double.isFinite(speed)) {
                throw new IllegalArgumentException("speed must be a positive number, got " + speed);
            }
            if (jobs < 1) {
                throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
            }
            types = types.isEmpty() ? REPLAYABLE : Collections.unmodifiableSet(EnumSet.copyOf(types));
        }
    }

    /** The replay's time source, injected so tests run a schedule without sleeping. */
    public interface Ticker {
        long nanoTime();

        /** Returns once {@link #nanoTime()} has reached {@code deadline}. */
        void sleepUntil(long deadline);

        /** {@link System#nanoTime()} and parking. */
        static Ticker system() {
            return new Ticker() {
                @Override
                public long nanoTime() {
                    return System.nanoTime();
                }

                @Override
                public void sleepUntil(long deadline) {
                    for (long wait = deadline - System.nanoTime(); wait > 0; wait = deadline - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
            };
        }
    }

    /** Counts of one operation type. */
    public record Count(long issued, long failed, long bytes) {}

    /**
     * What a replay did.
     *
     * @param counts issued/failed/bytes per type, by name
     * @param skipped records not replayed (type filtered out or not replayable)
     * @param recordedSpanNanos first recorded start to last recorded start
     * @param elapsedNanos replay start to the last operation's end
     * @param lag how late operations started against their due time
     * @param latency per-type latency of the replayed operations
     * @param failures the first few failures, as "URI: cause"
     */
    public record Report(Map<String, Count> counts, long skipped, long recordedSpanNanos, long elapsedNanos,
            double speed, LatencyRecorder.Percentiles lag, List<LatencyRecorder.OpSummary> latency, List<String> failures) {
        public long issued() {
            return counts.values().stream().mapToLong(Count::issued).sum();
        }

        public long failed() {
            return counts.values().stream().mapToLong(Count::failed).sum();
        }

        public long bytes() {
            return counts.values().stream().mapToLong(Count::bytes).sum();
        }
    }

    private Replayer() {}

    /** Replays {@code log} against {@code store} (which serves {@code options.target()}) on the system clock. */
    public static Report replay(List<OpRecord> log, ObjectStore store, Options options) throws InterruptedException {
        return replay(log, store, options, Ticker.system());
    }

    /** Replays {@code log} against {@code store} on {@code ticker}'s time. */
    public static Report replay(List<OpRecord> log, ObjectStore store, Options options, Ticker ticker)
            throws InterruptedException {
        requireNonNull(ticker, "ticker is null");
        requireNonNull(log, "log is null");
        requireNonNull(store, "store is null");
        requireNonNull(options, "options is null");
        List<OpRecord> chosen = new ArrayList<>();
        long skipped = 0;
        for (OpRecord record : log) {
            Optional<OpType> type = record.type();
            if (type.isPresent() && options.types().contains(type.get())) {
                chosen.add(record);
            } else {
                skipped++;
            }
        }
        chosen.sort(Comparator.comparingLong(OpRecord::startNanos));
        String common = commonPrefix(chosen);
        long payload = 0;
        for (OpRecord record : chosen) {
            if (record.type().orElseThrow() == OpType.PUT) {
                payload = Math.max(payload, record.bytes());
            }
        }
        byte[] data = new byte[(int) Math.min(MAX_PAYLOAD, payload)];
        new SplittableRandom(42).nextBytes(data);

        Map<OpType, LongAdder[]> counts = new LinkedHashMap<>();
        for (OpType type : options.types()) {
            counts.put(type, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
        }
        LatencyRecorder latency = new LatencyRecorder();
        Histogram lag = new ConcurrentHistogram(3);
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Semaphore slots = new Semaphore(options.jobs());
        long origin = chosen.isEmpty() ? 0 : chosen.getFirst().startNanos();
        long began = ticker.nanoTime();
        // As many platform threads as may be in flight, like the recording runs they replay: the backends'
        // per-thread caches (SDK signers, pooled buffers) stay warm, which a thread per operation would lose.
        try (ExecutorService workers = Executors.newFixedThreadPool(options.jobs(),
                Thread.ofPlatform().name("s3dlio-replay-", 0).daemon(true).factory())) {
            for (OpRecord record : chosen) {
                long due = began + Math.round((record.startNanos() - origin) / options.speed());
                ticker.sleepUntil(due);
                slots.acquire();
                workers.execute(() -> {
                    long start = ticker.nanoTime();
                    lag.recordValue(Math.max(0, start - due));
                    OpType type = record.type().orElseThrow();
                    Location location = target(options.target(), common, record);
                    LongAdder[] count = counts.get(type);
                    count[0].increment();
                    try {
                        long bytes = issue(store, type, location, record.bytes(), data);
                        latency.record(type.name(), ticker.nanoTime() - start, OptionalLong.empty(), bytes, false);
                        count[2].add(bytes);
                    } catch (IOException | RuntimeException e) {
                        latency.record(type.name(), ticker.nanoTime() - start, OptionalLong.empty(), 0, true);
                        count[1].increment();
                        if (failures.size() < 10) {
                            failures.add(location + ": " + RecordingObjectStore.describe(e));
                        }
                    } finally {
                        slots.release();
                    }
                });
            }
        }
        long elapsed = ticker.nanoTime() - began;
        Map<String, Count> result = new LinkedHashMap<>();
        counts.forEach((type, c) -> {
            if (c[0].sum() > 0) {
                result.put(type.name(), new Count(c[0].sum(), c[1].sum(), c[2].sum()));
            }
        });
        long span = chosen.isEmpty() ? 0 : chosen.getLast().startNanos() - origin;
        return new Report(result, skipped, span, elapsed, options.speed(), LatencyRecorder.Percentiles.of(lag),
                latency.summary(), List.copyOf(failures));
    }

    private static long issue(ObjectStore store, OpType type, Location location, long bytes, byte[] data) throws IOException {
        return switch (type) {
            case GET -> store.get(location).size();
            case GET_RANGE -> store.getRange(location, 0, OptionalLong.of(bytes)).size();
            case PUT -> {
                if (bytes <= data.length) {
                    store.put(location, ByteBuffer.wrap(data, 0, (int) bytes), WriteOptions.DEFAULT);
                    yield bytes;
                }
                try (ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT)) {
                    for (long left = bytes; left > 0; left -= data.length) {
                        writer.write(ByteBuffer.wrap(data, 0, (int) Math.min(left, data.length)));
                    }
                    writer.finish();
                }
                yield bytes;
            }
            case STAT -> {
                var unused = store.stat(location);
                yield 0;
            }
            case DELETE -> {
                store.delete(location);
                yield 0;
            }
            case LIST -> {
                try (Stream<ListEntry> entries = store.list(location, ListMode.RECURSIVE)) {
                    var unused = entries.count();
                }
                yield 0;
            }
            default -> throw new IllegalStateException(type + " is not replayable");
        };
    }

    /**
     * The longest prefix, ending at a '/', shared by every object of the log: what a replay strips before
     * re-rooting objects under the target.
     */
    static String commonPrefix(List<OpRecord> records) {
        String prefix = null;
        for (OpRecord record : records) {
            String uri = record.uri();
            if (prefix == null) {
                prefix = uri;
                continue;
            }
            int i = 0;
            int max = Math.min(prefix.length(), uri.length());
            while (i < max && prefix.charAt(i) == uri.charAt(i)) {
                i++;
            }
            prefix = prefix.substring(0, i);
        }
        if (prefix == null) {
            return "";
        }
        // With one object (or all under one name), keep its name: cut back to the last '/'.
        return prefix.substring(0, prefix.lastIndexOf('/') + 1);
    }

    static Location target(Location target, String common, OpRecord record) {
        String relative = record.uri().substring(common.length());
        while (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        return relative.isEmpty() ? target.asPrefix() : target.resolve(relative);
    }
}
