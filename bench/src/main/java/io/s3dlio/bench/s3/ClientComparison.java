package io.s3dlio.bench.s3;

import io.s3dlio.testkit.server.S3ProxyServer;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Hand-run comparison of HTTP clients for the s3:// store (not a test; it asserts nothing and prints a table).
 * Starts S3Proxy on loopback, stores one large object and many 64 KiB objects, then measures, interleaved
 * round by round: parallel ranged GETs of the large object (MiB/s and client CPU seconds per GiB, from this
 * JVM's process CPU time; the server is another process) and 64 KiB GETs per second.
 *
 * <p>Run it with the commands in docs/BENCHMARKS.md, section "S3 HTTP client choice".
 */
public final class ClientComparison {
    private static final int MIB = 1024 * 1024;
    private static final int RANGE = 16 * MIB;
    private static final int PARALLEL_RANGES = 8;
    private static final int SMALL = 64 * 1024;
    private static final int SMALL_OBJECTS = 200;
    private static final int SMALL_OPS = 2000;
    private static final int SMALL_CONCURRENCY = 32;
    private static final String BUCKET = "compare";

    enum Kind { APACHE5_SYNC_VIRTUAL_THREADS, NETTY_ASYNC, CRT_ASYNC }

    private ClientComparison() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int largeMiB = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        try (S3ProxyServer server = S3ProxyServer.start()) {
            URI endpoint = URI.create(server.endpoint());
            try (S3Client setup = apache(endpoint)) {
                setup.createBucket(b -> b.bucket(BUCKET));
                byte[] large = new byte[largeMiB * MIB];
                new java.util.Random(1).nextBytes(large);
                setup.putObject(b -> b.bucket(BUCKET).key("large"), RequestBody.fromBytes(large));
                byte[] small = new byte[SMALL];
                for (int i = 0; i < SMALL_OBJECTS; i++) {
                    String key = smallKey(i);
                    setup.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(small));
                }
            }
            Map<Kind, List<double[]>> results = new EnumMap<>(Kind.class);
            try (Clients clients = new Clients(endpoint)) {
                for (Kind kind : Kind.values()) { // warm-up, not recorded
                    clients.large(kind, largeMiB);
                    clients.small(kind);
                }
                for (int round = 0; round < rounds; round++) {
                    for (int k = 0; k < Kind.values().length; k++) {
                        Kind kind = Kind.values()[(k + round) % Kind.values().length]; // rotate the order
                        double[] large = clients.large(kind, largeMiB);
                        double ops = clients.small(kind);
                        results.computeIfAbsent(kind, x -> new ArrayList<>()).add(new double[] {large[0], large[1], ops});
                        System.out.printf(Locale.ROOT, "round %d %-30s %8.1f MiB/s %6.2f CPU-s/GiB %8.0f ops/s%n",
                                round, kind, large[0], large[1], ops);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%nmedians of %d interleaved rounds (large object %d MiB, %d x %d MiB ranges in parallel; "
                    + "%d GETs of 64 KiB, %d concurrent):%n", rounds, largeMiB, PARALLEL_RANGES, RANGE / MIB, SMALL_OPS,
                    SMALL_CONCURRENCY);
            double[] base = median(results.get(Kind.APACHE5_SYNC_VIRTUAL_THREADS));
            System.out.println("| client | GET MiB/s | ratio | client CPU s/GiB | ratio | 64 KiB GET ops/s | ratio |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (Kind kind : Kind.values()) {
                double[] m = median(results.get(kind));
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.2f | %.2f | %.2f | %.0f | %.2f |%n", kind, m[0], m[0] / base[0],
                        m[1], m[1] / base[1], m[2], m[2] / base[2]);
            }
        }
    }

    private static String smallKey(int i) {
        return String.format(Locale.ROOT, "small/%05d", i);
    }

    private static double[] median(List<double[]> rows) {
        double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            int column = c;
            double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
            out[c] = values.length % 2 == 1 ? values[values.length / 2]
                    : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        }
        return out;
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY));
    }

    static S3Client apache(URI endpoint) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(Apache5HttpClient.builder().maxConnections(64).expectContinueEnabled(false).build()).build();
    }

    /** The three clients, built once; the measurements reuse their connection pools. */
    private static final class Clients implements AutoCloseable {
        private final S3Client apache;
        private final S3AsyncClient netty;
        private final S3AsyncClient crt;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

        Clients(URI endpoint) {
            apache = apache(endpoint);
            netty = S3AsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(credentials())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .httpClient(NettyNioAsyncHttpClient.builder().maxConcurrency(64).build()).build();
            crt = S3AsyncClient.crtBuilder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                    .credentialsProvider(credentials())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .maxConcurrency(64).build();
        }

        /** Parallel ranged GETs over the large object: {MiB/s, client CPU seconds per GiB}. */
        double[] large(Kind kind, int largeMiB) throws Exception {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            long bytes = 0;
            int ranges = largeMiB * MIB / RANGE;
            Semaphore limit = new Semaphore(PARALLEL_RANGES);
            List<Future<Integer>> parts = new ArrayList<>();
            for (int i = 0; i < ranges; i++) {
                long first = (long) i * RANGE;
                String range = "bytes=" + first + "-" + (first + RANGE - 1);
                limit.acquire();
                parts.add(threads.submit(() -> {
                    try {
                        return get(kind, "large", range, RANGE);
                    } finally {
                        limit.release();
                    }
                }));
            }
            for (Future<Integer> part : parts) {
                bytes += part.get();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            double gib = bytes / (1024.0 * MIB);
            return new double[] {bytes / (double) MIB / seconds, cpu / gib};
        }

        /** 64 KiB GETs per second. */
        double small(Kind kind) throws Exception {
            long t0 = System.nanoTime();
            Semaphore limit = new Semaphore(SMALL_CONCURRENCY);
            List<Future<Integer>> gets = new ArrayList<>();
            for (int i = 0; i < SMALL_OPS; i++) {
                String key = smallKey(i % SMALL_OBJECTS);
                limit.acquire();
                gets.add(threads.submit(() -> {
                    try {
                        return get(kind, key, null, SMALL);
                    } finally {
                        limit.release();
                    }
                }));
            }
            for (Future<Integer> get : gets) {
                if (get.get() != SMALL) {
                    throw new IllegalStateException("short read");
                }
            }
            return SMALL_OPS / ((System.nanoTime() - t0) / 1e9);
        }

        /** One GET into a buffer of the expected size (what the store does), returning the bytes read. */
        private int get(Kind kind, String key, String range, int expected) throws Exception {
            switch (kind) {
                case APACHE5_SYNC_VIRTUAL_THREADS -> {
                    try (ResponseInputStream<GetObjectResponse> in = apache.getObject(b -> b.bucket(BUCKET).key(key).range(range))) {
                        byte[] data = new byte[expected];
                        int n = in.readNBytes(data, 0, expected);
                        return n;
                    }
                }
                case NETTY_ASYNC -> {
                    return join(netty.getObject(b -> b.bucket(BUCKET).key(key).range(range),
                            AsyncResponseTransformer.toBytes())).asByteBuffer().remaining();
                }
                case CRT_ASYNC -> {
                    return join(crt.getObject(b -> b.bucket(BUCKET).key(key).range(range),
                            AsyncResponseTransformer.toBytes())).asByteBuffer().remaining();
                }
                default -> throw new IllegalArgumentException(kind.toString());
            }
        }

        private static <T> T join(CompletableFuture<T> future) {
            return future.join();
        }

        @Override
        public void close() {
            threads.close();
            apache.close();
            netty.close();
            crt.close();
        }
    }
}
