package io.s3dlio.bench;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.oplog.LatencyRecorder;
import io.s3dlio.oplog.OpClock;
import io.s3dlio.oplog.OpLogOptions;
import io.s3dlio.oplog.OpLogWriter;
import io.s3dlio.oplog.OperationListener;
import io.s3dlio.oplog.RecordingObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What recording costs per operation, with the store's own work taken out: GETs of small mem:// objects (a map
 * lookup and a buffer wrap, well under a microsecond) at JOBS in flight, through no recorder, the latency
 * histograms alone, the op-log writer alone, and both (what {@code s3-cli --op-log} installs), in interleaved
 * rounds. It reports, per GET, the process CPU (all threads, GC and JIT included; the clock behind it ticks every
 * 10 ms), the I/O threads' own CPU (each thread's CPU clock, to the nanosecond) and the writer thread's, and the
 * recording's cost in all: the I/O threads' CPU over that of no recording, plus the writer's.
 * CPU time, not throughput: other work on a shared machine slows a run but adds little to this process's CPU.
 *
 * <p>Arguments: {@code [ops] [jobs] [rounds] [work]}, default {@code 200000 32 7 10000}: {@code work} xorshift steps
 * per GET (about 10-20 us of CPU) stand in for the store's own work, so the op rate is that of a fast local GET
 * rather than a flood no writer on two shared cores could follow. Run by
 * {@code bench/run-oplog-overhead.sh cost [ops] [jobs] [rounds]}.
 */
public final class OpLogRecordingCost {
    private enum Mode { OFF, HISTOGRAMS, OPLOG, BOTH }

    private static final int KEYS = 10_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The arguments the class comment lists, in order. */
    private record Arguments(int ops, int jobs, int rounds, int work) {}

    private static final Arguments DEFAULTS = new Arguments(200_000, 32, 7, 10_000);

    private OpLogRecordingCost() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        Path work = Files.createTempDirectory("oplog-cost-");
        MemoryObjectStore store = new MemoryObjectStore();
        List<Location> keys = new ArrayList<>(KEYS);
        ByteBuffer data = ByteBuffer.wrap(new byte[1024]);
        store.createContainer(Location.parse("mem://bench"));
        for (int i = 0; i < KEYS; i++) {
            Location location = Location.parse(String.format(Locale.ROOT, "mem://bench/obj/%08d", i));
            store.put(location, data.duplicate(), WriteOptions.DEFAULT);
            keys.add(location);
        }
        System.out.printf(Locale.ROOT, "# %d GETs of 1 KiB mem:// objects per run, %d in flight, %d rounds, %d work steps per GET, %d cpus, load %.1f%n",
                arguments.ops(), arguments.jobs(), arguments.rounds(), arguments.work(), Runtime.getRuntime().availableProcessors(),
                load());
        Map<Mode, List<Double>> cpu = new EnumMap<>(Mode.class);
        Map<Mode, List<Double>> writerCpu = new EnumMap<>(Mode.class);
        Map<Mode, List<Double>> ioCpu = new EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            cpu.put(mode, new ArrayList<>());
            writerCpu.put(mode, new ArrayList<>());
            ioCpu.put(mode, new ArrayList<>());
        }
        try {
            for (int round = -2; round < arguments.rounds(); round++) {
                List<Mode> order = new ArrayList<>(List.of(Mode.values()));
                if ((round & 1) != 0) {
                    Collections.reverse(order);
                }
                StringBuilder line = new StringBuilder();
                for (Mode mode : order) {
                    double[] writer = new double[1];
                    double[] io = new double[1];
                    double perOp = run(mode, store, keys, arguments.ops(), arguments.jobs(), arguments.work(),
                            work.resolve("cost.csv.zst"), writer, io);
                    if (round >= 0) {
                        cpu.get(mode).add(perOp);
                        writerCpu.get(mode).add(writer[0]);
                        ioCpu.get(mode).add(io[0]);
                    }
                    line.append(String.format(Locale.ROOT, " %s %.0f ns (I/O threads %.0f, writer %.0f)",
                            mode.name().toLowerCase(Locale.ROOT), perOp, io[0], writer[0]));
                }
                System.out.printf(Locale.ROOT, "%s:%s (load %.1f)%n", round < 0 ? "warm-up" : "round " + (round + 1), line, load());
            }
            double off = median(cpu.get(Mode.OFF));
            double ioOff = median(ioCpu.get(Mode.OFF));
            for (Mode mode : Mode.values()) {
                double m = median(cpu.get(mode));
                double io = median(ioCpu.get(mode));
                double writer = median(writerCpu.get(mode));
                System.out.printf(Locale.ROOT, "%-10s median CPU per GET: process %6.0f ns (%+.0f over off); I/O threads %6.0f ns "
                        + "(%+.0f over off); writer thread %.0f ns; recording in all %+.0f ns%n",
                        mode.name().toLowerCase(Locale.ROOT), m, m - off, io, io - ioOff, writer, io - ioOff + writer);
            }
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One run; returns process CPU nanoseconds per GET and puts the writer thread's in {@code writerPerOp[0]}. */
    private static double run(Mode mode, ObjectStore base, List<Location> keys, int ops, int jobs, int spin, Path log,
            double[] writerPerOp, double[] ioPerOp) throws Exception {
        long cpuStart = processCpuNanos();
        OpLogWriter writer = mode == Mode.OPLOG || mode == Mode.BOTH ? OpLogWriter.open(OpLogOptions.of(log)) : null;
        OperationListener listener = switch (mode) {
            case OFF -> null;
            case HISTOGRAMS -> new LatencyRecorder();
            case OPLOG -> writer;
            case BOTH -> OperationListener.all(new LatencyRecorder(), writer);
        };
        ObjectStore store = listener == null ? base : new RecordingObjectStore(base, listener, OpClock.system());
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService threads = Executors.newFixedThreadPool(jobs, Thread.ofPlatform().name("cost-get-", 0).factory())) {
            List<Future<Long>> workers = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                workers.add(threads.submit(() -> {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long read = 0;
                    for (int i = next.getAndIncrement(); i < ops; i = next.getAndIncrement()) {
                        read += store.get(keys.get(i % keys.size())).size() + work(spin);
                    }
                    return THREADS.getCurrentThreadCpuTime() - cpu + (read & 0);
                }));
            }
            long ioNanos = 0;
            for (Future<Long> worker : workers) {
                ioNanos += worker.get();
            }
            ioPerOp[0] = (double) ioNanos / ops;
        }
        long writerNanos = 0;
        if (writer != null) {
            long id = writerThread();
            long before = id < 0 ? 0 : THREADS.getThreadCpuTime(id);
            writer.close();
            // The thread has ended after close; what it used until just before is the figure (close adds one batch).
            writerNanos = Math.max(0, before);
            if (writer.stats().noteworthy()) {
                System.out.println("  op log: " + writer.stats());
            }
        }
        writerPerOp[0] = (double) writerNanos / ops;
        return (double) (processCpuNanos() - cpuStart) / ops;
    }

    /** About {@code n} ns of CPU on the calling thread (a xorshift loop): the GET's own work, which mem:// lacks. */
    private static long work(int n) {
        long x = n | 1;
        for (int i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x & 1;
    }

    private static long writerThread() {
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals("s3dlio-oplog-writer")) {
                return info.getThreadId();
            }
        }
        return -1;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
