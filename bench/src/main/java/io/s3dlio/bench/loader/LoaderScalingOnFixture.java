package io.s3dlio.bench.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.bench.fixture.BenchS3Server;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.workload.DatasetSource;
import io.s3dlio.workload.DeliveryOrder;
import io.s3dlio.workload.EpochReport;
import io.s3dlio.workload.LoadRun;
import io.s3dlio.workload.LoadRunOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Loader worker scaling (not a test): 1 MiB objects on the in-memory benchmark fixture behind the latency
 * proxy (5 ms per request). The fixture costs far less CPU per request than S3Proxy, so on a small machine
 * this isolates what the loader and the S3 client do with the latency. Run: {@code bin/bench-loader-fixture}.
 */
public final class LoaderScalingOnFixture {
    private static final int MIB = 1024 * 1024;

    private LoaderScalingOnFixture() {}

    public static void main(String[] args) throws Exception {
        int objects = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // Warm-up rounds are run and not counted: until the JIT has compiled the SDK's request path, its
        // compiler threads take CPU from the highest worker counts on a small machine.
        int warmups = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        // Issue 16 asks for 20 ms (a typical cloud first-byte latency) beside the 5 ms of the earlier tables.
        int delayMillis = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.OperatingSystemMXBean cpu = os instanceof com.sun.management.OperatingSystemMXBean c ? c : null;
        try (BenchS3Server server = BenchS3Server.start(0);
                LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.port(),
                        new LatencyProxy.Options(Duration.ofMillis(delayMillis), OptionalLong.empty()));
                ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of(
                        "AWS_ENDPOINT_URL", proxy.endpoint(),
                        "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "benchbench", "AWS_REGION", "us-east-1",
                        "S3DLIO_S3_PATH_STYLE", "true",
                        "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                        "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")))) {
            server.preload("scaling", "data/", objects, MIB);
            Location prefix = Location.parse("s3://scaling/data/");
            ObjectStore store = stores.forLocation(prefix);
            System.out.println("s3:// on the in-memory fixture behind the latency proxy (" + delayMillis + " ms per request), "
                    + objects + " x 1 MiB per epoch");
            int[] workers = args.length > 2
                    ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray()
                    : new int[] {1, 2, 4, 8, 16};
            Map<Integer, List<Double>> rates = new LinkedHashMap<>();
            Map<Integer, List<Double>> cpuPerObject = new LinkedHashMap<>();
            for (int round = 1 - warmups; round <= rounds; round++) { // rounds up to 0 warm up
                for (int w : workers) {
                    LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(8).numWorkers(w)
                            .prefetch(4).shuffle(round + warmups).build();
                    long cpuBefore = cpu == null ? 0 : cpu.getProcessCpuTime();
                    EpochReport epoch = LoadRun.run(store, new LoadRunOptions(new DatasetSource.Prefix(prefix), options,
                            1, Duration.ZERO, DeliveryOrder.OMITTED)).epochs().get(0);
                    // Process CPU (client, proxy and fixture share this JVM) per object delivered.
                    double cpuMicros = cpu == null ? Double.NaN : (cpu.getProcessCpuTime() - cpuBefore) / 1e3 / objects;
                    if (round > 0) {
                        rates.computeIfAbsent(w, k -> new ArrayList<>()).add(epoch.megabytesPerSecond());
                        cpuPerObject.computeIfAbsent(w, k -> new ArrayList<>()).add(cpuMicros);
                    }
                    System.out.printf(Locale.ROOT, "round %d workers %2d: %.1f MB/s, %.0f us CPU per object (proxy saw %s)%n",
                            round, w, epoch.megabytesPerSecond(), cpuMicros, proxy.methodCounts());
                    proxy.resetCounts();
                }
            }
            double one = rates.containsKey(1) ? median(rates.get(1)) : Double.NaN;
            System.out.println("| workers | MB/s (median of " + rounds + ") | vs 1 worker | process CPU us per object |");
            System.out.println("| ---: | ---: | ---: | ---: |");
            for (int w : workers) {
                double rate = median(rates.get(w));
                System.out.printf(Locale.ROOT, "| %d | %.1f | %.2fx | %.0f |%n", w, rate, rate / one, median(cpuPerObject.get(w)));
            }
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
