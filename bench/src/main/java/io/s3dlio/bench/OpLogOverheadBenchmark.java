package io.s3dlio.bench;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.oplog.LatencyRecorder;
import io.s3dlio.oplog.OpLogOptions;
import io.s3dlio.oplog.OpLogReader;
import io.s3dlio.oplog.OpLogWriter;
import io.s3dlio.oplog.OperationListener;
import io.s3dlio.oplog.RecordingDecorator;
import io.s3dlio.oplog.Replayer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Op-log overhead: N GETs of SIZE bytes at JOBS in flight through the registry's store, with the CLI's
 * recording (latency histograms + op-log writer) on and off, in interleaved runs (on/off, then off/on, ...),
 * reporting each run's MB/s and the medians; then the schedule lag of replaying one recorded run at speed 1
 * and 2. Stores: file:// (page cache: the cheapest request, so the harshest relative overhead) and s3:// on
 * the HTTP fixture (BenchS3Server) started in a JVM of its own. Each run starts after a System.gc(); pairs run
 * ABBA (on/off, off/on, ...) and the headline is the median of the pairs' on/off ratios with its quartiles. Run
 * by bench/run-oplog-overhead.sh, which fixes and pre-touches the heap (a heap that grows during a run costs it
 * page faults: 10 a GET and 60% more CPU in the run where G1 grew from 705 MB to 1.1 GB).
 *
 * <p>Warm-up: ABBA pairs like the measured ones, discarded but printed, at least {@code warmup} of them and then
 * until two pairs in a row are settled: the JIT compiler threads used under 2% of the pair's process CPU and the
 * committed heap did not grow (at most {@value #MAX_WARMUP_PAIRS} pairs; a run that never settles says so). A fixed
 * three runs each way left the first seven measured pairs of a quiet run still speeding up (135 to 300 MB/s).
 *
 * <p>Each run's process CPU per GET is split by thread: the GET threads (recording on them included), the op-log
 * writer, GC and VM threads, the JIT compilers, and the rest; on Linux (from /proc/self/task; elsewhere the GC,
 * JIT and rest columns are 0 and the rest is all in "other").
 *
 * <p>Arguments: {@code [gets] [size] [jobs] [pairs] [stores] [baseline] [warmup]}, default
 * {@code 10000 65536 32 16 file,s3 none 4}; baseline {@code latency} keeps the latency histograms on in the "off"
 * runs (as s3-cli always does), so the pairs differ by the op-log writer alone.
 */
public final class OpLogOverheadBenchmark {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static boolean latencyBaseline;
    /** The S3 fixture's process while the s3 store is measured (its CPU per GET is reported beside the client's). */
    private static FixtureProcess fixture;

    /** Warm-up pairs at most, settled or not. */
    private static final int MAX_WARMUP_PAIRS = 30;
    /** A warm-up pair is settled when the JIT threads used less than this share of its process CPU. */
    private static final double SETTLED_JIT_SHARE = 0.02;

    /** The arguments the class comment lists, in order. */
    private record Arguments(int gets, int size, int jobs, int pairs, List<String> stores, String baseline, int warmup) {}

    private static final Arguments DEFAULTS = new Arguments(10_000, 65_536, 32, 16, List.of("file", "s3"), "none", 4);

    private OpLogOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        latencyBaseline = arguments.baseline().equals("latency");
        Path work = Files.createTempDirectory("oplog-bench-");
        System.out.printf(Locale.ROOT, "# %d GETs of %d bytes, %d in flight, %d interleaved on/off pairs after at least %d warm-up pairs, "
                + "%d cpus, heap %d MB, off = %s%n", arguments.gets(), arguments.size(), arguments.jobs(), arguments.pairs(),
                arguments.warmup(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                latencyBaseline ? "latency histograms only" : "no recording");
        try {
            for (String kind : arguments.stores()) {
                switch (kind) {
                    case "file" -> {
                        Location prefix = Location.ofLocalPath(work.resolve("objects")).asPrefix();
                        try (ObjectStores registry = ObjectStores.create(ConfigSource.empty())) {
                            ObjectStore store = registry.forLocation(prefix);
                            ByteBuffer data = ByteBuffer.wrap(new byte[arguments.size()]);
                            for (int i = 0; i < arguments.gets(); i++) {
                                store.put(prefix.resolve(String.format(Locale.ROOT, "%08d", i)), data.duplicate(), WriteOptions.DEFAULT);
                            }
                            measure("file", registry, prefix, arguments, work);
                        }
                    }
                    case "s3" -> {
                        // The fixture runs in a JVM of its own: in this one its collections and compilations landed
                        // on whichever side of a pair was running, and its CPU mixed with the client's.
                        try (FixtureProcess server = FixtureProcess.start(work, "bench/obj/," + arguments.gets() + "," + arguments.size())) {
                            ConfigSource config = ConfigSource.of(Map.of("AWS_ENDPOINT_URL", server.endpoint(),
                                    "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "benchbench", "AWS_REGION", "us-east-1"));
                            fixture = server;
                            try (ObjectStores registry = ObjectStores.create(config)) {
                                measure("s3", registry, Location.parse("s3://bench/obj/"), arguments, work);
                            } finally {
                                fixture = null;
                            }
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown store '" + kind + "': use file or s3");
                }
            }
        } finally {
            try (var paths = Files.walk(work)) {
                paths.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void measure(String kind, ObjectStores registry, Location prefix, Arguments arguments, Path work)
            throws Exception {
        List<Location> objects = new ArrayList<>(arguments.gets());
        for (int i = 0; i < arguments.gets(); i++) {
            objects.add(prefix.resolve(String.format(Locale.ROOT, "%08d", i)));
        }
        int jobs = arguments.jobs();
        Path recorded = work.resolve(kind + "-recorded.csv.zst");
        // Warm-up: the same ABBA pairs as the measured ones, discarded, until two pairs in a row are settled (the
        // JIT nearly idle, the heap not growing); both sides get the same warm-up.
        int settled = 0;
        int warmup = 0;
        while (warmup < MAX_WARMUP_PAIRS && (warmup < arguments.warmup() || settled < 2)) {
            Run[] pair = pair(registry, objects, jobs, recorded, warmup);
            boolean quiet = pair[0].jit() + pair[1].jit() < SETTLED_JIT_SHARE * (pair[0].cpu() + pair[1].cpu())
                    && pair[0].heapGrowth() == 0 && pair[1].heapGrowth() == 0;
            settled = quiet ? settled + 1 : 0;
            warmup++;
            System.out.printf(Locale.ROOT, "%s warm-up pair %d (%s): on %.1f MB/s, off %.1f MB/s; process CPU per GET on %.1f us, off %.1f us; "
                    + "JIT %.1f / %.1f us a GET; heap grew %d / %d MB; %s (load %.1f)%n", kind, warmup,
                    (warmup - 1) % 2 == 0 ? "on, off" : "off, on", pair[0].mbps(), pair[1].mbps(), pair[0].cpu(), pair[1].cpu(),
                    pair[0].jit(), pair[1].jit(), pair[0].heapGrowth() >> 20, pair[1].heapGrowth() >> 20,
                    quiet ? "settled" : "not settled", load());
        }
        System.out.printf(Locale.ROOT, "%s: %d warm-up pairs, %s%n", kind, warmup, settled >= 2
                ? "settled" : "NOT settled after " + MAX_WARMUP_PAIRS + " (the measured pairs may still be warming up)");
        List<Run> on = new ArrayList<>();
        List<Run> off = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        for (int pair = 0; pair < arguments.pairs(); pair++) {
            Run[] runs = pair(registry, objects, jobs, recorded, pair);
            Run a = runs[0];
            Run b = runs[1];
            on.add(a);
            off.add(b);
            ratios.add(a.mbps() / b.mbps());
            cpuRatios.add(a.cpu() / b.cpu());
            double load = load();
            loads.add(load);
            System.out.printf(Locale.ROOT, "%s pair %d (%s): op-log on %.1f MB/s, off %.1f MB/s (on/off %.3f); process CPU per GET on %.1f us, off %.1f us "
                    + "(on/off %.3f) = GET threads %.2f / %.2f + writer %.2f + GC and VM %.2f / %.2f + JIT %.2f / %.2f + other %.2f / %.2f us; "
                    + "page faults a GET %.2f / %.2f%s (load %.1f)%n",
                    kind, pair + 1, pair % 2 == 0 ? "on, off" : "off, on", a.mbps(), b.mbps(), a.mbps() / b.mbps(), a.cpu(), b.cpu(),
                    a.cpu() / b.cpu(), a.io(), b.io(), a.writer(), a.gc(), b.gc(), a.jit(), b.jit(), a.other(), b.other(),
                    a.faults(), b.faults(),
                    fixture == null ? "" : String.format(Locale.ROOT, "; fixture CPU per GET on %.1f us, off %.1f us", a.server(), b.server()),
                    load);
        }
        // CPU per GET (this process, all threads, the writer's included) is the load-proof figure: other work on a
        // shared machine slows a run down but adds little to this process's CPU time.
        System.out.printf(Locale.ROOT, "%s: median process CPU per GET on %.2f us, off %.2f us: CPU overhead %.1f%% (medians), "
                + "%.1f%% (median of pair ratios, quartiles %.1f%% .. %.1f%%)%n", kind, median(on, Run::cpu), median(off, Run::cpu),
                100 * (median(on, Run::cpu) / median(off, Run::cpu) - 1), 100 * (median(cpuRatios) - 1),
                100 * (quantile(cpuRatios, 0.25) - 1), 100 * (quantile(cpuRatios, 0.75) - 1));
        System.out.printf(Locale.ROOT, "%s: medians by thread, on / off, us a GET: GET threads %.2f / %.2f, writer %.2f, GC and VM %.2f / %.2f, "
                + "JIT %.2f / %.2f, other %.2f / %.2f; page faults a GET %.2f / %.2f%n", kind, median(on, Run::io), median(off, Run::io),
                median(on, Run::writer), median(on, Run::gc), median(off, Run::gc), median(on, Run::jit), median(off, Run::jit),
                median(on, Run::other), median(off, Run::other), median(on, Run::faults), median(off, Run::faults));
        if (fixture != null) {
            System.out.printf(Locale.ROOT, "%s: median fixture (server process) CPU per GET on %.1f us, off %.1f us%n",
                    kind, median(on, Run::server), median(off, Run::server));
        }
        // The threads' own CPU clocks tick in nanoseconds and leave out GC and JIT: the recording's own cost is the
        // GET threads' difference plus the writer's.
        double recording = median(on, Run::io) - median(off, Run::io) + median(on, Run::writer);
        System.out.printf(Locale.ROOT, "%s: recording in all (GET threads' difference + writer) %.2f us a GET (%.1f%% of the off run's process CPU)%n",
                kind, recording, 100 * recording / median(off, Run::cpu));
        double onMedian = median(on, Run::mbps);
        double offMedian = median(off, Run::mbps);
        // The headline: the median of the pairs' on/off ratios, with the quartiles as its spread. A pair's two runs
        // are seconds apart, so the ratio cancels most of what the shared machine's load does to both.
        System.out.printf(Locale.ROOT, "%s: median on %.1f MB/s, off %.1f MB/s: overhead %.1f%% (median of pair ratios: %.1f%%)%n",
                kind, onMedian, offMedian, 100 * (1 - onMedian / offMedian), 100 * (1 - median(ratios)));
        System.out.printf(Locale.ROOT, "%s: RESULT overhead %.1f%% = 1 - median of %d pair ratios (quartiles %.1f%% .. %.1f%%, "
                + "min %.1f%%, max %.1f%%) after %d warm-up pairs; load %.1f-%.1f%n", kind, 100 * (1 - median(ratios)), ratios.size(),
                100 * (1 - quantile(ratios, 0.75)), 100 * (1 - quantile(ratios, 0.25)), 100 * (1 - quantile(ratios, 1)),
                100 * (1 - quantile(ratios, 0)), warmup, quantile(loads, 0), quantile(loads, 1));
        long lines = OpLogReader.readAll(recorded).size();
        System.out.printf(Locale.ROOT, "%s: last recorded run has %d lines, %d bytes compressed (%.1f bytes/line)%n",
                kind, lines, Files.size(recorded), (double) Files.size(recorded) / lines);
        // The first replay warms the replay path up and is reported as such.
        String[] labels = {"warm-up", "measured", "measured"};
        double[] speeds = {1, 1, 2};
        for (int i = 0; i < speeds.length; i++) {
            double speed = speeds[i];
            Replayer.Report report = Replayer.replay(OpLogReader.readAll(recorded), registry.forLocation(prefix),
                    new Replayer.Options(prefix, speed, Set.of(), jobs));
            System.out.printf(Locale.ROOT, "%s replay (%s) at speed %.0f: %d ops, %d failed, recorded span %.3f s, replay %.3f s; "
                    + "lag %s%n", kind, labels[i], speed, report.issued(), report.failed(), report.recordedSpanNanos() / 1e9,
                    report.elapsedNanos() / 1e9, report.lag().toText());
        }
    }

    /**
     * One pair, {recording on, off}: ABBA, on/off for even {@code index}, off/on for odd, so a drift in the machine's
     * speed during a pair favours neither side.
     */
    private static Run[] pair(ObjectStores registry, List<Location> objects, int jobs, Path log, int index) throws Exception {
        if (index % 2 == 0) {
            Run a = run(registry, objects, jobs, log);
            return new Run[] {a, run(registry, objects, jobs, null)};
        }
        Run b = run(registry, objects, jobs, null);
        return new Run[] {run(registry, objects, jobs, log), b};
    }

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * One run's figures, per GET: MB/s; process CPU (us; the close of the log included) and its split: the GET
     * threads (their own CPU clocks), the op-log writer, GC and VM threads, JIT compiler threads and the rest; the
     * fixture process's CPU; minor page faults; and how much the committed heap grew (bytes).
     */
    private record Run(double mbps, double cpu, double io, double writer, double gc, double jit, double server,
            double faults, long heapGrowth) {
        double other() {
            return cpu - io - writer - gc - jit;
        }
    }

    /** One run: every object once, {@code jobs} in flight. With a log path, recording is on. */
    private static Run run(ObjectStores registry, List<Location> objects, int jobs, Path log) throws Exception {
        // Each run starts from a collected heap, so the garbage of one run is not collected inside the next.
        System.gc();
        long serverStart = fixture == null ? 0 : fixture.cpuNanos();
        long heapStart = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        ThreadCpu threadsStart = ThreadCpu.sample();
        long cpuStart = processCpuNanos();
        OpLogWriter writer = log == null ? null : OpLogWriter.open(OpLogOptions.of(log));
        ObjectStores view = writer != null
                ? registry.decoratedWith(new RecordingDecorator(OperationListener.all(new LatencyRecorder(), writer)))
                : latencyBaseline ? registry.decoratedWith(new RecordingDecorator(new LatencyRecorder())) : null;
        ObjectStore store = (view == null ? registry : view).forLocation(objects.getFirst());
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong ioNanos = new java.util.concurrent.atomic.AtomicLong();
        long bytes;
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newFixedThreadPool(jobs, Thread.ofPlatform().name("bench-get-", 0).factory())) {
            List<Future<Long>> workers = new ArrayList<>();
            for (int j = 0; j < jobs; j++) {
                workers.add(threads.submit(() -> {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long read = 0;
                    for (int i = next.getAndIncrement(); i < objects.size(); i = next.getAndIncrement()) {
                        read += store.get(objects.get(i)).size();
                    }
                    ioNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - cpu);
                    return read;
                }));
            }
            bytes = 0;
            for (Future<Long> worker : workers) {
                bytes += worker.get();
            }
        }
        long writerNanos = 0;
        if (writer != null) {
            for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info != null && info.getThreadName().equals("s3dlio-oplog-writer")) {
                    writerNanos = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
                }
            }
        }
        long nanos = System.nanoTime() - start;
        if (view != null) {
            view.close();
        }
        if (writer != null) {
            writer.close();
            if (writer.stats().noteworthy()) {
                System.out.println("  op log: " + writer.stats());
            }
        }
        double gets = objects.size();
        long cpuNanos = processCpuNanos() - cpuStart;
        ThreadCpu threadsEnd = ThreadCpu.sample();
        return new Run(bytes / 1e6 / (nanos / 1e9), cpuNanos / 1e3 / gets, ioNanos.get() / 1e3 / gets, writerNanos / 1e3 / gets,
                (threadsEnd.gcNanos() - threadsStart.gcNanos()) / 1e3 / gets,
                (threadsEnd.jitNanos() - threadsStart.jitNanos()) / 1e3 / gets,
                fixture == null ? 0 : (fixture.cpuNanos() - serverStart) / 1e3 / gets,
                (threadsEnd.minorFaults() - threadsStart.minorFaults()) / gets,
                java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() - heapStart);
    }

    /**
     * CPU of this process's GC/VM and JIT compiler threads and its minor page faults so far, from
     * {@code /proc/self/task/TID/stat} and {@code /proc/self/stat} (Linux; zeros elsewhere). Those threads live for the
     * whole process, so the difference of two samples is what they did in between; the clock ticks 100 times a
     * second (USER_HZ), so a run's GC or JIT share is known to 10 ms.
     */
    private record ThreadCpu(long gcNanos, long jitNanos, long minorFaults) {
        private static final Path TASKS = Path.of("/proc/self/task");
        private static final long NANOS_PER_TICK = 10_000_000L;

        static ThreadCpu sample() throws IOException {
            if (!Files.isDirectory(TASKS)) {
                return new ThreadCpu(0, 0, 0);
            }
            long gc = 0;
            long jit = 0;
            try (var tasks = Files.list(TASKS)) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    String[] fields;
                    String name;
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        int close = stat.lastIndexOf(')');
                        name = stat.substring(stat.indexOf('(') + 1, close);
                        fields = stat.substring(close + 2).split(" ");
                    } catch (IOException e) {
                        continue; // the thread ended between the listing and the read
                    }
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
                    if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")) {
                        gc += ticks;
                    } else if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        jit += ticks;
                    }
                }
            }
            String stat = Files.readString(Path.of("/proc/self/stat"));
            long faults = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
            return new ThreadCpu(gc * NANOS_PER_TICK, jit * NANOS_PER_TICK, faults);
        }
    }

    /** The {@code q} quantile (0 to 1) of {@code values}, interpolated between the two nearest. */
    private static double quantile(List<Double> values, double q) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double at = q * (sorted.size() - 1);
        int low = (int) Math.floor(at);
        int high = Math.min(sorted.size() - 1, low + 1);
        return sorted.get(low) + (at - low) * (sorted.get(high) - sorted.get(low));
    }

    /** The benchmark S3 fixture in a JVM of its own, on this one's class path; stopped by close. */
    private static final class FixtureProcess implements AutoCloseable {
        private final Process process;
        private final String endpoint;

        private FixtureProcess(Process process, String endpoint) {
            this.process = process;
            this.endpoint = endpoint;
        }

        static FixtureProcess start(Path work, String preload) throws IOException, InterruptedException {
            Path portFile = work.resolve("fixture.port");
            Path log = work.resolve("fixture.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            // A fixed, pre-touched heap: one that grows during a run costs the fixture page faults in that run.
            Process process = new ProcessBuilder(java, "-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-cp",
                    System.getProperty("java.class.path"), "io.s3dlio.bench.fixture.BenchS3Server", "--port-file",
                    portFile.toString(), "--preload", preload)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(portFile)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("the S3 fixture did not start: " + Files.readString(log));
                }
                Thread.sleep(50);
            }
            String port = Files.readString(portFile).trim();
            System.out.printf(Locale.ROOT, "# S3 fixture in its own process (pid %d) on port %s%n", process.pid(), port);
            return new FixtureProcess(process, "http://127.0.0.1:" + port);
        }

        String endpoint() {
            return endpoint;
        }

        /** The fixture process's CPU so far (user + system, in the kernel's 10 ms ticks). */
        long cpuNanos() {
            return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        List<Double> values = new ArrayList<>(runs.size());
        for (Run run : runs) {
            values.add(figure.applyAsDouble(run));
        }
        return median(values);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
