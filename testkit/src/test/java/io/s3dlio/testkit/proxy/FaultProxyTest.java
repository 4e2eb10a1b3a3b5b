package io.s3dlio.testkit.proxy;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fault proxy in front of the JDK's HTTP server: each fault does what it says to the bytes on the wire,
 * rules apply as often as asked, and requests are classified and counted per operation.
 */
class FaultProxyTest {
    private static final byte[] BODY = TestData.bytes(200_000, 7);

    private HttpServer server;
    private ExecutorService serverThreads;
    private final List<byte[]> uploads = new CopyOnWriteArrayList<>();
    private final List<String> expectHeaders = new CopyOnWriteArrayList<>();
    private FaultProxy proxy;
    private HttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        serverThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("test-http-", 0).factory());
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            String expect = exchange.getRequestHeaders().getFirst("Expect");
            if (expect != null) {
                expectHeaders.add(expect);
            }
            try (InputStream in = exchange.getRequestBody()) {
                byte[] body = in.readAllBytes();
                if (body.length > 0) {
                    uploads.add(body);
                }
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            boolean get = exchange.getRequestMethod().equals("GET");
            exchange.sendResponseHeaders(200, head ? -1 : get ? BODY.length : 2);
            if (get) {
                exchange.getResponseBody().write(BODY);
            } else if (!head) {
                exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            }
            exchange.close();
        });
        server.start();
        proxy = FaultProxy.start("127.0.0.1", server.getAddress().getPort());
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        server.stop(0);
        serverThreads.close();
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void forwardsIntactAndCountsPerOperation() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(get("/bucket/key").body()).isEqualTo(BODY);
        }
        get("/bucket?list-type=2&prefix=a");
        client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/bucket/key?partNumber=1&uploadId=u"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.discarding());
        client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/bucket/key?uploadId=u"))
                .POST(HttpRequest.BodyPublishers.ofString("<x/>")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(uploads.getFirst()).isEqualTo(BODY);
        assertThat(proxy.counts()).isEqualTo(Map.of(Operation.GET_OBJECT, 3L, Operation.LIST, 1L,
                Operation.UPLOAD_PART, 1L, Operation.COMPLETE_MULTIPART_UPLOAD, 1L));
        assertThat(proxy.requests()).hasSize(6);
        proxy.resetCounts();
        assertThat(proxy.counts()).isEmpty();
    }

    @Test
    void classifiesS3AndAzureOperations() {
        Map<String, String> none = Map.of();
        Map<String, String> azure = Map.of("x-ms-version", "2026-10-06");
        assertThat(Operation.classify("GET", "/b/k", none)).isEqualTo(Operation.GET_OBJECT);
        assertThat(Operation.classify("HEAD", "/b/k", none)).isEqualTo(Operation.HEAD_OBJECT);
        assertThat(Operation.classify("PUT", "/b/k", none)).isEqualTo(Operation.PUT_OBJECT);
        assertThat(Operation.classify("PUT", "/b/k", Map.of("x-amz-copy-source", "/b/j"))).isEqualTo(Operation.COPY_OBJECT);
        assertThat(Operation.classify("POST", "/b/k?uploads", none)).isEqualTo(Operation.CREATE_MULTIPART_UPLOAD);
        assertThat(Operation.classify("DELETE", "/b/k?uploadId=x", none)).isEqualTo(Operation.ABORT_MULTIPART_UPLOAD);
        assertThat(Operation.classify("GET", "/b?uploads", none)).isEqualTo(Operation.LIST_MULTIPART_UPLOADS);
        assertThat(Operation.classify("POST", "/b?delete", none)).isEqualTo(Operation.DELETE_OBJECTS);
        assertThat(Operation.classify("DELETE", "/b/k", none)).isEqualTo(Operation.DELETE_OBJECT);
        assertThat(Operation.classify("GET", "/b", none)).isEqualTo(Operation.LIST);
        assertThat(Operation.classify("PUT", "/b", none)).isEqualTo(Operation.CONTAINER);
        assertThat(Operation.classify("PUT", "/acct/c/blob?comp=block&blockid=QQ", azure)).isEqualTo(Operation.PUT_BLOCK);
        assertThat(Operation.classify("PUT", "/acct/c/blob?comp=blocklist", azure)).isEqualTo(Operation.PUT_BLOCK_LIST);
        assertThat(Operation.classify("GET", "/acct/c?restype=container&comp=list", azure)).isEqualTo(Operation.LIST);
        assertThat(Operation.classify("GET", "/acct/c/blob", azure)).isEqualTo(Operation.GET_OBJECT);
        assertThat(Operation.classify("PUT", "/acct/c/blob", azure)).isEqualTo(Operation.PUT_OBJECT);
        assertThat(Operation.classify("PUT", "/acct/c?restype=container", azure)).isEqualTo(Operation.CONTAINER);
    }

    @Test
    void errorStatusForTheFirstKRequestsThenForwards() throws Exception {
        FaultProxy.Rule rule = proxy.first(2, on(Operation.GET_OBJECT), Fault.status(503, 2));
        HttpResponse<byte[]> first = get("/bucket/key");
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).contains("<Code>SlowDown</Code>");
        HttpResponse<byte[]> second = get("/bucket/key");
        assertThat(second.statusCode()).isEqualTo(503);
        HttpResponse<byte[]> third = get("/bucket/key");
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.body()).isEqualTo(BODY);
        assertThat(rule.applied()).isEqualTo(2);
        assertThat(proxy.count(Operation.GET_OBJECT)).isEqualTo(3);
    }

    @Test
    void errorStatusAlwaysWithoutRetryAfterOnlyForTheChosenOperation() throws Exception {
        proxy.always(on(Operation.UPLOAD_PART), Fault.status(500));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> part = client.send(HttpRequest.newBuilder(
                    URI.create(proxy.endpoint() + "/b/k?partNumber=" + (i + 1) + "&uploadId=u"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(part.statusCode()).isEqualTo(500);
            assertThat(part.headers().firstValue("Retry-After")).isEmpty();
        }
        assertThat(uploads).as("no part reached the server").isEmpty();
        assertThat(get("/b/k").body()).isEqualTo(BODY);
    }

    @Test
    void skipsTheFirstMatchesWhenAsked() throws Exception {
        proxy.inject(on(Operation.GET_OBJECT, "/b/third"), Fault.status(500), 1, 1);
        assertThat(get("/b/first").statusCode()).isEqualTo(200);
        assertThat(get("/b/third").statusCode()).isEqualTo(200);
        assertThat(get("/b/third").statusCode()).isEqualTo(500);
        assertThat(get("/b/third").statusCode()).isEqualTo(200);
    }

    @Test
    void resetAfterNBodyBytes() throws Exception {
        proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(1000));
        RawResponse raw = rawGet("/b/k");
        assertThat(raw.head()).containsIgnoringCase("Content-Length: " + BODY.length);
        assertThat(raw.body()).hasSize(1000);
        assertThat(raw.body()).isEqualTo(java.util.Arrays.copyOf(BODY, 1000));
        assertThat(raw.reset()).as("the connection ended with a reset, not a clean close").isTrue();
        assertThat(get("/b/k").body()).isEqualTo(BODY);
    }

    @Test
    void truncateKeepsTheFullContentLengthAndClosesCleanly() throws Exception {
        proxy.first(1, on(Operation.GET_OBJECT), Fault.truncateAfter(5000));
        RawResponse raw = rawGet("/b/k");
        assertThat(raw.head()).containsIgnoringCase("Content-Length: " + BODY.length);
        assertThat(raw.body()).isEqualTo(java.util.Arrays.copyOf(BODY, 5000));
        assertThat(raw.reset()).isFalse();
        assertThat(get("/b/k").body()).isEqualTo(BODY); // rule used up
    }

    @Test
    void flipsExactlyOneBitOfTheResponse() throws Exception {
        proxy.first(1, on(Operation.GET_OBJECT), Fault.flipResponseBit(12_345, 3));
        byte[] body = get("/b/k").body();
        assertThat(body).hasSize(BODY.length);
        int differing = 0;
        for (int i = 0; i < BODY.length; i++) {
            if (body[i] != BODY[i]) {
                differing++;
                assertThat(i).isEqualTo(12_345);
                assertThat(body[i] ^ BODY[i]).isEqualTo(1 << 3);
            }
        }
        assertThat(differing).isEqualTo(1);
        assertThat(get("/b/k").body()).isEqualTo(BODY);
    }

    @Test
    void flipsABitOfAnUpload() throws Exception {
        proxy.first(1, on(Operation.PUT_OBJECT), Fault.flipRequestBit(0, 0));
        client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/b/k"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.discarding());
        byte[] stored = uploads.getFirst();
        assertThat(stored[0] ^ BODY[0]).isEqualTo(1);
        assertThat(java.util.Arrays.copyOfRange(stored, 1, stored.length))
                .isEqualTo(java.util.Arrays.copyOfRange(BODY, 1, BODY.length));
    }

    @Test
    void stallsMidBodyThenDeliversTheRest() throws Exception {
        proxy.first(1, on(Operation.GET_OBJECT), Fault.stallAfter(100, Duration.ofMillis(300)));
        try (Socket socket = rawSocket()) {
            socket.setSoTimeout(100);
            sendGet(socket, "/b/k");
            InputStream in = socket.getInputStream();
            // Reads until the stall: the head and 100 body bytes arrive, then a read times out.
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            boolean timedOut = false;
            byte[] buffer = new byte[8192];
            while (!timedOut) {
                try {
                    int n = in.read(buffer);
                    assertThat(n).isPositive();
                    seen.write(buffer, 0, n);
                } catch (java.net.SocketTimeoutException e) {
                    timedOut = true;
                }
            }
            int bodyStart = indexOfBody(seen.toByteArray());
            assertThat(seen.size() - bodyStart).isEqualTo(100);
            socket.setSoTimeout(10_000);
            byte[] rest = in.readNBytes(BODY.length - 100);
            assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(BODY, 100, BODY.length));
        }
    }

    @Test
    void stallsBeforeTheHead() throws Exception {
        proxy.first(1, on(Operation.GET_OBJECT), Fault.stallBeforeHeaders(Duration.ofMillis(300)));
        try (Socket socket = rawSocket()) {
            socket.setSoTimeout(100);
            sendGet(socket, "/b/k");
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
            socket.setSoTimeout(10_000);
            assertThat(socket.getInputStream().read()).isEqualTo('H');
        }
    }

    @Test
    void dripsTheBodyInSmallWrites() throws Exception {
        byte[] small = java.util.Arrays.copyOf(BODY, 40);
        proxy.first(1, on(Operation.GET_OBJECT), Fault.drip(7, Duration.ofMillis(20)));
        try (Socket socket = rawSocket()) {
            sendGet(socket, "/b/k");
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            int bodyStart = -1;
            int reads = 0;
            byte[] buffer = new byte[65536];
            while (bodyStart < 0 || seen.size() - bodyStart < small.length) {
                int n = in.read(buffer);
                assertThat(n).isPositive();
                seen.write(buffer, 0, n);
                if (bodyStart < 0) {
                    bodyStart = indexOfBody(seen.toByteArray());
                } else {
                    reads++;
                    // each read after the head sees at most one drip of 7 bytes (20 ms apart)
                    assertThat(n).isLessThanOrEqualTo(7 * 2);
                }
            }
            assertThat(reads).isGreaterThan(1);
            byte[] all = seen.toByteArray();
            assertThat(java.util.Arrays.copyOfRange(all, bodyStart, bodyStart + small.length)).isEqualTo(small);
        }
    }

    @Test
    void answersOrWithholds100Continue() throws Exception {
        // Answered by the proxy; the header never reaches the server.
        try (Socket socket = rawSocket()) {
            socket.setSoTimeout(10_000);
            sendPutExpecting(socket);
            String interim = readHead(socket.getInputStream());
            assertThat(interim).startsWith("HTTP/1.1 100");
            socket.getOutputStream().write("ab".getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(proxy.expectContinueCount()).isEqualTo(1);
        assertThat(expectHeaders).isEmpty();
        proxy.first(1, on(Operation.PUT_OBJECT), Fault.withholdContinue());
        try (Socket socket = rawSocket()) {
            socket.setSoTimeout(200);
            sendPutExpecting(socket);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(java.net.SocketTimeoutException.class);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("ab".getBytes(StandardCharsets.US_ASCII)); // as a client after its wait
            assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
        assertThat(uploads).hasSize(2);
    }

    @Test
    void closeEndsAStallAndEveryThread() throws Exception {
        proxy.always(on(Operation.GET_OBJECT), Fault.stallBeforeHeaders(Duration.ofHours(1)));
        Socket socket = rawSocket();
        sendGet(socket, "/b/k");
        Thread.sleep(50); // let the proxy reach the stall; the assertion below holds either way
        proxy.close();
        proxy.close();
        assertThat(proxy.terminated()).isTrue();
        socket.close();
    }

    @Test
    void refusesBadRules() {
        assertThatThrownBy(() -> Fault.status(200)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.flipResponseBit(0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.resetAfter(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fault.drip(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> proxy.inject(on(Operation.OTHER), Fault.status(500), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private record RawResponse(String head, byte[] body, boolean reset) {}

    private Socket rawSocket() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    }

    private static void sendGet(Socket socket, String path) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void sendPutExpecting(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("PUT /b/k HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one head (through the blank line) byte by byte. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("ended in head: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
            byte[] h = head.toByteArray();
            int n = h.length;
            if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
    }

    private RawResponse rawGet(String path) throws IOException {
        try (Socket socket = rawSocket()) {
            socket.setSoTimeout(10_000);
            sendGet(socket, path);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            boolean reset = false;
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    body.write(buffer, 0, n);
                }
            } catch (java.net.SocketException e) {
                reset = true;
            }
            return new RawResponse(head, body.toByteArray(), reset);
        }
    }

    private static int indexOfBody(byte[] bytes) {
        for (int i = 3; i < bytes.length; i++) {
            if (bytes[i - 3] == '\r' && bytes[i - 2] == '\n' && bytes[i - 1] == '\r' && bytes[i] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }
}
