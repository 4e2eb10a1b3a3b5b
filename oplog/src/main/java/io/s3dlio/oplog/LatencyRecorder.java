package io.s3dlio.oplog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles per operation type, from HdrHistogram (3 significant digits, nanoseconds, any range):
 * a listener for live operations and a sink for op-log records. Successful operations go into the latency
 * histogram and, where the first byte was told, the time-to-first-byte one; failures are counted apart (a
 * fast 404 would flatter the percentiles). Thread-safe; recording costs no allocation once a type has been
 * seen.
 *
 * <p>Each operation type's histograms are split into stripes, a thread recording into the stripe of its thread
 * id (or, when that one is taken, the next free one) while it holds that stripe's flag, and merged when a summary
 * is asked for. Why: one {@link
 * org.HdrHistogram.ConcurrentHistogram} shared by 32 I/O threads measured 0.4 to 1.2 us a record on two cores
 * at load 20-50 (four atomic updates of counters every thread writes, each moving a cache line between the
 * cores); a stripe's flag is nearly always free and stays in one core's cache. A recording thread never queues
 * for a stripe (see {@link Stripe#tryTake()}).
 */
public final class LatencyRecorder implements OperationListener {
    /** Stripes per series: a power of two, a few per core, at most 8 (threads beyond that share them). */
    private static final int STRIPES = Math.min(8, Integer.highestOneBit(Math.max(1,
            Runtime.getRuntime().availableProcessors() * 4 - 1)) << 1);

    private final Map<String, Series> series = new ConcurrentHashMap<>();
    /**
     * The live operations' series by {@link OpType#ordinal()}, filled from {@link #series} on first use: an
     * array read instead of a type name's hash lookup per operation. Racy on purpose: a thread that still sees
     * null asks the map, which hands every thread the same series (whose stripes are final, so safely published).
     */
    private final Series[] byType = new Series[OpType.values().length];

    /**
     * A stripe's histogram, made when its first value arrives: 1 ns to 1 s to start with (about 170 KiB), growing
     * as larger values appear (a copy while the stripe is taken). A packed histogram would take less memory but
     * repacks as new latencies appear, on the I/O thread.
     */
    private static Histogram stripeHistogram() {
        Histogram histogram = new Histogram(1, 1_000_000_000L, 3);
        histogram.setAutoResize(true);
        return histogram;
    }

    /** The merge of a type's stripes, for a summary. */
    private static Histogram histogram() {
        return new Histogram(3);
    }

    /** One share of a series; its other fields are guarded by {@link #busy}. */
    private static final class Stripe {
        private static final java.lang.invoke.VarHandle BUSY;

        static {
            try {
                BUSY = java.lang.invoke.MethodHandles.lookup().findVarHandle(Stripe.class, "busy", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** 1 while a thread records into (or a summary reads) this stripe, else 0. */
        private volatile int busy;
        private Histogram latency;
        private Histogram firstByte;
        private long failed;
        private long bytes;

        /**
         * Takes the stripe if it is free. A flag rather than a lock: nobody ever waits in a queue for it, so
         * giving it back never wakes a parked thread. With a {@code ReentrantLock} (whose {@code lock()} a thread
         * fell back to when every stripe was taken) the wake-up in {@code unlock} was most of what recording cost
         * an I/O thread: 2.4-2.8 of the 3.0-5.8 JFR CPU-time samples a run that recording's own code took on 32
         * S3 GET threads at load 20-35 (a futex wake of the parked thread; docs/BENCHMARKS.md, issue 20 wave 6).
         */
        boolean tryTake() {
            return busy == 0 && BUSY.compareAndSet(this, 0, 1);
        }

        void give() {
            busy = 0;
        }

        /** Called with the stripe taken. */
        void record(long durationNanos, long firstByteNanos, long size, boolean fail) {
            if (fail) {
                failed++;
                return;
            }
            if (latency == null) {
                latency = stripeHistogram();
            }
            latency.recordValue(Math.max(0, durationNanos));
            bytes += size;
            if (firstByteNanos >= 0) {
                if (firstByte == null) {
                    firstByte = stripeHistogram();
                }
                firstByte.recordValue(firstByteNanos);
            }
        }

        @SuppressWarnings("ThreadPriorityCheck") // a hint only: the loop retries whatever the scheduler does
        void addTo(Histogram latencies, Histogram firstBytes, long[] counts) {
            while (!tryTake()) {
                Thread.yield(); // a recording holds it for well under a microsecond, unless it was descheduled
            }
            try {
                if (latency != null) {
                    latencies.add(latency);
                }
                if (firstByte != null) {
                    firstBytes.add(firstByte);
                }
                counts[0] += failed;
                counts[1] += bytes;
            } finally {
                give();
            }
        }
    }

    private static final class Series {
        final Stripe[] stripes = new Stripe[STRIPES];

        Series() {
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new Stripe();
            }
        }

        /**
         * Into the thread's own stripe, or the next free one: where the values land does not matter (a summary
         * merges them), and a thread never waits behind a stripe-mate that was descheduled holding it. Only when
         * every stripe is taken (their holders descheduled) does it yield, so they can finish, and look again.
         */
        @SuppressWarnings("ThreadPriorityCheck") // a hint only: the loop retries whatever the scheduler does
        void record(long durationNanos, long firstByteNanos, long bytes, boolean failed) {
            int home = (int) Thread.currentThread().threadId();
            while (true) {
                for (int i = 0; i < STRIPES; i++) {
                    Stripe stripe = stripes[(home + i) & (STRIPES - 1)];
                    if (stripe.tryTake()) {
                        try {
                            stripe.record(durationNanos, firstByteNanos, bytes, failed);
                        } finally {
                            stripe.give();
                        }
                        return;
                    }
                }
                Thread.yield();
            }
        }
    }

    @Override
    @SuppressWarnings("EnumOrdinal") // an index into this instance's own array, never stored or compared
    public void onOperation(Operation operation) {
        OpType type = operation.type();
        Series s = byType[type.ordinal()];
        if (s == null) {
            s = series.computeIfAbsent(type.name(), name -> new Series());
            byType[type.ordinal()] = s;
        }
        OptionalLong firstByte = operation.firstByteNanos();
        s.record(operation.durationNanos(), firstByte.isPresent()
                ? Math.max(0, firstByte.getAsLong() - operation.startNanos()) : -1, operation.bytes(), operation.failed());
    }

    /** Adds one op-log line. */
    public void record(OpRecord record) {
        record(record.op(), record.durationNanos(), record.timeToFirstByteNanos(), record.bytes(), record.failed());
    }

    /** Adds one operation of type {@code op}. */
    public void record(String op, long durationNanos, OptionalLong firstByteNanos, long bytes, boolean failed) {
        record(op, durationNanos, firstByteNanos.isPresent() ? Math.max(0, firstByteNanos.getAsLong()) : -1, bytes, failed);
    }

    private void record(String op, long durationNanos, long firstByteNanos, long bytes, boolean failed) {
        Series s = series.get(op);
        if (s == null) {
            s = series.computeIfAbsent(op, name -> new Series());
        }
        s.record(durationNanos, firstByteNanos, bytes, failed);
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
            Histogram latency = histogram();
            Histogram firstBytes = histogram();
            long[] counts = new long[2];
            for (Stripe stripe : entry.getValue().stripes) {
                stripe.addTo(latency, firstBytes, counts);
            }
            Percentiles firstByte = Percentiles.of(firstBytes);
            out.add(new OpSummary(entry.getKey(), latency.getTotalCount(), counts[0], counts[1],
                    Percentiles.of(latency), firstByte.count() > 0 ? java.util.Optional.of(firstByte) : java.util.Optional.empty()));
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
