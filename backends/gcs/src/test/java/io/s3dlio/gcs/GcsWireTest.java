package io.s3dlio.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's requests on the wire, against a small hand-written HTTP responder on a random local port that
 * answers only the JSON API calls each test scripts (it is not a GCS emulator). It shows what the in-process
 * fake cannot: that STORAGE_EMULATOR_HOST reaches the client with anonymous credentials, that the page size
 * is sent and next-page tokens are followed one page at a time, how HTTP errors arrive, that a ranged read
 * asks for exactly its range and stops at a short answer, that deletePrefix's batch requests hold at most
 * 100 calls and keep each key's outcome, and that a resumable upload is finalized exactly once on finish and
 * never on abort or close.
 */
class GcsWireTest {
    private HttpServer server;
    private ExecutorService executor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile Function<Request, Response> responder = request -> Response.json(404, error(404, "not scripted"));
    private ObjectStore store;

    record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
            byte[] body) {
        /** The body as text, un-gzipped when the client compressed it. */
        String bodyText() {
            if (!"gzip".equals(header("content-encoding"))) {
                return new String(body, StandardCharsets.UTF_8);
            }
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    record Response(int status, Map<String, String> headers, byte[] body) {
        static Response json(int status, String body) {
            return new Response(status, Map.of("Content-Type", "application/json; charset=UTF-8"),
                    body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String error(int code, String message) {
        return "{\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"errors\":[{\"message\":\""
                + message + "\",\"reason\":\"r" + code + "\"}]}}";
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gcs-wire-test-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        int port = server.getAddress().getPort();
        store = new GcsStoreProvider().create(ConfigSource.of(Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:" + port,
                "S3DLIO_GCS_PAGE_SIZE", "2", "S3DLIO_GCS_MAX_ATTEMPTS", "1", "S3DLIO_GCS_PROJECT", "wire-project")));
    }

    @AfterEach
    void stop() throws IOException {
        store.close();
        server.stop(0);
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw = exchange.getRequestURI().getRawQuery();
        Map<String, String> query = new java.util.HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        Map<String, List<String>> headers = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values));
        byte[] body = exchange.getRequestBody().readAllBytes();
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), query, headers,
                body);
        requests.add(request);
        Response response = responder.apply(request);
        response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
        if (response.body().length > 0) {
            exchange.getResponseBody().write(response.body());
        }
        exchange.close();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String object(String name, long size) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"b\",\"name\":\"" + name + "\",\"size\":\"" + size
                + "\",\"generation\":\"7\",\"etag\":\"CAc=\",\"updated\":\"2026-01-02T03:04:05.000Z\"}";
    }

    @Test
    void listingSendsThePageSizeAndFollowsTokensOnePageAtATime() throws IOException {
        responder = request -> {
            assertThat(request.path()).isEqualTo("/storage/v1/b/b/o");
            String token = request.query().getOrDefault("pageToken", "");
            return switch (token) {
                case "" -> Response.json(200, "{\"kind\":\"storage#objects\",\"items\":[" + object("p/a", 1) + ","
                        + object("p/c", 3) + "],\"prefixes\":[\"p/b/\"],\"nextPageToken\":\"page-2\"}");
                case "page-2" -> Response.json(200, "{\"kind\":\"storage#objects\",\"nextPageToken\":\"page-3\"}");
                case "page-3" -> Response.json(200, "{\"kind\":\"storage#objects\",\"items\":[" + object("p/e", 5)
                        + "],\"prefixes\":[\"p/d/\"]}");
                default -> Response.json(400, error(400, "bad token " + token));
            };
        };
        try (Stream<ListEntry> entries = store.list(Location.parse("gs://b/p/"), ListMode.ONE_LEVEL)) {
            var it = entries.iterator();
            assertThat(it.next().location().key()).isEqualTo("p/a");
            assertThat(requests).as("nothing fetched beyond the first page yet").hasSize(1);
            List<String> rest = new ArrayList<>();
            it.forEachRemaining(entry -> rest.add(entry.location().key()
                    + (entry instanceof ListEntry.ObjectEntry object ? " " + object.size() : "")));
            assertThat(rest).containsExactly("p/b/", "p/c 3", "p/d/", "p/e 5");
        }
        assertThat(requests).hasSize(3);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request.query()).containsEntry("maxResults", "2").containsEntry("prefix", "p/")
                    .containsEntry("delimiter", "/");
            assertThat(request.header("authorization")).as("emulator endpoint uses no credentials").isNull();
        });
        assertThat(requests.get(1).query()).containsEntry("pageToken", "page-2");
        assertThat(requests.get(2).query()).containsEntry("pageToken", "page-3");
    }

    @Test
    void statMapsGenerationEtagAndTime() throws IOException {
        responder = request -> Response.json(200, object("dir/k", 42));
        var info = store.stat(Location.parse("gs://b/dir/k"));
        assertThat(info.size()).isEqualTo(42);
        assertThat(info.version()).hasValue("7");
        assertThat(info.etag()).hasValue("CAc=");
        assertThat(info.lastModified()).hasValue(java.time.Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(requests.get(0).path()).isEqualTo("/storage/v1/b/b/o/dir%2Fk");
    }

    @Test
    void httpErrorsArriveTranslatedAndNameTheUri() {
        Location location = Location.parse("gs://b/secret/k");
        responder = request -> Response.json(403, error(403, "anonymous caller does not have storage.objects.get"));
        assertThatThrownBy(() -> store.get(location)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("gs://b/secret/k").hasMessageContaining("storage.objects.get");
        responder = request -> Response.json(503, error(503, "backend unavailable"));
        assertThatThrownBy(() -> store.stat(location)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.isRetryable()).isTrue()).hasMessageContaining("gs://b/secret/k");
        responder = request -> Response.json(404, error(404, "No such object: b/secret/k"));
        assertThatThrownBy(() -> store.get(location)).isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining("gs://b/secret/k");
    }

    @Test
    void aRangedReadAsksForExactlyItsRangeAndStopsAtAShortAnswer() throws IOException {
        byte[] tail = new byte[60];
        java.util.Arrays.fill(tail, (byte) 7);
        responder = request -> new Response(206, Map.of("Content-Range", "bytes 40-99/100",
                "Content-Type", "application/octet-stream", "x-goog-generation", "7",
                "x-goog-stored-content-length", "100"), tail);
        ByteBuffer target = ByteBuffer.allocate(500);
        ReadResult result = store.read(Location.parse("gs://b/k"), 40, target);
        assertThat(requests.get(0).header("range")).isEqualTo("bytes=40-539");
        assertThat(requests.get(0).query()).containsEntry("alt", "media");
        assertThat(result.bytesRead()).isEqualTo(60);
        assertThat(result.objectSize()).as("a short read proves the end").hasValue(100);
    }

    /** The DELETE paths inside a multipart/mixed batch request, in order. */
    private static List<String> batchedDeletes(Request request) {
        String text = new String(request.body(), StandardCharsets.UTF_8);
        List<String> paths = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("DELETE ")) {
                paths.add(line.split(" ")[1]);
            }
        }
        return paths;
    }

    /** A multipart/mixed batch answer with one HTTP response per call, in order. */
    private static Response batchAnswer(List<Integer> statuses) {
        String boundary = "batch_s3dlio_test";
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < statuses.size(); i++) {
            int status = statuses.get(i);
            String json = status == 204 ? "" : error(status, status == 404 ? "No such object" : "caller may not delete");
            body.append("--").append(boundary).append("\r\n")
                    .append("Content-Type: application/http\r\n")
                    .append("Content-ID: <response-").append(i + 1).append(">\r\n\r\n")
                    .append("HTTP/1.1 ").append(status).append(status == 204 ? " No Content" : " Error").append("\r\n");
            if (json.isEmpty()) {
                body.append("Content-Length: 0\r\n\r\n\r\n");
            } else {
                body.append("Content-Type: application/json; charset=UTF-8\r\n")
                        .append("Content-Length: ").append(json.getBytes(StandardCharsets.UTF_8).length).append("\r\n\r\n")
                        .append(json).append("\r\n");
            }
        }
        body.append("--").append(boundary).append("--\r\n");
        return new Response(200, Map.of("Content-Type", "multipart/mixed; boundary=" + boundary),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void listOfAMissingBucketFailsOnTheCallAndDeletePrefixCannotStart() {
        responder = request -> Response.json(404, error(404, "The specified bucket does not exist."));
        Location missing = Location.parse("gs://b/p/");
        assertThatThrownBy(() -> store.list(missing, ListMode.RECURSIVE))
                .isInstanceOf(io.s3dlio.api.ContainerNotFoundException.class).hasMessageContaining("gs://b");
        assertThatThrownBy(() -> store.deletePrefix(missing))
                .isInstanceOf(io.s3dlio.api.ContainerNotFoundException.class);
    }

    @Test
    void deletePrefixWhoseListingBreaksPartWayReturnsTheBreakAsData() throws IOException {
        responder = request -> {
            if (request.path().equals("/storage/v1/b/b/o")) {
                return request.query().containsKey("pageToken")
                        ? Response.json(403, error(403, "caller may no longer list"))
                        : Response.json(200, "{\"kind\":\"storage#objects\",\"items\":[" + object("del/k-0", 1) + ","
                                + object("del/k-1", 1) + "],\"nextPageToken\":\"page-2\"}");
            }
            if (request.path().startsWith("/batch")) {
                return batchAnswer(batchedDeletes(request).stream().map(path -> 204).toList());
            }
            return Response.json(400, error(400, "unexpected " + request.method() + " " + request.path()));
        };
        Location prefix = Location.parse("gs://b/del/");
        io.s3dlio.api.DeleteResult result = store.deletePrefix(prefix);
        assertThat(result.deleted()).as("what was listed is deleted").isEqualTo(2);
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.location()).isEqualTo(prefix);
            assertThat(failure.cause()).contains("listing stopped after 2 deletes").contains("403");
        });
    }

    @Test
    void deletePrefixSendsBatchesOfAtMostOneHundredAndKeepsEachKeysOutcome() throws IOException {
        int count = 205;
        responder = request -> {
            if (request.path().equals("/storage/v1/b/b/o")) {
                // The listing: every key in one page (the page size is covered above).
                StringBuilder items = new StringBuilder();
                for (int i = 0; i < count; i++) {
                    items.append(i == 0 ? "" : ",").append(object(String.format(Locale.ROOT, "del/k-%03d", i), 1));
                }
                return Response.json(200, "{\"kind\":\"storage#objects\",\"items\":[" + items + "]}");
            }
            if (request.path().startsWith("/batch")) {
                List<Integer> statuses = new ArrayList<>();
                for (String path : batchedDeletes(request)) {
                    statuses.add(path.endsWith("k-007") ? 403 : path.endsWith("k-150") ? 404 : 204);
                }
                return batchAnswer(statuses);
            }
            return Response.json(400, error(400, "unexpected " + request.method() + " " + request.path()));
        };
        io.s3dlio.api.DeleteResult result = store.deletePrefix(Location.parse("gs://b/del/"));
        List<Request> batches = requests.stream().filter(request -> request.path().startsWith("/batch")).toList();
        assertThat(batches).extracting(request -> batchedDeletes(request).size()).containsExactly(100, 100, 5);
        assertThat(batchedDeletes(batches.get(0)).get(0)).endsWith("/b/b/o/del%2Fk-000");
        assertThat(result.deleted()).as("404 counts as deleted: absent is not an error").isEqualTo(204);
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.location()).isEqualTo(Location.parse("gs://b/del/k-007"));
            assertThat(failure.cause()).contains("gs://b/del/k-007").contains("403");
        });
    }

    /** Scripts a resumable-upload endpoint: records each chunk's Content-Range and keeps the bytes received. */
    private final class ResumableEndpoint implements Function<Request, Response> {
        final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        final List<String> contentRanges = Collections.synchronizedList(new ArrayList<>());
        volatile String finalHash;
        private int sessions;
        private String current;

        @Override
        public synchronized Response apply(Request request) {
            if (request.method().equals("POST") && "resumable".equals(request.query().get("uploadType"))) {
                // Each session starts afresh; this endpoint keeps only the newest one's bytes.
                current = "session-" + (++sessions);
                received.reset();
                String session = "http://127.0.0.1:" + server.getAddress().getPort()
                        + "/upload/storage/v1/b/b/o?uploadType=resumable&upload_id=" + current;
                return new Response(200, Map.of("Location", session, "Content-Type", "application/json"), new byte[0]);
            }
            if (request.method().equals("PUT") && current != null && current.equals(request.query().get("upload_id"))) {
                String range = request.header("content-range");
                contentRanges.add(range);
                received.writeBytes(request.body());
                if (!range.endsWith("/*")) {
                    finalHash = request.header("x-goog-hash");
                }
                if (range.endsWith("/*")) {
                    return new Response(308, Map.of("Range", "bytes=0-" + (received.size() - 1)), new byte[0]);
                }
                return Response.json(200, object("up/obj", received.size()));
            }
            return Response.json(400, error(400, "unexpected " + request.method() + " " + request.path()));
        }

        long finalizing() {
            return contentRanges.stream().filter(range -> !range.endsWith("/*")).count();
        }
    }

    @Test
    void aStreamedUploadSendsWholeChunksAndFinalizesOnceOnFinish() throws IOException {
        ResumableEndpoint endpoint = new ResumableEndpoint();
        responder = endpoint;
        byte[] data = io.s3dlio.testkit.TestData.bytes(2 * 256 * 1024 + 1000, 3);
        Location location = Location.parse("gs://b/up/obj");
        try (var writer = store.newWriter(location, io.s3dlio.api.WriteOptions.DEFAULT.withPartSize(256 * 1024))) {
            for (int at = 0; at < data.length; at += 10_000) {
                writer.write(data, at, Math.min(10_000, data.length - at));
            }
            writer.finish();
        }
        assertThat(endpoint.received.toByteArray()).isEqualTo(data);
        assertThat(endpoint.finalizing()).isEqualTo(1);
        assertThat(endpoint.contentRanges.get(endpoint.contentRanges.size() - 1)).endsWith("/" + data.length);
        // The finalizing chunk carries the whole object's CRC32C, so GCS refuses to create a corrupted object.
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(data);
        String expected = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        assertThat(endpoint.finalHash).isEqualTo("crc32c=" + expected);
        for (String range : endpoint.contentRanges.subList(0, endpoint.contentRanges.size() - 1)) {
            long first = Long.parseLong(range.substring("bytes ".length(), range.indexOf('-')));
            long last = Long.parseLong(range.substring(range.indexOf('-') + 1, range.indexOf('/')));
            assertThat((last - first + 1) % (256 * 1024)).as("chunk %s is a multiple of 256 KiB", range).isZero();
        }
    }

    @Test
    void anAbortedOrUnfinishedUploadIsNeverFinalized() throws IOException {
        ResumableEndpoint endpoint = new ResumableEndpoint();
        responder = endpoint;
        byte[] data = io.s3dlio.testkit.TestData.bytes(3 * 256 * 1024 + 5, 4);
        Location location = Location.parse("gs://b/up/obj");
        try (var writer = store.newWriter(location, io.s3dlio.api.WriteOptions.DEFAULT.withPartSize(256 * 1024))) {
            writer.write(java.nio.ByteBuffer.wrap(data));
            writer.abort();
        }
        var unfinished = store.newWriter(location, io.s3dlio.api.WriteOptions.DEFAULT.withPartSize(256 * 1024));
        unfinished.write(java.nio.ByteBuffer.wrap(data));
        unfinished.close(); // close without finish
        assertThat(endpoint.contentRanges).as("chunks were sent").isNotEmpty();
        assertThat(endpoint.finalizing()).as("no request carried the total size, so no object was created").isZero();
    }

    @Test
    void aSmallObjectGoesUpInOneRequestWithoutASession() throws IOException {
        responder = request -> request.method().equals("POST") && "multipart".equals(request.query().get("uploadType"))
                ? Response.json(200, object("small", 5)) : Response.json(400, error(400, "unexpected"));
        try (var writer = store.newWriter(Location.parse("gs://b/small"), io.s3dlio.api.WriteOptions.DEFAULT)) {
            writer.write(new byte[] {1, 2, 3, 4, 5}, 0, 5);
            assertThat(writer.finish().etag()).hasValue("CAc=");
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(new byte[] {1, 2, 3, 4, 5});
        String expected = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.query()).containsEntry("uploadType", "multipart");
            // The object's CRC32C travels with it, so GCS refuses a corrupted upload.
            assertThat(request.bodyText()).contains("\"crc32c\":\"" + expected + "\"");
        });
    }

    @Test
    void copyContinuesTheRewriteUntilTheServiceSaysDone() throws IOException {
        responder = request -> {
            if (!request.path().equals("/storage/v1/b/b/o/src/rewriteTo/b/b/o/dst")) {
                return Response.json(400, error(400, "unexpected " + request.path()));
            }
            String token = request.query().getOrDefault("rewriteToken", "");
            boolean done = token.equals("step-2");
            String next = token.isEmpty() ? "step-1" : token.equals("step-1") ? "step-2" : "";
            return Response.json(200, "{\"kind\":\"storage#rewriteResponse\",\"totalBytesRewritten\":\""
                    + (done ? 300 : 100 * (next.equals("step-1") ? 1 : 2)) + "\",\"objectSize\":\"300\",\"done\":" + done
                    + (done ? ",\"resource\":" + object("dst", 300) : ",\"rewriteToken\":\"" + next + "\"") + "}");
        };
        store.copy(Location.parse("gs://b/src"), Location.parse("gs://b/dst"));
        assertThat(requests).extracting(request -> request.query().getOrDefault("rewriteToken", "(first)"))
                .containsExactly("(first)", "step-1", "step-2");
    }

    @Test
    void bucketsUseTheProjectAndTranslateConflicts() throws IOException {
        Location bucket = Location.parse("gs://new-bucket");
        responder = request -> request.method().equals("POST") && request.path().equals("/storage/v1/b")
                ? Response.json(200, "{\"kind\":\"storage#bucket\",\"name\":\"new-bucket\"}")
                : Response.json(400, error(400, "unexpected"));
        store.createContainer(bucket);
        assertThat(requests.get(0).query()).containsEntry("project", "wire-project");
        assertThat(requests.get(0).bodyText()).contains("\"new-bucket\"");

        // 409 on create: ours (we can read it) is success; someone else's (403 on get) is an error naming it.
        responder = request -> request.method().equals("POST") ? Response.json(409, error(409, "You already own this bucket"))
                : Response.json(200, "{\"kind\":\"storage#bucket\",\"name\":\"new-bucket\"}");
        store.createContainer(bucket);
        responder = request -> request.method().equals("POST")
                ? Response.json(409, error(409, "The requested bucket name is not available"))
                : Response.json(403, error(403, "no storage.buckets.get"));
        assertThatThrownBy(() -> store.createContainer(bucket)).isInstanceOf(StorageException.class)
                .hasMessageContaining("gs://new-bucket").hasMessageContaining("not available");

        responder = request -> Response.json(409, error(409, "The bucket you tried to delete is not empty"));
        assertThatThrownBy(() -> store.deleteContainer(bucket)).isInstanceOf(StorageException.class)
                .hasMessageContaining("gs://new-bucket").hasMessageContaining("not empty");
        responder = request -> Response.json(404, error(404, "Not Found"));
        store.deleteContainer(bucket); // absent is not an error

        requests.clear();
        responder = request -> request.query().containsKey("pageToken")
                ? Response.json(200, "{\"kind\":\"storage#buckets\",\"items\":[{\"name\":\"c\"}]}")
                : Response.json(200, "{\"kind\":\"storage#buckets\",\"items\":[{\"name\":\"b\"},{\"name\":\"a\"}],"
                        + "\"nextPageToken\":\"more\"}");
        try (Stream<Location> buckets = store.listContainers(Location.parse("gs://"))) {
            assertThat(buckets.map(Location::toString).toList()).containsExactly("gs://a", "gs://b", "gs://c");
        }
        assertThat(requests).hasSize(2).allSatisfy(request -> assertThat(request.query())
                .containsEntry("project", "wire-project").containsEntry("maxResults", "2"));
    }

    // ---- conditional writes: generation preconditions on the wire ----------------------------------------

    private static String objectAt(String name, long generation, long metageneration, String etag) {
        return "{\"kind\":\"storage#object\",\"bucket\":\"b\",\"name\":\"" + name + "\",\"size\":\"1\",\"generation\":\""
                + generation + "\",\"metageneration\":\"" + metageneration + "\",\"etag\":\"" + etag + "\"}";
    }

    private static io.s3dlio.api.WriteOptions when(io.s3dlio.api.WriteCondition condition) {
        return io.s3dlio.api.WriteOptions.DEFAULT.withCondition(condition);
    }

    @Test
    void storesOfferConditionalWrites() {
        assertThat(store.capabilities()).contains(io.s3dlio.api.Capability.CONDITIONAL_WRITE);
    }

    @Test
    void ifAbsentSendsGenerationZeroAndA412IsPreconditionFailed() throws IOException {
        responder = request -> "0".equals(request.query().get("ifGenerationMatch"))
                ? Response.json(412, error(412, "conditionNotMet")) : Response.json(400, error(400, "no precondition"));
        Location location = Location.parse("gs://b/latest.json");
        assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(new byte[] {1}),
                when(io.s3dlio.api.WriteCondition.IF_ABSENT)))
                .isInstanceOf(io.s3dlio.api.PreconditionFailedException.class)
                .hasMessageContaining("gs://b/latest.json").hasMessageContaining("if absent");
        assertThat(requests).singleElement().satisfies(request -> {
            assertThat(request.query()).containsEntry("uploadType", "multipart").containsEntry("ifGenerationMatch", "0")
                    .doesNotContainKey("ifMetagenerationMatch");
        });

        requests.clear();
        responder = request -> "0".equals(request.query().get("ifGenerationMatch"))
                ? Response.json(200, objectAt("latest.json", 11, 1, "CAsQAQ==")) : Response.json(400, error(400, "x"));
        assertThat(store.put(location, ByteBuffer.wrap(new byte[] {1}), when(io.s3dlio.api.WriteCondition.IF_ABSENT))
                .etag()).hasValue("CAsQAQ==");
    }

    @Test
    void ifMatchReadsTheGenerationsOnceAndSendsBothWithTheUpload() throws IOException {
        responder = request -> {
            if (request.method().equals("GET")) {
                return Response.json(200, objectAt("latest.json", 7, 2, "CAcQAg=="));
            }
            boolean conditioned = "7".equals(request.query().get("ifGenerationMatch"))
                    && "2".equals(request.query().get("ifMetagenerationMatch"));
            return conditioned ? Response.json(200, objectAt("latest.json", 8, 1, "CAgQAQ=="))
                    : Response.json(400, error(400, "wrong preconditions " + request.query()));
        };
        var result = store.put(Location.parse("gs://b/latest.json"), ByteBuffer.wrap(new byte[] {2}),
                when(io.s3dlio.api.WriteCondition.ifMatch("CAcQAg==")));
        assertThat(result.etag()).hasValue("CAgQAQ==");
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).method()).isEqualTo("GET");
        assertThat(requests.get(1).query()).containsEntry("ifGenerationMatch", "7").containsEntry("ifMetagenerationMatch", "2");
    }

    @Test
    void ifMatchOnAnotherEtagOrAMissingObjectSendsNoUpload() {
        Location location = Location.parse("gs://b/latest.json");
        responder = request -> request.method().equals("GET") ? Response.json(200, objectAt("latest.json", 9, 1, "CAkQAQ=="))
                : Response.json(400, error(400, "an upload was sent"));
        assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(new byte[] {3}),
                when(io.s3dlio.api.WriteCondition.ifMatch("CAcQAg=="))))
                .isInstanceOf(io.s3dlio.api.PreconditionFailedException.class).hasMessageContaining("gs://b/latest.json");
        responder = request -> Response.json(404, error(404, "No such object"));
        assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(new byte[] {3}),
                when(io.s3dlio.api.WriteCondition.ifMatch("CAcQAg=="))))
                .isInstanceOf(io.s3dlio.api.PreconditionFailedException.class);
        assertThat(requests).allSatisfy(request -> assertThat(request.method()).isEqualTo("GET"));
    }

    @Test
    void aConditionalStreamedUploadCarriesThePreconditionOnItsSession() throws IOException {
        ResumableEndpoint endpoint = new ResumableEndpoint();
        responder = endpoint;
        byte[] data = io.s3dlio.testkit.TestData.bytes(2 * 256 * 1024 + 10, 5);
        try (var writer = store.newWriter(Location.parse("gs://b/up/obj"), io.s3dlio.api.WriteOptions.DEFAULT
                .withPartSize(256 * 1024).withCondition(io.s3dlio.api.WriteCondition.IF_ABSENT))) {
            writer.write(ByteBuffer.wrap(data));
            writer.finish();
        }
        assertThat(endpoint.received.toByteArray()).isEqualTo(data);
        assertThat(requests.get(0).query()).containsEntry("uploadType", "resumable").containsEntry("ifGenerationMatch", "0");
    }

    @Test
    void aStreamedUploadRefusedAtItsFinalChunkIsPreconditionFailed() {
        ResumableEndpoint endpoint = new ResumableEndpoint();
        responder = request -> {
            Response normal = endpoint.apply(request);
            String range = request.header("content-range");
            return range != null && !range.endsWith("/*") ? Response.json(412, error(412, "conditionNotMet")) : normal;
        };
        byte[] data = io.s3dlio.testkit.TestData.bytes(2 * 256 * 1024 + 10, 6);
        assertThatThrownBy(() -> {
            try (var writer = store.newWriter(Location.parse("gs://b/up/obj"), io.s3dlio.api.WriteOptions.DEFAULT
                    .withPartSize(256 * 1024).withCondition(io.s3dlio.api.WriteCondition.IF_ABSENT))) {
                writer.write(ByteBuffer.wrap(data));
                writer.finish();
            }
        }).isInstanceOf(io.s3dlio.api.PreconditionFailedException.class).hasMessageContaining("gs://b/up/obj");
    }
}
