package io.s3dlio.bench.checkpoint;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.bench.fixture.BenchS3Server;
import io.s3dlio.checkpoint.CheckpointConfig;
import io.s3dlio.checkpoint.CheckpointStore;
import io.s3dlio.checkpoint.RestoredCheckpoint;
import io.s3dlio.checkpoint.ShardWriter;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import jdk.jfr.Category;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * Checkpoint save and restore against the same bytes moved raw, in one run: RANKS ranks (threads) each save a
 * SIZE shard through the checkpoint store (streaming shard writer, rank records, manifest, latest) versus
 * each uploading SIZE through a plain {@link ObjectStore#newWriter} (the same store, so the same multipart
 * part size and parts in flight, nothing else), then restore through {@link CheckpointStore#readLatest}
 * (pointer, manifest, every shard through the range engine with the recorded size, CRC32C checked) versus a
 * raw range-engine read of the same objects with the same {@link RangeConfig}.
 *
 * <p>Fairness: within each pair (upload/save, GET/restore) the order alternates from round to round (raw first on
 * even measured rounds, checkpoint first on odd ones; with an even count each goes first equally often), so neither
 * side always runs after the other's garbage or with the other's objects on the server; the first {@code --warmup}
 * rounds (JIT, first-touch of the server's heap) are run and shown but left out of the medians; the figures are
 * medians over the measured rounds, with the median of the per-round ratios beside the ratio of medians. Each phase
 * also reports the client's CPU seconds and, given {@code --server-pid}, the fixture's, which a loaded machine
 * disturbs far less than wall time. Between rounds (outside the timings) the fixture is told to collect its
 * garbage, so every round starts with the same server heap. Peak memory is sampled (heap used + direct buffers)
 * every 5 ms per phase.
 *
 * <p>Reads: each round reads the objects {@code --read-pairs} times (raw GET and restore alike), alternating which
 * goes first by the pair's index over the measured run, and the restore figures are medians over those pairs. Given
 * the benchmark fixture as endpoint, each phase also reports the requests it sent by kind (the fixture counts them;
 * read outside the timings).
 *
 * <p>Usage: {@code CheckpointBenchmark s3://bucket/prefix/ [--ranks 4] [--size 256MiB] [--rounds 8]
 * [--warmup 1] [--read-pairs 3] [--server-pid PID]}, with the store's settings from the environment-style variables given as
 * {@code KEY=VALUE} arguments.
 */
public final class CheckpointBenchmark {
    private static final String UPLOAD = "raw multipart upload";
    private static final String SAVE = "checkpoint save";
    private static final String GET = "raw ranged GET";
    private static final String RESTORE = "checkpoint restore";

    private CheckpointBenchmark() {}

    /**
     * One phase in a JFR recording of the client ({@code run-checkpoint-bench.sh --jfr DIR}), so that samples,
     * socket reads and collections can be told apart by phase; recorded only when a recording is running.
     */
    @Name("s3dlio.bench.CheckpointPhase")
    @Label("Checkpoint benchmark phase")
    @Category("s3dlio")
    static final class PhaseEvent extends Event {
        @Label("Phase")
        String phase;

        @Label("Measured")
        boolean measured;
    }

    /** What one phase of one round cost; {@code requests} by kind as the fixture counted them (empty without it). */
    record Sample(double seconds, double clientCpu, double serverCpu, long peak, Map<String, Long> requests) {}

    public static void main(String[] args) throws Exception {
        Location base = Location.parse(args[0]).asPrefix();
        int ranks = 4;
        long size = 256 * DataSize.MIB;
        int rounds = 8;
        int warmup = 1;
        int readPairs = 3;
        long serverPid = -1;
        Map<String, String> settings = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--ranks" -> ranks = Integer.parseInt(args[++i]);
                case "--size" -> size = DataSize.parseBytes(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--read-pairs" -> readPairs = Integer.parseInt(args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                    }
                    settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
            }
        }
        if (rounds < 1 || warmup < 0 || readPairs < 1) {
            throw new IllegalArgumentException("--rounds and --read-pairs must be at least 1 and --warmup at least 0");
        }
        if (rounds * readPairs % 2 != 0) {
            System.out.println("note: an odd --rounds x --read-pairs lets the raw GET go first in one pair more");
        }
        if (rounds % 2 != 0) {
            System.out.println("note: an odd --rounds lets the raw side go first in one round more than the checkpoint side");
        }
        byte[][] data = new byte[ranks][];
        for (int r = 0; r < ranks; r++) {
            data[r] = new byte[Math.toIntExact(size)];
            new Random(r).nextBytes(data[r]);
        }
        long total = size * ranks;
        Path serverStat = serverPid > 0 ? Path.of("/proc/" + serverPid + "/stat") : null;
        System.out.printf(Locale.ROOT, "checkpoint benchmark: %d ranks x %s on %s, %d warm-up + %d measured rounds, "
                + "%d GET/restore pairs a round%n", ranks, DataSize.format(size), base, warmup, rounds, readPairs);
        RequestCounter counter = RequestCounter.of(settings.get("AWS_ENDPOINT_URL"));
        ExecutorService pool = Executors.newFixedThreadPool(ranks, Thread.ofPlatform().name("rank-", 0).factory());
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        List<Double> restoreLookups = new ArrayList<>();
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(settings))) {
            ObjectStore store = stores.forLocation(base);
            store.createContainer(base.containerRoot());
            RangeConfig range = RangeConfig.fromConfig(stores.config(), store.schemes());
            System.out.println("range engine (raw and checkpoint alike): " + range);
            try (CheckpointStore checkpoints = new CheckpointStore(store, base.resolve("ckpt/"),
                    CheckpointConfig.DEFAULT.withRange(range));
                    RangeEngine engine = new RangeEngine(range, "bench-raw")) {
                for (int round = 0; round < warmup + rounds; round++) {
                    boolean measured = round >= warmup;
                    long step = round + 1L;
                    int n = ranks;
                    long shardSize = size;
                    String rawPrefix = "raw-" + round + "/";
                    System.out.printf(Locale.ROOT, "round %d%s, load %s%n", round + 1, measured ? "" : " (warm-up)",
                            loadAverage());
                    Phase upload = () -> measure(UPLOAD, measured, pool, n, serverStat, counter, r -> () -> {
                        try (ObjectWriter writer = store.newWriter(base.resolve(rawPrefix + "rank-" + r), WriteOptions.DEFAULT)) {
                            writeInPieces(data[r], writer::write);
                            writer.finish();
                        }
                        return null;
                    }, () -> { });
                    Phase save = () -> measure(SAVE, measured, pool, n, serverStat, counter, r -> () -> {
                        try (ShardWriter writer = checkpoints.newShardWriter(step, r)) {
                            writeInPieces(data[r], writer::write);
                            writer.finish();
                        }
                        return null;
                    }, () -> checkpoints.finalizeCheckpoint(step, 0, "bench", n, Map.of()));
                    Phase get = () -> measure(GET, measured, pool, n, serverStat, counter, r -> () -> {
                        engine.read(store, base.resolve(rawPrefix + "rank-" + r), OptionalLong.of(shardSize));
                        return null;
                    }, () -> { });
                    Phase restore = () -> measure(RESTORE, measured, pool, 1, serverStat, counter, r -> () -> {
                        // What a job restarting does: find the newest complete checkpoint and read every shard,
                        // each checked (size, CRC32C) against the stored manifest.
                        RestoredCheckpoint restored = checkpoints.readLatest().orElseThrow();
                        if (restored.manifest().step() != step) {
                            throw new IllegalStateException("latest is step " + restored.manifest().step() + ", not " + step);
                        }
                        if (restored.shards().size() != n) {
                            throw new IllegalStateException("restored " + restored.shards().size() + " shards");
                        }
                        return null;
                    }, () -> { });
                    After lookup = () -> {
                        // Untimed, after the restore: what finding the checkpoint alone takes (pointer + manifest).
                        long start = System.nanoTime();
                        if (checkpoints.loadLatest().orElseThrow().step() != step) {
                            throw new IllegalStateException("latest is not step " + step);
                        }
                        if (measured) {
                            restoreLookups.add((System.nanoTime() - start) / 1e9);
                        }
                    };
                    // Raw first on even measured rounds, checkpoint first on odd ones: ABBA over the run.
                    // Counted from the first measured round, so with an even --rounds each side goes first in exactly
                    // half the measured rounds: the phase run first in a pair cost more client and fixture CPU
                    // (+0.3 CPU-s per 1 GiB read under load), and with 1 warm-up + 7 rounds counted from round 0 the
                    // checkpoint went first in 4 of 7, so the median of the per-round ratios was one of its
                    // first-in-pair rounds.
                    List<Phase> order = new ArrayList<>((round - warmup) % 2 == 0 ? List.of(upload, save)
                            : List.of(save, upload));
                    // Reads are cheap next to writes and their per-pair ratios spread +-10% on a quiet machine, so each
                    // round reads its objects --read-pairs times (same count for both sides), alternating which goes
                    // first by the pair's index over the run: more pairs for the medians at little cost in time.
                    for (int p = 0; p < readPairs; p++) {
                        int pair = (round - warmup) * readPairs + p;
                        order.addAll(Math.floorMod(pair, 2) == 0 ? List.of(get, restore) : List.of(restore, get));
                    }
                    for (Phase phase : order) {
                        Map.Entry<String, Sample> result = phase.run();
                        if (measured) {
                            samples.computeIfAbsent(result.getKey(), k -> new ArrayList<>()).add(result.getValue());
                        }
                    }
                    lookup.run();
                    store.deletePrefix(base.resolve(rawPrefix));
                    checkpoints.delete(step);
                    collectServer(serverPid);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "load average at the end: %s%n%n", loadAverage());
        System.out.println("| Phase | median s (measured rounds or pairs) | MB/s (median) | client CPU s (median) "
                + "| server CPU s (median) | requests (median by kind) | peak memory / rank |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String phase : List.of(UPLOAD, SAVE, GET, RESTORE)) {
            List<Sample> s = samples.get(phase);
            double median = median(s.stream().map(Sample::seconds).toList());
            System.out.printf(Locale.ROOT, "| %s | %.2f (%s) | %.0f | %.2f | %s | %s | %s |%n", phase, median,
                    format(s.stream().map(Sample::seconds).toList()), total / 1e6 / median,
                    median(s.stream().map(Sample::clientCpu).toList()),
                    serverStat == null ? "n/a" : String.format(Locale.ROOT, "%.2f",
                            median(s.stream().map(Sample::serverCpu).toList())),
                    counter == null ? "n/a" : requests(s),
                    DataSize.format(s.stream().mapToLong(Sample::peak).max().orElse(0) / ranks));
        }
        System.out.printf(Locale.ROOT, "%nloadLatest (pointer + manifest, untimed, after each restore) median %.1f ms%n",
                median(restoreLookups) * 1e3);
        System.out.printf(Locale.ROOT, "save / raw upload throughput: %.3f (median of per-round ratios %.3f: %s)%n",
                ratioOfMedians(samples, UPLOAD, SAVE), median(ratios(samples, UPLOAD, SAVE)),
                format(ratios(samples, UPLOAD, SAVE)));
        System.out.printf(Locale.ROOT, "restore / raw GET throughput: %.3f (median of per-pair ratios %.3f: %s)%n",
                ratioOfMedians(samples, GET, RESTORE), median(ratios(samples, GET, RESTORE)),
                format(ratios(samples, GET, RESTORE)));
        System.out.printf(Locale.ROOT, "restore / raw GET client CPU: %.3f (median of per-pair ratios %.3f); server CPU: %s%n",
                median(cpu(samples, RESTORE, Sample::clientCpu)) / median(cpu(samples, GET, Sample::clientCpu)),
                median(cpuRatios(samples, GET, RESTORE, Sample::clientCpu)),
                serverStat == null ? "n/a" : String.format(Locale.ROOT, "%.3f (median of per-pair ratios %.3f)",
                        median(cpu(samples, RESTORE, Sample::serverCpu)) / median(cpu(samples, GET, Sample::serverCpu)),
                        median(cpuRatios(samples, GET, RESTORE, Sample::serverCpu))));
    }

    private static List<Double> cpu(Map<String, List<Sample>> samples, String phase,
            ToDoubleFunction<Sample> cpu) {
        return samples.get(phase).stream().map(sample -> cpu.applyAsDouble(sample)).toList();
    }

    /** Checkpoint CPU over raw CPU, pair by pair. */
    private static List<Double> cpuRatios(Map<String, List<Sample>> samples, String raw, String checkpoint,
            ToDoubleFunction<Sample> cpu) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < samples.get(raw).size(); i++) {
            ratios.add(cpu.applyAsDouble(samples.get(checkpoint).get(i)) / cpu.applyAsDouble(samples.get(raw).get(i)));
        }
        return ratios;
    }

    /** The median count of each kind of request over a phase's samples, e.g. {@code GET range 128, HEAD 4}. */
    private static String requests(List<Sample> samples) {
        TreeSet<String> kinds = new TreeSet<>();
        samples.forEach(sample -> kinds.addAll(sample.requests().keySet()));
        List<String> parts = new ArrayList<>();
        for (String kind : kinds) {
            double median = median(samples.stream().map(sample -> (double) sample.requests().getOrDefault(kind, 0L)).toList());
            parts.add(String.format(Locale.ROOT, "%s %s", kind, median == Math.rint(median)
                    ? Long.toString((long) median) : String.format(Locale.ROOT, "%.1f", median)));
        }
        return String.join(", ", parts);
    }

    /**
     * The fixture's request counters ({@code GET /?s3dlio-bench-requests}, see {@code BenchS3Server#REQUESTS}), read
     * before and after each phase outside its timings; null when the endpoint is not the fixture.
     */
    record RequestCounter(URI uri) {
        static RequestCounter of(String endpoint) {
            if (endpoint == null) {
                return null;
            }
            RequestCounter counter = new RequestCounter(URI.create(endpoint + "/?"
                    + BenchS3Server.REQUESTS));
            try {
                counter.read();
                return counter;
            } catch (IOException | RuntimeException e) {
                System.out.println("no request counts: " + endpoint + " is not the benchmark fixture (" + e.getMessage() + ")");
                return null;
            }
        }

        Map<String, Long> read() throws IOException {
            Map<String, Long> counts = new TreeMap<>();
            try (InputStream in = uri.toURL().openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                    int space = line.lastIndexOf(' ');
                    if (space > 0) {
                        counts.put(line.substring(0, space), Long.parseLong(line.substring(space + 1)));
                    }
                }
            }
            return counts;
        }

        /** What was counted since {@code before}. */
        Map<String, Long> since(Map<String, Long> before) throws IOException {
            Map<String, Long> delta = new TreeMap<>();
            read().forEach((kind, count) -> {
                long d = count - before.getOrDefault(kind, 0L);
                if (d != 0) {
                    delta.put(kind, d);
                }
            });
            return delta;
        }
    }

    interface Sink {
        void write(ByteBuffer data) throws Exception;
    }

    interface Task {
        Callable<Void> forRank(int rank);
    }

    interface After {
        void run() throws Exception;
    }

    interface Phase {
        Map.Entry<String, Sample> run() throws Exception;
    }

    /** What a training loop hands a writer: 8 MiB pieces of the state. */
    private static void writeInPieces(byte[] bytes, Sink sink) throws Exception {
        int piece = 8 << 20;
        for (int at = 0; at < bytes.length; at += piece) {
            sink.write(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
        }
    }

    private static Map.Entry<String, Sample> measure(String phase, boolean measured, ExecutorService pool, int tasks,
            Path serverStat, RequestCounter counter, Task task, After after) throws Exception {
        System.gc();
        long baseline = memoryInUse();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().name("memory-sampler").start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(memoryInUse() - baseline, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Map<String, Long> requestsBefore = counter == null ? Map.of() : counter.read();
        double serverBefore = serverCpuSeconds(serverStat);
        long cpuBefore = processCpuNanos();
        PhaseEvent event = new PhaseEvent();
        event.phase = phase;
        event.measured = measured;
        event.begin();
        long start = System.nanoTime();
        List<Future<Void>> futures = new ArrayList<>();
        for (int r = 0; r < tasks; r++) {
            futures.add(pool.submit(task.forRank(r)));
        }
        for (Future<Void> future : futures) {
            future.get();
        }
        after.run();
        double elapsed = (System.nanoTime() - start) / 1e9;
        event.commit();
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        double serverCpu = serverCpuSeconds(serverStat) - serverBefore;
        running.set(false);
        sampler.join();
        Map<String, Long> requests = counter == null ? Map.of() : counter.since(requestsBefore);
        System.out.printf(Locale.ROOT, "  %-22s %.2f s, client CPU %.2f s, server CPU %s s, peak +%s, requests %s%n", phase,
                elapsed, cpu, serverStat == null ? "n/a" : String.format(Locale.ROOT, "%.2f", serverCpu),
                DataSize.format(peak.get()), requests);
        return Map.entry(phase, new Sample(elapsed, cpu, serverCpu, peak.get(), requests));
    }

    /**
     * A full collection of the fixture between rounds, outside every measured phase: the round's deleted
     * objects would otherwise be collected inside whichever phase next filled the fixture's old generation.
     */
    private static void collectServer(long pid) throws IOException, InterruptedException {
        if (pid <= 0) {
            return;
        }
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IOException(jcmd + " " + pid + " GC.run exited with " + process.exitValue());
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime + stime of the fixture's process from /proc (Linux), in seconds at the usual 100 ticks a second. */
    private static double serverCpuSeconds(Path stat) throws IOException {
        if (stat == null) {
            return 0;
        }
        String text = Files.readString(stat, StandardCharsets.US_ASCII);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        // Fields after "(comm)": state is index 0, so utime (field 14) is index 11 and stime index 12.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static String loadAverage() {
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", load);
    }

    private static double ratioOfMedians(Map<String, List<Sample>> samples, String raw, String checkpoint) {
        return median(samples.get(raw).stream().map(Sample::seconds).toList())
                / median(samples.get(checkpoint).stream().map(Sample::seconds).toList());
    }

    /** Checkpoint throughput over raw throughput, round by round (raw seconds / checkpoint seconds). */
    private static List<Double> ratios(Map<String, List<Sample>> samples, String raw, String checkpoint) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < samples.get(raw).size(); i++) {
            ratios.add(samples.get(raw).get(i).seconds() / samples.get(checkpoint).get(i).seconds());
        }
        return ratios;
    }

    /**
     * The heap pools and buffer pools, looked up once: looking them up on every 5 ms sample (ObjectNames, platform
     * component scans) cost the sampler 16-38 ms of CPU per 1 GiB read and 137-258 ms per upload or save under load, in
     * whichever phase ran (JFR, issue 18); reading the usage of beans already held is cheap.
     */
    private static final List<MemoryPoolMXBean> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).toList();
    private static final List<BufferPoolMXBean> BUFFER_POOLS = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);

    /** Heap in use plus direct buffers: what a rank's writer or reader holds. */
    private static long memoryInUse() {
        long used = 0;
        for (MemoryPoolMXBean pool : HEAP_POOLS) {
            used += pool.getUsage().getUsed();
        }
        for (BufferPoolMXBean pool : BUFFER_POOLS) {
            used += pool.getMemoryUsed();
        }
        return used;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String format(List<Double> values) {
        return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
