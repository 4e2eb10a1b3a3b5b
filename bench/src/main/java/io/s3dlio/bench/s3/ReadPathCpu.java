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
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 *   <li>{@code loader}: an epoch of the data loader over 1 MiB objects (batch 32, 16 in flight).</li>
 * </ul>
 * Process CPU seconds per GiB (and per MiB for the loader) are the figures; wall time is printed beside them.
 * Run it with {@code bin/bench-read-cpu} (docs/BENCHMARKS.md, "S3 read path: client CPU per GiB").
 */
public final class ReadPathCpu {
    private static final int MIB = 1024 * 1024;

    /** Positional arguments (bin/bench-read-cpu lists them). */
    private record Arguments(String endpoint, int rounds, int warmups, int bigMib, int smallObjects, String directory,
            List<String> workloads) {}

    private static final Arguments DEFAULTS = new Arguments("", 5, 2, 1024, 512, "", List.of("file", "loader"));

    private ReadPathCpu() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        if (arguments.endpoint().isEmpty()) {
            throw new IllegalArgumentException("the first argument is the S3 endpoint (http://127.0.0.1:PORT)");
        }
        com.sun.management.OperatingSystemMXBean cpu =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path directory = arguments.directory().isEmpty() ? Files.createTempDirectory("read-path-cpu")
                : Files.createDirectories(Path.of(arguments.directory()));
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of(
                "AWS_ENDPOINT_URL", arguments.endpoint(),
                "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "benchbench", "AWS_REGION", "us-east-1",
                "S3DLIO_S3_PATH_STYLE", "true")));
                TransferEngine engine = TransferEngine.builder(stores::forLocation).build()) {
            Location big = Location.parse("s3://readcpu/big/big.bin");
            Location small = Location.parse("s3://readcpu/small/");
            ObjectStore store = stores.forLocation(big);
            seed(store, big, small, arguments);
            Path target = directory.resolve("big.bin");
            List<Double> fileCpu = new ArrayList<>();
            List<Double> fileWall = new ArrayList<>();
            List<Double> loaderCpu = new ArrayList<>();
            List<Double> loaderRate = new ArrayList<>();
            double bigGib = arguments.bigMib() / 1024.0;
            double smallMib = arguments.smallObjects();
            for (int round = 1 - arguments.warmups(); round <= arguments.rounds(); round++) {
                boolean fileFirst = (round & 1) == 0;
                for (int turn = 0; turn < 2; turn++) {
                    boolean file = (turn == 0) == fileFirst;
                    if (!arguments.workloads().contains(file ? "file" : "loader")) {
                        continue;
                    }
                    if (file) {
                        long c0 = cpu.getProcessCpuTime();
                        long t0 = System.nanoTime();
                        TransferResult result = engine.get(List.of(ObjectRef.of(big)), GetTarget.toFiles(o -> target),
                                TransferOptions.jobs(1), TransferListener.NONE).await();
                        if (!result.failures().isEmpty()) {
                            throw new IllegalStateException("download failed: " + result.failures());
                        }
                        double cpuS = (cpu.getProcessCpuTime() - c0) / 1e9;
                        double wallS = (System.nanoTime() - t0) / 1e9;
                        Files.delete(target);
                        System.out.printf(Locale.ROOT, "round %2d file   %6.2f CPU-s/GiB  %6.2f s wall  %7.1f MiB/s%n",
                                round, cpuS / bigGib, wallS, arguments.bigMib() / wallS);
                        if (round > 0) {
                            fileCpu.add(cpuS / bigGib);
                            fileWall.add(wallS);
                        }
                    } else {
                        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(32).numWorkers(16)
                                .prefetch(4).shuffle(round + 1000).build();
                        long c0 = cpu.getProcessCpuTime();
                        double mbs = LoadRun.run(store, new LoadRunOptions(new DatasetSource.Prefix(small), options, 1,
                                Duration.ZERO, DeliveryOrder.OMITTED)).epochs().get(0).megabytesPerSecond();
                        double msPerMib = (cpu.getProcessCpuTime() - c0) / 1e6 / smallMib;
                        System.out.printf(Locale.ROOT, "round %2d loader %6.2f ms CPU/MiB  %7.1f MB/s%n", round,
                                msPerMib, mbs);
                        if (round > 0) {
                            loaderCpu.add(msPerMib);
                            loaderRate.add(mbs);
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "RESULT file %d MiB to a file: median %.2f CPU-s/GiB, %.2f s wall; "
                    + "loader %d x 1 MiB: median %.2f ms CPU/MiB, %.1f MB/s (%d rounds)%n", arguments.bigMib(),
                    median(fileCpu), median(fileWall), arguments.smallObjects(), median(loaderCpu), median(loaderRate),
                    arguments.rounds());
        } finally {
            Files.deleteIfExists(directory.resolve("big.bin"));
            if (arguments.directory().isEmpty()) {
                Files.deleteIfExists(directory);
            }
        }
    }

    /** Stores the objects once (a server that already holds them from an earlier run is reused). */
    private static void seed(ObjectStore store, Location big, Location small, Arguments arguments) throws Exception {
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
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
