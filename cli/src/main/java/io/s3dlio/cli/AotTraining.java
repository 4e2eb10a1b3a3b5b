package io.s3dlio.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The training run of the launcher's ahead-of-time cache (JDK 25+, JEP 483/514/515), run once at build time:
 * {@code java -XX:AOTCacheOutput=lib/s3-cli.aot -cp 'lib/*' io.s3dlio.cli.AotTraining}. It runs the commands
 * users run most ({@code stat}, {@code ls}, {@code get}, {@code download}, {@code cp}, {@code upload},
 * {@code delete}) in this JVM against a canned S3 endpoint of its own on loopback, so the cache holds the
 * classes those commands load (the AWS SDK client, its signer and HTTP client, picocli, the engines), already
 * linked, with their method profiles. Every later {@code s3-cli} starts from that cache instead of loading,
 * verifying and linking them again.
 *
 * <p>The endpoint is <b>not a storage server</b>: it keeps objects in memory and answers just the requests
 * these commands send (HEAD, GET with one Range, ListObjectsV2, PUT, multipart upload, DELETE), accepting any
 * signature. Not a user command; a failing command is reported and training goes on (a thinner cache is still a
 * cache).
 */
public final class AotTraining {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private AotTraining() {}

    /**
     * Which commands a training run covers; each writes one of the launcher's caches. JDK 25 loads every class of
     * an AOT-linked cache at start-up, used or not, so a {@code stat} started from the full cache also maps,
     * relocates and loads the SDK pipeline's and the transfers' classes (about 6,300 where a {@code stat} needs
     * 2,600) (docs/BENCHMARKS.md, "s3-cli stat: a cache of the short commands"); the commands that stay off the
     * AWS SDK's request pipeline get caches of their own.
     */
    enum Training {
        /** Every command above: {@code lib/s3-cli.aot}. */
        FULL,
        /** {@code stat} and {@code ls} (the lean HEAD and listing): {@code lib/s3-cli-quick.aot}. */
        QUICK,
        /**
         * {@code get} of one object to a file, small and ranged (lean GETs on the plain sockets):
         * {@code lib/s3-cli-get.aot}, about 3,600 classes of the full cache's 6,500.
         */
        GET
    }

    /** {@code AotTraining [quick|get]}: the full training, or the short commands', or {@code get}'s. */
    public static void main(String[] args) throws Exception {
        Training training = args.length == 0 ? Training.FULL
                : args.length == 1 && args[0].equals("quick") ? Training.QUICK
                : args.length == 1 && args[0].equals("get") ? Training.GET
                : null;
        if (training == null) {
            throw new IllegalArgumentException("usage: AotTraining [quick|get]");
        }
        int failed = run(1, training);
        System.err.println("aot-training: done" + (failed == 0 ? "" : ", " + failed + " commands failed"));
    }

    /** Runs the full training's commands {@code 1 + extraRounds} times; returns how many runs of a command failed. */
    static int run(int extraRounds) throws IOException {
        return run(extraRounds, Training.FULL);
    }

    /** As {@link #run(int)}, for the commands of {@code training}. */
    static int run(int extraRounds, Training training) throws IOException {
        Path work = Files.createTempDirectory("s3-cli-aot-training");
        int failed = 0;
        try (Endpoint endpoint = new Endpoint()) {
            Random random = new Random(42);
            for (int i = 0; i < 32; i++) {
                endpoint.preload(String.format(java.util.Locale.ROOT, "train/small/obj-%05d", i), random, 64 * 1024);
            }
            endpoint.preload("train/big.bin", random, 24 * 1024 * 1024);
            ConfigSource config = ConfigSource.of(Map.of(
                    "AWS_ENDPOINT_URL", endpoint.url(), "AWS_ACCESS_KEY_ID", "training",
                    "AWS_SECRET_ACCESS_KEY", "training", "AWS_REGION", "us-east-1", "S3DLIO_S3_PATH_STYLE", "true",
                    "S3DLIO_PART_SIZE", "8MiB"));
            String w = work.toString();
            String[][] commands = switch (training) {
                case QUICK -> new String[][] {
                    {"stat", "s3://train/small/obj-00000"},
                    {"ls", "-r", "s3://train/small/"},
                    {"ls", "s3://train/"},
                    {"stat", "s3://train/small/obj-00001"},
                };
                case GET -> new String[][] {
                    {"get", "s3://train/small/obj-00002", "-o", w + "/one.bin"},
                    {"get", "s3://train/big.bin", "-o", w + "/big.bin"},
                };
                case FULL -> new String[][] {
                {"stat", "s3://train/small/obj-00000"},
                {"ls", "-r", "s3://train/small/"},
                {"get", "s3://train/small/obj-00001"},
                {"get", "s3://train/small/obj-00002", "-o", w + "/one.bin"},
                {"get", "s3://train/big.bin", "-o", w + "/big.bin"},
                {"download", "s3://train/small/", w + "/dl", "-r", "-j", "8"},
                {"cp", w + "/big.bin", "s3://train/up/big.bin"},
                {"cp", w + "/one.bin", "s3://train/up/one.bin"},
                {"upload", w + "/dl", "s3://train/up/dir/", "-r", "-j", "8"},
                {"stat", "s3://train/up/big.bin"},
                {"delete", "s3://train/up/one.bin"},
                };
            };
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            // Once more by default, so that the second round's methods are warm enough for their profiles to be recorded.
            for (int pass = 0; pass <= extraRounds; pass++) {
                for (String[] command : commands) {
                    try (ObjectStores stores = ObjectStores.create(config)) {
                        int code = S3Cli.execute(new CliEnvironment(stores, config, discard, discard,
                                CliEnvironment.Terminal.NOT_INTERACTIVE), command);
                        if (code != ExitCodes.OK) {
                            failed++;
                            System.err.println("aot-training: s3-cli " + String.join(" ", command) + " exited " + code);
                        }
                    }
                }
                deleteTree(work.resolve("dl"));
            }
        } finally {
            deleteTree(work);
        }
        return failed;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** The canned S3 endpoint: path-style, in memory, any signature accepted, on virtual threads it owns. */
    private static final class Endpoint implements AutoCloseable {
        private final NavigableMap<String, byte[]> objects = new ConcurrentSkipListMap<>();
        private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("aot-training-endpoint-", 0).factory());
        private final HttpServer server;

        Endpoint() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.setExecutor(threads);
            server.createContext("/", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        void preload(String path, Random random, int size) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            objects.put(path, data);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getRawPath().substring(1);
                path = URLDecoder.decode(path, StandardCharsets.UTF_8);
                String query = exchange.getRequestURI().getRawQuery();
                query = query == null ? "" : query;
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                Headers headers = exchange.getResponseHeaders();
                switch (exchange.getRequestMethod()) {
                    case "HEAD" -> {
                        if (!path.contains("/")) { // HeadBucket: the uploads' container check
                            exchange.sendResponseHeaders(200, -1);
                            return;
                        }
                        byte[] data = objects.get(path);
                        if (data == null) {
                            exchange.sendResponseHeaders(404, -1);
                            return;
                        }
                        describe(headers, data);
                        headers.set("Content-Length", Integer.toString(data.length));
                        exchange.sendResponseHeaders(200, -1);
                    }
                    case "GET" -> {
                        if (query.contains("list-type=2")) {
                            list(exchange, path, query);
                            return;
                        }
                        byte[] data = objects.get(path);
                        if (data == null) {
                            send(exchange, 404, "<Error><Code>NoSuchKey</Code><Message>not found</Message></Error>");
                            return;
                        }
                        describe(headers, data);
                        String range = exchange.getRequestHeaders().getFirst("Range");
                        int from = 0;
                        int to = data.length - 1;
                        int status = 200;
                        Matcher m = range == null ? null : RANGE.matcher(range);
                        if (m != null && m.matches()) {
                            from = (int) Math.min(Long.parseLong(m.group(1)), Integer.MAX_VALUE);
                            if (from >= data.length) {
                                headers.set("Content-Range", "bytes */" + data.length);
                                send(exchange, 416, "<Error><Code>InvalidRange</Code><Message>range</Message></Error>");
                                return;
                            }
                            if (!m.group(2).isEmpty()) {
                                to = (int) Math.min(Long.parseLong(m.group(2)), data.length - 1L);
                            }
                            headers.set("Content-Range", "bytes " + from + "-" + to + "/" + data.length);
                            status = 206;
                        }
                        exchange.sendResponseHeaders(status, to - from + 1);
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(data, from, to - from + 1);
                        }
                    }
                    case "PUT" -> {
                        // A part or a whole object; the body's framing (aws-chunked or not) does not matter here.
                        if (!query.contains("partNumber=")) {
                            objects.put(path, body);
                        }
                        headers.set("ETag", "\"" + md5(body) + "\"");
                        exchange.sendResponseHeaders(200, -1);
                    }
                    case "POST" -> {
                        String[] bucketKey = path.split("/", 2);
                        if (query.contains("uploads")) {
                            send(exchange, 200, "<InitiateMultipartUploadResult><Bucket>" + bucketKey[0] + "</Bucket><Key>"
                                    + bucketKey[1] + "</Key><UploadId>training</UploadId></InitiateMultipartUploadResult>");
                        } else {
                            objects.put(path, new byte[0]);
                            send(exchange, 200, "<CompleteMultipartUploadResult><Bucket>" + bucketKey[0]
                                    + "</Bucket><Key>" + bucketKey[1] + "</Key><ETag>\"" + md5(body)
                                    + "-1\"</ETag></CompleteMultipartUploadResult>");
                        }
                    }
                    case "DELETE" -> {
                        objects.remove(path);
                        exchange.sendResponseHeaders(204, -1);
                    }
                    default -> exchange.sendResponseHeaders(501, -1);
                }
            }
        }

        private void list(HttpExchange exchange, String bucket, String query) throws IOException {
            String prefix = "";
            for (String pair : query.split("&")) {
                if (pair.startsWith("prefix=")) {
                    prefix = URLDecoder.decode(pair.substring("prefix=".length()), StandardCharsets.UTF_8);
                }
            }
            StringBuilder xml = new StringBuilder("<ListBucketResult><Name>").append(bucket).append("</Name><Prefix>")
                    .append(prefix).append("</Prefix><IsTruncated>false</IsTruncated>");
            String start = bucket + "/" + prefix;
            int count = 0;
            for (Map.Entry<String, byte[]> e : objects.tailMap(start, true).entrySet()) {
                if (!e.getKey().startsWith(start)) {
                    break;
                }
                count++;
                xml.append("<Contents><Key>").append(e.getKey().substring(bucket.length() + 1))
                        .append("</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>&quot;")
                        .append(md5(e.getValue())).append("&quot;</ETag><Size>").append(e.getValue().length)
                        .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
            }
            xml.append("<KeyCount>").append(count).append("</KeyCount></ListBucketResult>");
            send(exchange, 200, xml.toString());
        }

        private static void describe(Headers headers, byte[] data) {
            headers.set("ETag", "\"" + md5(data) + "\"");
            headers.set("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT");
            headers.set("Content-Type", "application/octet-stream");
        }

        /** An XML body; only GET and POST answer with one (HEAD is answered by status and headers alone, above). */
        private static void send(HttpExchange exchange, int status, String xml) throws IOException {
            byte[] body = xml.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/xml");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }

        private static String md5(byte[] data) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.close();
        }
    }
}
