package io.s3dlio.oplog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles per operation type, from HdrHistogram (3 significant digits, nanoseconds, any range):
 * a listener for live operations and a sink for op-log records. Successful operations go into the latency
 * histogram and, where the first byte was told, the time-to-first-byte one; failures are counted apart (a
 * fast 404 would flatter the percentiles). Thread-safe; recording costs no allocation once a type has been
 * seen.
 */
public final class LatencyRecorder implements OperationListener {
    private final Map<String, Series> series = new ConcurrentHashMap<>();

    /**
     * Sized for 1 ns to 60 s up front (about 400 KiB a histogram), growing beyond that on demand: a histogram that
     * starts small resizes (copying its counts, under its phaser) each time a larger latency first appears, which
     * a profile of 32 threads recording showed on the I/O threads.
     */
    private static Histogram histogram() {
        Histogram histogram = new ConcurrentHistogram(1, 60_000_000_000L, 3);
        histogram.setAutoResize(true);
        return histogram;
    }

    private static final class Series {
        final Histogram latency = histogram();
        final Histogram firstByte = histogram();
        final LongAdder failed = new LongAdder();
        final LongAdder bytes = new LongAdder();
    }

    @Override
    public void onOperation(Operation operation) {
        OptionalLong ttfb = operation.firstByteNanos().isPresent()
                ? OptionalLong.of(operation.firstByteNanos().getAsLong() - operation.startNanos()) : OptionalLong.empty();
        record(operation.type().name(), operation.durationNanos(), ttfb, operation.bytes(), operation.failed());
    }

    /** Adds one op-log line. */
    public void record(OpRecord record) {
        record(record.op(), record.durationNanos(), record.timeToFirstByteNanos(), record.bytes(), record.failed());
    }

    /** Adds one operation of type {@code op}. */
    public void record(String op, long durationNanos, OptionalLong firstByteNanos, long bytes, boolean failed) {
        Series s = series.computeIfAbsent(op, name -> new Series());
        if (failed) {
            s.failed.increment();
            return;
        }
        s.latency.recordValue(Math.max(0, durationNanos));
        s.bytes.add(bytes);
        if (firstByteNanos.isPresent()) {
            s.firstByte.recordValue(Math.max(0, firstByteNanos.getAsLong()));
        }
    }

    /** Percentiles of one series, in nanoseconds. */
    public record Percentiles(long count, long p50, long p90, long p99, long p999, long max) {
        static Percentiles of(Histogram histogram) {
            Histogram copy = histogram.copy();
            return new Percentiles(copy.getTotalCount(), copy.getValueAtPercentile(50), copy.getValueAtPercentile(90),
                    copy.getValueAtPercentile(99), copy.getValueAtPercentile(99.9), copy.getMaxValue());
        }

        /** {@code p50 1.20 ms, p90 ..., max ...}. */
        public String toText() {
            return "p50 " + millis(p50) + ", p90 " + millis(p90) + ", p99 " + millis(p99) + ", p99.9 " + millis(p999)
                    + ", max " + millis(max);
        }

        /** Milliseconds, for JSON. */
        public Map<String, Object> toMap() {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("count", count);
            map.put("p50Ms", ms(p50));
            map.put("p90Ms", ms(p90));
            map.put("p99Ms", ms(p99));
            map.put("p999Ms", ms(p999));
            map.put("maxMs", ms(max));
            return map;
        }

        private static double ms(long nanos) {
            return Math.round(nanos / 1e3) / 1e3;
        }

        static String millis(long nanos) {
            return String.format(java.util.Locale.ROOT, nanos < 10_000_000L ? "%.2f ms" : "%.1f ms", nanos / 1e6);
        }
    }

    /**
     * One operation type's summary.
     *
     * @param firstByte time to first byte, where the operations told it (GETs on backends that report it)
     */
    public record OpSummary(String op, long succeeded, long failed, long bytes, Percentiles latency,
            java.util.Optional<Percentiles> firstByte) {
        /** {@code GET 1000 ok: p50 ..., max ...; first byte p50 ...}. */
        public String toText() {
            StringBuilder out = new StringBuilder(op).append(' ').append(succeeded).append(" ok");
            if (failed > 0) {
                out.append(", ").append(failed).append(" failed");
            }
            if (succeeded > 0) {
                out.append(": ").append(latency.toText());
            }
            firstByte.ifPresent(p -> out.append("; first byte ").append(p.toText()));
            return out.toString();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("op", op);
            map.put("count", succeeded);
            map.put("failed", failed);
            map.put("bytes", bytes);
            map.put("latency", latency.toMap());
            firstByte.ifPresent(p -> map.put("firstByte", p.toMap()));
            return map;
        }
    }

    /** A summary per operation type seen so far, by name. */
    public List<OpSummary> summary() {
        List<OpSummary> out = new ArrayList<>();
        for (Map.Entry<String, Series> entry : new TreeMap<>(series).entrySet()) {
            Series s = entry.getValue();
            Percentiles firstByte = Percentiles.of(s.firstByte);
            out.add(new OpSummary(entry.getKey(), s.latency.getTotalCount(), s.failed.sum(), s.bytes.sum(),
                    Percentiles.of(s.latency), firstByte.count() > 0 ? java.util.Optional.of(firstByte) : java.util.Optional.empty()));
        }
        return out;
    }

    /** Whether any operation of {@code types} was recorded. */
    public boolean saw(OpType... types) {
        for (OpType type : types) {
            if (series.containsKey(type.name())) {
                return true;
            }
        }
        return false;
    }
}
