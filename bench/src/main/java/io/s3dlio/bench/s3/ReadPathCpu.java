package io.s3dlio.bench.s3;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.bench.PositionalArguments;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.ObjectRef;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.workload.DatasetSource;
import io.s3dlio.workload.DeliveryOrder;
import io.s3dlio.workload.LoadRun;
import io.s3dlio.workload.LoadRunOptions;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client CPU per GiB of the S3 read path, in process and warmed (not a test; it prints a table): against an
 * S3 server already running at {@code endpoint} (the bench fixture in its own JVM, so this process's CPU time
 * is the client's alone), the two shapes of issue 16's read rows, alternating round by round:
 * <ul>
 *   <li>{@code file}: one large object to a local file through the transfer engine, as {@code s3-cli get -o}
 *       does (range engine chunks, positional writes, fsync, rename);</li>
 *   <li>{@code loader}: an epoch of the data loader over 1 MiB objects (batch 32, 16 in flight);</li>
 *   <li>{@code loader64k}: the same over 64 KiB objects (eight times as many), where the cost per request
 *       dominates.</li>
 * </ul>
 * Each workload runs on each request path in {@code paths} ({@code lean}: {@code S3DLIO_S3_LEAN_GET=true};
 * {@code sdk}: false), alternating the order round by round, so the paths are compared side by side in one
 * run. Process CPU seconds per GiB (and per MiB and per request for the loader) are the figures; wall time is
 * printed beside them.
 * Run it with {@code bin/bench-read-cpu} (docs/BENCHMARKS.md, "S3 read path: client CPU per GiB").
 */
public final class ReadPathCpu {
    private static final int MIB = 1024 * 1024;

    /** Positional arguments (bin/bench-read-cpu lists them). */
    private record Arguments(String endpoint, int rounds, int warmups, int bigMib, int smallObjects, String directory,
            List<String> workloads, List<String> paths) {}

    private static final Arguments DEFAULTS = new Arguments("", 5, 2, 1024, 512, "",
            List.of("file", "loader", "loader64k"), List.of("lean", "sdk"));
    private static final int TINY_PER_SMALL = 8;
    private static final int TINY = 64 * 1024;

    private ReadPathCpu() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        PathCpuSetup.requireEndpoint(arguments.endpoint());
        com.sun.management.OperatingSystemMXBean cpu = PathCpuSetup.processCpu();
        Path directory = PathCpuSetup.directory(arguments.directory(), "read-path-cpu");
        Map<String, ObjectStores> stores = new LinkedHashMap<>();
        Map<String, TransferEngine> engines = new LinkedHashMap<>();
        try {
            for (String path : arguments.paths()) {
                ObjectStores pathStores = PathCpuSetup.stores(arguments.endpoint(), path, Map.of());
                stores.put(path, pathStores);
                engines.put(path, TransferEngine.builder(pathStores::forLocation).build());
            }
            Location big = Location.parse("s3://readcpu/big/big.bin");
            Location small = Location.parse("s3://readcpu/small/");
            Location tiny = Location.parse("s3://readcpu/tiny/");
            seed(stores.values().iterator().next().forLocation(big), big, small, tiny, arguments);
            Path target = directory.resolve("big.bin");
            Map<String, List<Double>> figures = new LinkedHashMap<>();
            double bigGib = arguments.bigMib() / 1024.0;
            int tinyObjects = arguments.smallObjects() * TINY_PER_SMALL;
            List<String> order = new ArrayList<>();
            for (String workload : List.of("file", "loader", "loader64k")) {
                if (arguments.workloads().contains(workload)) {
                    for (String path : arguments.paths()) {
                        order.add(workload + " " + path);
                    }
                }
            }
            for (int round = 1 - arguments.warmups(); round <= arguments.rounds(); round++) {
                List<String> turns = new ArrayList<>(order);
                if ((round & 1) != 0) {
                    Collections.reverse(turns);
                }
                for (String turn : turns) {
                    String workload = turn.substring(0, turn.indexOf(' '));
                    String path = turn.substring(turn.indexOf(' ') + 1);
                    ObjectStore store = stores.get(path).forLocation(big);
                    String label = String.format(Locale.ROOT, "round %2d %-9s %-4s", round, workload, path);
                    if (workload.equals("file")) {
                        long c0 = cpu.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        TransferResult result = engines.get(path).get(List.of(ObjectRef.of(big)),
                                GetTarget.toFiles(o -> target), TransferOptions.jobs(1), TransferListener.NONE).await();
                        if (!result.failures().isEmpty()) {
                            throw new IllegalStateException("download failed: " + result.failures());
                        }
                        double cpuS = (cpu.getProcessCpuTime() - c0) / 1e9;
                        double wallS = (System.nanoTime() - t0) / 1e9;
                        Files.delete(target);
                        System.out.printf(Locale.ROOT, "%s %6.2f CPU-s/GiB  %6.2f s wall  %7.1f MiB/s%n",
                                label, cpuS / bigGib, wallS, arguments.bigMib() / wallS);
                        if (round > 0) {
                            figures.computeIfAbsent(turn + " cpu", k -> new ArrayList<>()).add(cpuS / bigGib);
                            figures.computeIfAbsent(turn + " wall", k -> new ArrayList<>()).add(wallS);
                        }
                    } else {
                        boolean small64k = workload.equals("loader64k");
                        int objects = small64k ? tinyObjects : arguments.smallObjects();
                        double mib = small64k ? objects / 16.0 : objects;
                        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(32).numWorkers(16)
                                .prefetch(4).shuffle(round + 1000).build();
                        long c0 = cpu.getProcessCpuTime();
                        double mbs = LoadRun.run(store, new LoadRunOptions(new DatasetSource.Prefix(small64k ? tiny : small),
                                options, 1, Duration.ZERO, DeliveryOrder.OMITTED)).epochs().get(0).megabytesPerSecond();
                        long cpuNanos = cpu.getProcessCpuTime() - c0;
                        double msPerMib = cpuNanos / 1e6 / mib;
                        double usPerGet = cpuNanos / 1e3 / objects;
                        System.out.printf(Locale.ROOT, "%s %6.2f ms CPU/MiB  %7.0f us CPU/GET  %7.1f MB/s%n", label,
                                msPerMib, usPerGet, mbs);
                        if (round > 0) {
                            figures.computeIfAbsent(turn + " cpu", k -> new ArrayList<>()).add(msPerMib);
                            figures.computeIfAbsent(turn + " get", k -> new ArrayList<>()).add(usPerGet);
                            figures.computeIfAbsent(turn + " rate", k -> new ArrayList<>()).add(mbs);
                        }
                    }
                }
            }
            for (String turn : order) {
                if (turn.startsWith("file ")) {
                    System.out.printf(Locale.ROOT, "RESULT %-14s %d MiB to a file: median %.2f CPU-s/GiB, %.2f s wall "
                            + "(%d rounds)%n", turn, arguments.bigMib(), median(figures.get(turn + " cpu")),
                            median(figures.get(turn + " wall")), arguments.rounds());
                } else {
                    boolean small64k = turn.startsWith("loader64k ");
                    System.out.printf(Locale.ROOT, "RESULT %-14s %d x %s: median %.2f ms CPU/MiB, %.0f us CPU per GET, "
                            + "%.1f MB/s (%d rounds)%n", turn, small64k ? tinyObjects : arguments.smallObjects(),
                            small64k ? "64 KiB" : "1 MiB", median(figures.get(turn + " cpu")),
                            median(figures.get(turn + " get")), median(figures.get(turn + " rate")), arguments.rounds());
                }
            }
        } finally {
            for (TransferEngine engine : engines.values()) {
                engine.close();
            }
            for (ObjectStores pathStores : stores.values()) {
                pathStores.close();
            }
            Files.deleteIfExists(directory.resolve("big.bin"));
            if (arguments.directory().isEmpty()) {
                Files.deleteIfExists(directory);
            }
        }
    }

    /** Stores the objects once (a server that already holds them from an earlier run is reused). */
    private static void seed(ObjectStore store, Location big, Location small, Location tiny, Arguments arguments)
            throws Exception {
        store.createContainer(big.containerRoot()); // succeeds when it exists already
        if (!store.exists(big)) {
            byte[] data = new byte[arguments.bigMib() * MIB];
            ThreadLocalRandom.current().nextBytes(data);
            store.put(big, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        }
        byte[] one = new byte[MIB];
        ThreadLocalRandom.current().nextBytes(one);
        for (int i = 0; i < arguments.smallObjects(); i++) {
            Location item = small.resolve(String.format(Locale.ROOT, "%06d.bin", i));
            if (!store.exists(item)) {
                store.put(item, ByteBuffer.wrap(one), WriteOptions.DEFAULT);
            }
        }
        if (arguments.workloads().contains("loader64k")) {
            ByteBuffer part = ByteBuffer.wrap(one, 0, TINY);
            for (int i = 0; i < arguments.smallObjects() * TINY_PER_SMALL; i++) {
                Location item = tiny.resolve(String.format(Locale.ROOT, "%06d.bin", i));
                if (!store.exists(item)) {
                    store.put(item, part.duplicate(), WriteOptions.DEFAULT);
                }
            }
        }
    }

    /** The median of {@code values}; NaN when there are none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
