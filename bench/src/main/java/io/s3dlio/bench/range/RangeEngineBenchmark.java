package io.s3dlio.bench.range;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import io.s3dlio.testkit.http.HttpObjectServer;
import io.s3dlio.testkit.http.HttpObjectStore;
import io.s3dlio.store.local.FileStoreProvider;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.AzuriteServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Not a test: run by hand (see docs/BENCHMARKS.md, "Range engine"). In one run, interleaved (plain first on
 * even rounds, engine first on odd ones), it times a single whole-object GET against the range engine reading
 * the same object of unknown size (what {@code get} through the decorator does), for small and large
 * objects, on: HTTP behind the latency proxy (5 ms per request, 100 MB/s per connection), the same HTTP
 * server on loopback without the proxy, file://, and s3:// on S3Proxy with and without the proxy (scenarios
 * s3-proxy and s3-loopback) and az:// on Azurite likewise (az-proxy, az-loopback); bin/bench-range puts
 * those backends on the class path and ObjectStores finds them at run time. Prints medians and ratios (plain / engine: above 1 means
 * the engine is faster).
 *
 * <p>Arguments: {@code --big-mib N} (default 1024), {@code --rounds N} (default 5, for the large object),
 * {@code --small-rounds N} (default 31, for 64 KiB and 1 MiB), {@code --scenarios proxy,loopback,file,s3-proxy,s3-loopback,az-proxy,az-loopback}.
 */
public final class RangeEngineBenchmark {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * 1024;

    private RangeEngineBenchmark() {}

    private interface Read {
        ObjectBytes run() throws IOException;
    }

    public static void main(String[] args) throws Exception {
        int bigMib = 1024;
        int rounds = 5;
        int smallRounds = 31;
        List<String> scenarios = List.of("proxy", "loopback", "file", "s3-proxy", "s3-loopback", "az-proxy",
                "az-loopback");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--big-mib" -> bigMib = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--small-rounds" -> smallRounds = Integer.parseInt(args[++i]);
                case "--scenarios" -> scenarios = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        RangeConfig config = RangeConfig.fromConfig(ConfigSource.fromEnvironment(), Set.of("s3"));
        System.out.printf(Locale.ROOT, "# range engine benchmark: %s, JDK %s, %d cores%n", config,
                Runtime.version(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "# memcpy of one %s chunk (the first-chunk copy when the size is unknown): median %.3f ms%n",
                DataSize.format(config.chunkSize()), chunkCopyMillis((int) config.chunkSize()));
        System.out.println("| scenario | object | plain GET median | engine median | engine, size known | ratio plain/engine |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");
        int[] sizes = {64 * KIB, MIB, bigMib * MIB};
        for (String scenario : scenarios) {
            switch (scenario) {
                case "proxy", "loopback" -> {
                    try (HttpObjectServer server = new HttpObjectServer()) {
                        LatencyProxy proxy = scenario.equals("proxy")
                                ? LatencyProxy.start("127.0.0.1", server.port(),
                                        LatencyProxy.Options.cloudLink(Duration.ofMillis(5), 100_000_000))
                                : null;
                        try (HttpObjectStore store = new HttpObjectStore("127.0.0.1", proxy == null ? server.port() : proxy.port())) {
                            Location bucket = Location.parse("mem://bench");
                            server.store().createContainer(bucket);
                            run(scenario.equals("proxy") ? "HTTP behind proxy (5 ms, 100 MB/s per connection)" : "HTTP loopback, no proxy",
                                    store, bucket, sizes, rounds, smallRounds, config,
                                    (location, data) -> server.store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT),
                                    location -> server.store().delete(location));
                        } finally {
                            if (proxy != null) {
                                proxy.close();
                            }
                        }
                    }
                }
                case "file" -> {
                    Path dir = Files.createDirectories(Path.of("target", "bench-data").toAbsolutePath());
                    try (ObjectStore store = new FileStoreProvider().create(ConfigSource.empty())) {
                        run("file:// (page cache warm)", store, Location.ofLocalPath(dir).asPrefix(), sizes, rounds, smallRounds, config,
                                (location, data) -> store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT),
                                store::delete);
                    }
                }
                case "s3-proxy", "s3-loopback" -> {
                    // S3Proxy keeps objects in a 1 GiB heap: the large object is capped at 256 MiB here.
                    int[] s3Sizes = {64 * KIB, MIB, Math.min(bigMib, 256) * MIB};
                    try (S3ProxyServer server = S3ProxyServer.start()) {
                        boolean behind = scenario.equals("s3-proxy");
                        LatencyProxy proxy = behind ? LatencyProxy.start("127.0.0.1", server.port(),
                                LatencyProxy.Options.cloudLink(Duration.ofMillis(5), 100_000_000)) : null;
                        Map<String, String> settings = new HashMap<>(server.storeSettings());
                        if (proxy != null) {
                            settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
                        }
                        // The s3 backend is found at run time (ServiceLoader): engines does not depend on it.
                        try {
                            runPlain(behind ? "S3Proxy behind proxy (5 ms, 100 MB/s per connection)" : "S3Proxy loopback, no proxy",
                                    settings, Location.parse("s3://range-bench"), s3Sizes, rounds, smallRounds, config);
                        } finally {
                            if (proxy != null) {
                                proxy.close();
                            }
                        }
                    }
                }
                case "az-proxy", "az-loopback" -> {
                    int[] azSizes = {64 * KIB, MIB, Math.min(bigMib, 256) * MIB};
                    try (AzuriteServer server = AzuriteServer.start()) {
                        boolean behind = scenario.equals("az-proxy");
                        LatencyProxy proxy = behind ? LatencyProxy.start("127.0.0.1", server.port(),
                                LatencyProxy.Options.cloudLink(Duration.ofMillis(5), 100_000_000)) : null;
                        String endpoint = (proxy == null ? "http://127.0.0.1:" + server.port() : proxy.endpoint())
                                + "/" + AzuriteServer.ACCOUNT;
                        Map<String, String> settings = Map.of("AZURE_STORAGE_CONNECTION_STRING",
                                "DefaultEndpointsProtocol=http;AccountName=" + AzuriteServer.ACCOUNT + ";AccountKey="
                                        + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint=" + endpoint + ";",
                                "S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
                        try {
                            runPlain(behind ? "Azurite behind proxy (5 ms, 100 MB/s per connection)" : "Azurite loopback, no proxy",
                                    settings, Location.parse("az://" + AzuriteServer.ACCOUNT + "/range-bench"), azSizes, rounds,
                                    smallRounds, config);
                        } finally {
                            if (proxy != null) {
                                proxy.close();
                            }
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
    }

    private interface Put {
        void put(Location location, byte[] data) throws IOException;
    }

    private interface Delete {
        void delete(Location location) throws IOException;
    }

    /**
     * Runs the comparison on the store the registry serves for {@code container} with the registry's own range
     * engine off: the benchmark compares its engine against the plain store, so it asks for the plain one.
     */
    private static void runPlain(String scenario, Map<String, String> settings, Location container, int[] sizes,
            int bigRounds, int smallRounds, RangeConfig config) throws IOException {
        Map<String, String> plainSettings = new HashMap<>(settings);
        plainSettings.put(RangeConfig.ENABLE, "false");
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(plainSettings))) {
            ObjectStore plain = stores.forLocation(container);
            plain.createContainer(container);
            run(scenario, plain, container, sizes, bigRounds, smallRounds, config,
                    (location, data) -> plain.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT), plain::delete);
        }
    }

    private static void run(String scenario, ObjectStore store, Location prefix, int[] sizes, int bigRounds,
            int smallRounds, RangeConfig config, Put put, Delete delete) throws IOException {
        try (RangeEngine engine = new RangeEngine(config, "bench")) {
            for (int size : sizes) {
                Location location = prefix.resolve("object-" + size);
                byte[] data = TestData.bytes(size, size);
                put.put(location, data);
                data = null; // let the generator's copy go before measuring
                ObjectBytes check = engine.read(store, location, OptionalLong.empty());
                if (!check.equals(store.get(location))) {
                    throw new IllegalStateException("engine and plain GET disagree on " + location);
                }
                check = null;
                boolean big = size >= 64 * MIB;
                // Small objects: a sample is the mean of a batch, so timer noise stays below the effect.
                int batch = big ? 1 : (scenario.startsWith("HTTP behind") ? 10 : 50);
                int rounds = big ? bigRounds : smallRounds;
                for (int warm = 0; warm < (big ? 1 : 3); warm++) {
                    sample(() -> store.get(location), batch);
                    sample(() -> engine.read(store, location, OptionalLong.empty()), batch);
                }
                double[] plain = new double[rounds];
                double[] ranged = new double[rounds];
                double[] known = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    if (round % 2 == 0) {
                        plain[round] = sample(() -> store.get(location), batch);
                        ranged[round] = sample(() -> engine.read(store, location, OptionalLong.empty()), batch);
                        known[round] = sample(() -> engine.read(store, location, OptionalLong.of(size)), batch);
                    } else {
                        known[round] = sample(() -> engine.read(store, location, OptionalLong.of(size)), batch);
                        ranged[round] = sample(() -> engine.read(store, location, OptionalLong.empty()), batch);
                        plain[round] = sample(() -> store.get(location), batch);
                    }
                }
                double p = median(plain);
                double r = median(ranged);
                double k = median(known);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | **%.2fx** |%n", scenario, DataSize.format(size),
                        describe(p, size), describe(r, size), describe(k, size), p / r);
                delete.delete(location);
            }
        }
    }

    private static String describe(double millis, int size) {
        return String.format(Locale.ROOT, "%.3f ms (%.0f MB/s)", millis, size / 1e6 / (millis / 1e3));
    }

    /** Milliseconds per read, averaged over a batch. */
    private static double sample(Read read, int batch) throws IOException {
        long start = System.nanoTime();
        long bytes = 0;
        for (int i = 0; i < batch; i++) {
            bytes += read.run().size();
        }
        long elapsed = System.nanoTime() - start;
        if (bytes < 0) {
            throw new AssertionError();
        }
        return elapsed / 1e6 / batch;
    }

    private static double chunkCopyMillis(int chunk) {
        byte[] from = new byte[chunk];
        byte[] to = new byte[chunk];
        Arrays.fill(from, (byte) 1);
        List<Double> samples = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            System.arraycopy(from, 0, to, 0, chunk);
            samples.add((System.nanoTime() - start) / 1e6);
        }
        return median(samples.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
