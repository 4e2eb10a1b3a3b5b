package io.s3dlio.bench.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.S3ProxyServer;
import io.s3dlio.workload.DatasetSource;
import io.s3dlio.workload.DeliveryOrder;
import io.s3dlio.workload.EpochReport;
import io.s3dlio.workload.LoadReport;
import io.s3dlio.workload.LoadRun;
import io.s3dlio.workload.LoadRunOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The data loader's benchmark (not a test; run with {@code bin/bench-loader}). Everything runs in one process
 * against one S3Proxy started here, with interleaved rounds so the ratios come from one run:
 * <ol>
 *   <li>worker scaling of the loader alone: mem:// behind {@link FaultInjectingStore} adding 5 ms per read (no
 *       server CPU in the way), 1/2/4/8/16 workers;</li>
 *   <li>worker scaling: 1 MiB objects behind the latency proxy (5 ms per request), 1/2/4/8/16 workers;</li>
 *   <li>DLIO-style runs straight on loopback with emulated compute per batch, for a resnet50-like shape
 *       (110 KiB samples) and a cosmoflow-like shape (2.7 MiB samples), reporting accelerator utilisation.</li>
 * </ol>
 * Arguments (all optional): {@code --objects N} (scaling objects, default 128), {@code --rounds R} (default 3;
 * scaling runs one more, uncounted warm-up round first), {@code --only memory,scaling,dlio}.
 */
public final class LoaderBenchmark {
    private static final int MIB = 1024 * 1024;

    private LoaderBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        int objects = Integer.parseInt(flags.getOrDefault("--objects", "128"));
        int rounds = Integer.parseInt(flags.getOrDefault("--rounds", "3"));
        String only = flags.getOrDefault("--only", "memory,scaling,dlio");
        if (only.contains("memory")) {
            memoryScaling(objects, rounds);
        }

        try (S3ProxyServer server = S3ProxyServer.start();
                LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.port(),
                        new LatencyProxy.Options(Duration.ofMillis(5), OptionalLong.empty()))) {
            System.out.println("server: " + server.description() + "; proxy: 5 ms per request at " + proxy.endpoint());
            if (only.contains("scaling")) {
                scaling(server, proxy, objects, rounds);
            }
            if (only.contains("dlio")) {
                dlio(server, rounds);
            }
        }
    }

    private static ObjectStores registry(S3ProxyServer server, String endpoint) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", endpoint);
        return ObjectStores.create(ConfigSource.of(settings));
    }

    private static Location write(ObjectStore store, String bucket, int count, int size) throws Exception {
        Location root = Location.parse("s3://" + bucket);
        store.createContainer(root);
        Location prefix = root.resolve("data/");
        byte[] bytes = new byte[size];
        new SplittableRandom(1).nextBytes(bytes);
        try (ExecutorService writers = Executors.newFixedThreadPool(4, Thread.ofVirtual().name("bench-put-", 0).factory())) {
            List<Future<?>> puts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Location location = prefix.resolve(String.format(Locale.ROOT, "sample-%06d.bin", i));
                puts.add(writers.submit(() -> store.put(location, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT)));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        }
        return prefix;
    }

    private static void memoryScaling(int objects, int rounds) throws Exception {
        MemoryObjectStore memory = new MemoryObjectStore();
        Location prefix = Location.parse("mem://scaling/data/");
        memory.createContainer(prefix.containerRoot());
        byte[] bytes = new byte[MIB];
        new SplittableRandom(1).nextBytes(bytes);
        for (int i = 0; i < objects; i++) {
            memory.put(prefix.resolve(String.format(Locale.ROOT, "sample-%06d.bin", i)), ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
        }
        FaultInjectingStore store = new FaultInjectingStore(memory).delayReads(Duration.ofMillis(5));
        System.out.println("mem:// with 5 ms added per read (the loader alone, no server):");
        scalingRounds(store, prefix, rounds, () -> "");
    }

    private static void scaling(S3ProxyServer server, LatencyProxy proxy, int objects, int rounds) throws Exception {
        try (ObjectStores direct = registry(server, server.endpoint());
                ObjectStores delayed = registry(server, proxy.endpoint())) {
            Location prefix = write(direct.forLocation(Location.parse("s3://scaling")), "scaling", objects, MIB);
            ObjectStore store = delayed.forLocation(prefix);
            System.out.println("s3:// on S3Proxy behind the latency proxy (5 ms per request):");
            scalingRounds(store, prefix, rounds, () -> {
                String counts = " (" + proxy.requestCount() + " requests through the proxy: " + proxy.methodCounts() + ")";
                proxy.resetCounts();
                return counts;
            });
        }
    }

    private static void scalingRounds(ObjectStore store, Location prefix, int rounds,
            java.util.function.Supplier<String> requests) throws Exception {
        int[] workers = {1, 2, 4, 8, 16};
        Map<Integer, List<Double>> rates = new LinkedHashMap<>();
        String unused = requests.get(); // zeroes the proxy's counters before the first round
        // Round 0 warms the JIT, the connection pool and the server up; it is printed but not counted.
        for (int round = 0; round <= rounds; round++) {
            for (int w : workers) {
                LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(8).numWorkers(w)
                        .prefetch(4).shuffle(round).build();
                LoadReport report = LoadRun.run(store, new LoadRunOptions(new DatasetSource.Prefix(prefix), options,
                        1, Duration.ZERO, DeliveryOrder.OMITTED));
                EpochReport epoch = report.epochs().get(0);
                if (round > 0) {
                    rates.computeIfAbsent(w, k -> new ArrayList<>()).add(epoch.megabytesPerSecond());
                }
                System.out.printf(Locale.ROOT, "round %d%s workers %2d: %.1f MB/s%s%n", round,
                        round == 0 ? " (warm-up)" : "", w, epoch.megabytesPerSecond(), requests.get());
            }
        }
        double one = median(rates.get(1));
        System.out.println();
        System.out.println("| workers | MB/s (median of " + rounds + ") | vs 1 worker |");
        System.out.println("| ---: | ---: | ---: |");
        for (int w : workers) {
            double rate = median(rates.get(w));
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.2fx |%n", w, rate, rate / one);
        }
        System.out.println();
    }

    private record Shape(String name, int sampleBytes, int samples, int batchSize, int workers, int prefetch,
            Duration compute) {}

    private static void dlio(S3ProxyServer server, int rounds) throws Exception {
        List<Shape> shapes = List.of(
                new Shape("resnet50-like", 110 * 1024, 1024, 32, 16, 8, Duration.ofMillis(100)),
                new Shape("cosmoflow-like", (int) (2.7 * MIB), 96, 4, 16, 8, Duration.ofMillis(200)));
        try (ObjectStores stores = registry(server, server.endpoint())) {
            for (Shape shape : shapes) {
                String bucket = shape.name().replace("-like", "");
                Location prefix = write(stores.forLocation(Location.parse("s3://" + bucket)), bucket, shape.samples(),
                        shape.sampleBytes());
                LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(shape.batchSize())
                        .numWorkers(shape.workers()).prefetch(shape.prefetch()).shuffle(7).build();
                LoadReport report = LoadRun.run(stores.forLocation(prefix), new LoadRunOptions(
                        new DatasetSource.Prefix(prefix), options, rounds, shape.compute(), DeliveryOrder.OMITTED));
                System.out.printf(Locale.ROOT, "%s: %d samples x %d bytes, batch %d, workers %d, prefetch %d,"
                        + " compute %d ms/batch%n", shape.name(), shape.samples(), shape.sampleBytes(),
                        shape.batchSize(), shape.workers(), shape.prefetch(), shape.compute().toMillis());
                System.out.print(report.toText());
                double[] utilisation = report.epochs().stream().mapToDouble(EpochReport::acceleratorUtilisation).toArray();
                System.out.printf(Locale.ROOT, "%s utilisation per epoch: %s%n%n", shape.name(),
                        Arrays.toString(Arrays.stream(utilisation).map(u -> Math.round(u * 1000) / 10.0).toArray()));
            }
        }
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
