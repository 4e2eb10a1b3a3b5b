package io.s3dlio.bench.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.bench.PositionalArguments;
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

    /**
     * The arguments, in order (bin/bench-loader-fixture lists them). Warm-up rounds are run and not counted: until
     * the JIT has compiled the SDK's request path, its compiler threads take CPU from the highest worker counts on
     * a small machine. Issue 16 asks for a 20 ms delay (a typical cloud first-byte latency) beside the 5 ms of the
     * earlier tables.
     */
    private record Arguments(int objects, int rounds, List<Integer> workers, int warmups, int delayMillis) {}

    private static final Arguments DEFAULTS = new Arguments(256, 5, List.of(1, 2, 4, 8, 16), 4, 5);

    private LoaderScalingOnFixture() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.OperatingSystemMXBean cpu = os instanceof com.sun.management.OperatingSystemMXBean c ? c : null;
        try (BenchS3Server server = BenchS3Server.start(0);
                LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.port(),
                        new LatencyProxy.Options(Duration.ofMillis(arguments.delayMillis()), OptionalLong.empty()));
                ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of(
                        "AWS_ENDPOINT_URL", proxy.endpoint(),
                        "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "benchbench", "AWS_REGION", "us-east-1",
                        "S3DLIO_S3_PATH_STYLE", "true",
                        "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                        "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")))) {
            server.preload("scaling", "data/", arguments.objects(), MIB);
            Location prefix = Location.parse("s3://scaling/data/");
            ObjectStore store = stores.forLocation(prefix);
            System.out.println("s3:// on the in-memory fixture behind the latency proxy (" + arguments.delayMillis()
                    + " ms per request), " + arguments.objects() + " x 1 MiB per epoch");
            Map<Integer, List<Double>> rates = new LinkedHashMap<>();
            Map<Integer, List<Double>> cpuPerObject = new LinkedHashMap<>();
            for (int round = 1 - arguments.warmups(); round <= arguments.rounds(); round++) { // rounds up to 0 warm up
                for (int w : arguments.workers()) {
                    LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(8).numWorkers(w)
                            .prefetch(4).shuffle(round + arguments.warmups()).build();
                    long cpuBefore = cpu == null ? 0 : cpu.getProcessCpuTime();
                    EpochReport epoch = LoadRun.run(store, new LoadRunOptions(new DatasetSource.Prefix(prefix), options,
                            1, Duration.ZERO, DeliveryOrder.OMITTED)).epochs().get(0);
                    // Process CPU (client, proxy and fixture share this JVM) per object delivered.
                    double cpuMicros = cpu == null ? Double.NaN
                            : (cpu.getProcessCpuTime() - cpuBefore) / 1e3 / arguments.objects();
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
            System.out.println("| workers | MB/s (median of " + arguments.rounds() + ") | vs 1 worker | process CPU us per object |");
            System.out.println("| ---: | ---: | ---: | ---: |");
            for (int w : arguments.workers()) {
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
