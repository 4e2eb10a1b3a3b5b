package io.s3dlio.bench.scale;

import io.s3dlio.api.EndpointStatistics;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.bench.fixture.BenchS3Server;
import io.s3dlio.cli.CliEnvironment;
import io.s3dlio.cli.S3Cli;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.proxy.LatencyProxy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Scale-out figures (not a test), on the in-memory benchmark fixture behind three latency proxies standing for
 * three front ends of one cluster, each with its link capped in total (all connections together):
 * <ol>
 * <li>one store reading the same objects through 1 endpoint vs through 3 ({@code S3DLIO_ENDPOINTS});</li>
 * <li>{@code s3-cli mp-get} with 1, 2 and 4 worker processes vs {@code s3-cli get} in one process with the same
 * total objects in flight, over the 3 endpoints.</li>
 * </ol>
 * Run: {@code bin/bench-scale [CAP_MB_PER_S=100] [OBJECTS=300] [ROUNDS=3] [JOBS=16]}.
 */
public final class ScaleOutBenchmark {
    private static final int MIB = 1024 * 1024;
    private static final Pattern FIELD = Pattern.compile("\"(objects|bytes|mbPerSecond)\":([0-9.]+)");

    private ScaleOutBenchmark() {}

    public static void main(String[] args) throws Exception {
        long cap = (long) ((args.length > 0 ? Double.parseDouble(args[0]) : 100) * 1_000_000);
        int objects = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int jobs = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        // "endpoints": only the 1-vs-3 comparison (the mp-get part starts a JVM per worker and run).
        boolean endpointsOnly = args.length > 4 && args[4].equals("endpoints");
        LatencyProxy.Options link = new LatencyProxy.Options(Duration.ofMillis(1), OptionalLong.empty()).withTotalCap(cap);
        try (BenchS3Server server = BenchS3Server.start(0);
                LatencyProxy a = LatencyProxy.start("127.0.0.1", server.port(), link);
                LatencyProxy b = LatencyProxy.start("127.0.0.1", server.port(), link);
                LatencyProxy c = LatencyProxy.start("127.0.0.1", server.port(), link)) {
            server.preload("scale", "data/", objects, MIB);
            List<LatencyProxy> proxies = List.of(a, b, c);
            String three = proxies.stream().map(LatencyProxy::endpoint).collect(Collectors.joining(","));
            System.out.printf(Locale.ROOT, "fixture behind 3 proxies, each capped at %.0f MB/s in total, 1 ms per "
                    + "request; %d x 1 MiB objects, %d in flight, median of %d rounds (1 warm-up)%n",
                    cap / 1e6, objects, jobs, rounds);

            Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                for (String endpoints : List.of(a.endpoint(), three)) {
                    String name = endpoints.contains(",") ? "3 endpoints" : "1 endpoint";
                    double rate = readAll(settings(endpoints), jobs);
                    System.out.printf(Locale.ROOT, "round %d %s: %.1f MB/s%n", round, name, rate);
                    if (round > 0) {
                        rates.computeIfAbsent(name, k -> new ArrayList<>()).add(rate);
                    }
                }
            }
            double one = median(rates.get("1 endpoint"));
            double many = median(rates.get("3 endpoints"));
            System.out.println("| endpoints | MB/s (median) | vs 1 endpoint |");
            System.out.println("| ---: | ---: | ---: |");
            System.out.printf(Locale.ROOT, "| 1 | %.1f | 1.00x |%n| 3 | %.1f | %.2fx |%n", one, many, many / one);

            if (endpointsOnly) {
                return;
            }
            Map<String, List<Double>> cli = new java.util.LinkedHashMap<>();
            for (int round = 0; round <= rounds; round++) {
                List<String[]> runs = new ArrayList<>();
                runs.add(new String[] {"get, 1 process", "get", "s3://scale/data/", "-j", Integer.toString(jobs)});
                for (int workers : new int[] {1, 2, 4}) {
                    runs.add(new String[] {"mp-get, " + workers + " process" + (workers > 1 ? "es" : ""), "mp-get",
                            "s3://scale/data/", "-n", Integer.toString(workers), "-j", Integer.toString(jobs / workers)});
                }
                for (String[] run : runs) {
                    List<String> line = new ArrayList<>(List.of("--json", "--endpoint-url", a.endpoint(),
                            "--endpoint-url", b.endpoint(), "--endpoint-url", c.endpoint()));
                    line.addAll(List.of(run).subList(1, run.length));
                    Map<String, Double> summary = cli(settings(a.endpoint()), line);
                    System.out.printf(Locale.ROOT, "round %d %s: %s%n", round, run[0], summary);
                    if (summary.getOrDefault("bytes", 0.0) != (double) objects * MIB) {
                        throw new IllegalStateException(run[0] + " read " + summary + ", expected " + objects * (long) MIB + " bytes");
                    }
                    if (round > 0) {
                        cli.computeIfAbsent(run[0], k -> new ArrayList<>()).add(summary.get("mbPerSecond"));
                    }
                }
            }
            double base = median(cli.get("get, 1 process"));
            System.out.println("| command (" + jobs + " objects in flight in all) | MB/s (median) | vs get |");
            System.out.println("| --- | ---: | ---: |");
            for (var entry : cli.entrySet()) {
                double rate = median(entry.getValue());
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.2fx |%n", entry.getKey(), rate, rate / base);
            }
        }
    }

    private static Map<String, String> settings(String endpoints) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "benchbench", "AWS_REGION", "us-east-1",
                "S3DLIO_S3_PATH_STYLE", "true",
                "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required"));
        if (endpoints.contains(",")) {
            settings.put("S3DLIO_ENDPOINTS", endpoints);
        } else {
            settings.put("AWS_ENDPOINT_URL", endpoints);
        }
        return settings;
    }

    /** Reads every object under s3://scale/data/ with {@code jobs} in flight; MB/s. */
    private static double readAll(Map<String, String> settings, int jobs) throws Exception {
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(settings));
                ExecutorService pool = Executors.newFixedThreadPool(jobs, Thread.ofPlatform().name("bench-read-", 0).factory())) {
            Location prefix = Location.parse("s3://scale/data/");
            ObjectStore store = stores.forLocation(prefix);
            List<Location> keys;
            try (Stream<ListEntry> listing = store.list(prefix, ListMode.RECURSIVE)) {
                keys = listing.map(ListEntry::location).toList();
            }
            long start = System.nanoTime();
            List<Future<Integer>> reads = new ArrayList<>();
            for (Location key : keys) {
                reads.add(pool.submit(() -> {
                    ByteBuffer buffer = ByteBuffer.allocate(MIB);
                    return store.read(key, 0, buffer).bytesRead();
                }));
            }
            long bytes = 0;
            for (Future<Integer> read : reads) {
                bytes += read.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            EndpointStatistics.of(store).ifPresent(statistics -> System.out.println("  " + statistics.endpoints()));
            return bytes / 1e6 / seconds;
        }
    }

    /** Runs one s3-cli command line in this process (mp-get's workers are child processes); its summary. */
    private static Map<String, Double> cli(Map<String, String> settings, List<String> line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ConfigSource config = ConfigSource.fromEnvironment().withEnvironment(settings);
        int code;
        try (ObjectStores stores = ObjectStores.create(config)) {
            code = S3Cli.execute(new CliEnvironment(stores, config, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), CliEnvironment.Terminal.NOT_INTERACTIVE),
                    line.toArray(String[]::new));
        }
        if (code != 0) {
            throw new IllegalStateException("s3-cli " + line + " exited " + code + ": " + err.toString(StandardCharsets.UTF_8));
        }
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        Map<String, Double> fields = new java.util.LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(lines[lines.length - 1]);
        while (matcher.find()) {
            fields.putIfAbsent(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return fields;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
