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
 * by bench/run-oplog-overhead.sh.
 *
 * <p>Arguments: {@code [gets] [size] [jobs] [pairs] [stores] [baseline]}, default
 * {@code 10000 65536 32 16 file,s3 none}; baseline {@code latency} keeps the latency histograms on in the "off"
 * runs (as s3-cli always does), so the pairs differ by the op-log writer alone.
 */
public final class OpLogOverheadBenchmark {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    private static boolean latencyBaseline;
    /** The S3 fixture's process while the s3 store is measured (its CPU per GET is reported beside the client's). */
    private static FixtureProcess fixture;

    /** The arguments the class comment lists, in order. */
    private record Arguments(int gets, int size, int jobs, int pairs, List<String> stores, String baseline) {}

    private static final Arguments DEFAULTS = new Arguments(10_000, 65_536, 32, 16, List.of("file", "s3"), "none");

    private OpLogOverheadBenchmark() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        latencyBaseline = arguments.baseline().equals("latency");
        Path work = Files.createTempDirectory("oplog-bench-");
        System.out.printf(Locale.ROOT, "# %d GETs of %d bytes, %d in flight, %d interleaved on/off pairs, %d cpus, off = %s%n",
                arguments.gets(), arguments.size(), arguments.jobs(), arguments.pairs(),
                Runtime.getRuntime().availableProcessors(),
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
                            measure("file", registry, prefix, arguments.gets(), arguments.jobs(), arguments.pairs(), work);
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
                                measure("s3", registry, Location.parse("s3://bench/obj/"), arguments.gets(),
                                        arguments.jobs(), arguments.pairs(), work);
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

    private static void measure(String kind, ObjectStores registry, Location prefix, int gets, int jobs,
            int pairs, Path work) throws Exception {
        List<Location> objects = new ArrayList<>(gets);
        for (int i = 0; i < gets; i++) {
            objects.add(prefix.resolve(String.format(Locale.ROOT, "%08d", i)));
        }
        // Warm-up: three runs each way, not counted (the S3 client and the JIT take a few to settle).
        for (int i = 0; i < 3; i++) {
            run(registry, objects, jobs, null, new double[4]);
            run(registry, objects, jobs, work.resolve("warm.csv.zst"), new double[4]);
        }
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuOn = new ArrayList<>();
        List<Double> cpuOff = new ArrayList<>();
        List<Double> ioOn = new ArrayList<>();
        List<Double> ioOff = new ArrayList<>();
        List<Double> writerOn = new ArrayList<>();
        List<Double> serverOn = new ArrayList<>();
        List<Double> serverOff = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        Path recorded = work.resolve(kind + "-recorded.csv.zst");
        for (int pair = 0; pair < pairs; pair++) {
            double a;
            double b;
            double[] ca = new double[4];
            double[] cb = new double[4];
            // ABBA: on/off, then off/on, so a drift in the machine's speed during a pair favours neither side.
            if (pair % 2 == 0) {
                a = run(registry, objects, jobs, recorded, ca);
                b = run(registry, objects, jobs, null, cb);
            } else {
                b = run(registry, objects, jobs, null, cb);
                a = run(registry, objects, jobs, recorded, ca);
            }
            on.add(a);
            off.add(b);
            ratios.add(a / b);
            cpuOn.add(ca[0]);
            cpuOff.add(cb[0]);
            ioOn.add(ca[1]);
            ioOff.add(cb[1]);
            writerOn.add(ca[2]);
            serverOn.add(ca[3]);
            serverOff.add(cb[3]);
            double load = load();
            loads.add(load);
            System.out.printf(Locale.ROOT, "%s pair %d (%s): op-log on %.1f MB/s, off %.1f MB/s (on/off %.3f); process CPU per GET on %.1f us, off %.1f us; "
                    + "I/O threads' CPU per GET on %.2f us, off %.2f us, writer thread %.2f us%s (load %.1f)%n",
                    kind, pair + 1, pair % 2 == 0 ? "on, off" : "off, on", a, b, a / b, ca[0], cb[0], ca[1], cb[1], ca[2],
                    fixture == null ? "" : String.format(Locale.ROOT, "; fixture CPU per GET on %.1f us, off %.1f us", ca[3], cb[3]),
                    load);
        }
        // CPU per GET (this process, all threads, the writer's included) is the load-proof figure: other work on a
        // shared machine slows a run down but does not add to this process's CPU time.
        System.out.printf(Locale.ROOT, "%s: median process CPU per GET on %.2f us, off %.2f us: CPU overhead %.1f%%%n",
                kind, median(cpuOn), median(cpuOff), 100 * (median(cpuOn) / median(cpuOff) - 1));
        if (fixture != null) {
            System.out.printf(Locale.ROOT, "%s: median fixture (server process) CPU per GET on %.1f us, off %.1f us%n",
                    kind, median(serverOn), median(serverOff));
        }
        // The threads' own CPU clocks tick in nanoseconds (the process clock above in 10 ms steps, 1 us a GET here)
        // and leave out GC and JIT: the recording's own cost is the I/O threads' difference plus the writer's.
        double recording = median(ioOn) - median(ioOff) + median(writerOn);
        System.out.printf(Locale.ROOT, "%s: median I/O threads' CPU per GET on %.2f us, off %.2f us; writer thread %.2f us; "
                + "recording in all %.2f us a GET (%.1f%% of the off run's process CPU)%n", kind, median(ioOn), median(ioOff),
                median(writerOn), recording, 100 * recording / median(cpuOff));
        double onMedian = median(on);
        double offMedian = median(off);
        // The headline: the median of the pairs' on/off ratios, with the quartiles as its spread. A pair's two runs
        // are seconds apart, so the ratio cancels most of what the shared machine's load does to both.
        System.out.printf(Locale.ROOT, "%s: median on %.1f MB/s, off %.1f MB/s: overhead %.1f%% (median of pair ratios: %.1f%%)%n",
                kind, onMedian, offMedian, 100 * (1 - onMedian / offMedian), 100 * (1 - median(ratios)));
        System.out.printf(Locale.ROOT, "%s: RESULT overhead %.1f%% = 1 - median of %d pair ratios (quartiles %.1f%% .. %.1f%%, "
                + "min %.1f%%, max %.1f%%); load %.1f-%.1f%n", kind, 100 * (1 - median(ratios)), ratios.size(),
                100 * (1 - quantile(ratios, 0.75)), 100 * (1 - quantile(ratios, 0.25)), 100 * (1 - quantile(ratios, 1)),
                100 * (1 - quantile(ratios, 0)), quantile(loads, 0), quantile(loads, 1));
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

    private static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * One run: every object once, {@code jobs} in flight; returns MB/s and puts the process CPU microseconds per GET
     * in {@code cpuPerGet[0]} (the close of the log included). With a log path, recording is on.
     */
    private static double run(ObjectStores registry, List<Location> objects, int jobs, Path log, double[] cpuPerGet)
            throws Exception {
        // Each run starts from a collected heap, so the garbage of one run is not collected inside the next.
        System.gc();
        long serverStart = fixture == null ? 0 : fixture.cpuNanos();
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
        cpuPerGet[0] = (processCpuNanos() - cpuStart) / 1e3 / objects.size();
        cpuPerGet[1] = ioNanos.get() / 1e3 / objects.size();
        cpuPerGet[2] = writerNanos / 1e3 / objects.size();
        cpuPerGet[3] = fixture == null ? 0 : (fixture.cpuNanos() - serverStart) / 1e3 / objects.size();
        return bytes / 1e6 / (nanos / 1e9);
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
            Process process = new ProcessBuilder(java, "-Xmx2g", "-XX:+UseParallelGC", "-cp",
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
