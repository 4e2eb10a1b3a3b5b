package io.s3dlio.testkit.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of the JDK's HTTP server: bytes arrive intact, requests are counted by method. */
class LatencyProxyTest {
    private static final byte[] BODY = TestData.bytes(300_000, 3);

    private HttpServer server;
    private ExecutorService serverThreads;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        serverThreads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("test-http-", 0).factory());
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : BODY.length);
            if (!head) {
                exchange.getResponseBody().write(BODY);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        serverThreads.close();
    }

    @Test
    void forwardsIntactAndCountsRequestsByMethod() throws Exception {
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.getAddress().getPort(),
                LatencyProxy.Options.cloudLink(Duration.ofMillis(2), 50_000_000));
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI uri = URI.create(proxy.endpoint() + "/object");
            for (int i = 0; i < 3; i++) {
                HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(response.body()).isEqualTo(BODY);
            }
            client.send(HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            HttpResponse<byte[]> put = client.send(HttpRequest.newBuilder(uri)
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(BODY)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(put.body()).isEqualTo(BODY);
            assertThat(proxy.requestCount()).isEqualTo(5);
            assertThat(proxy.methodCounts()).isEqualTo(Map.of("GET", 3L, "HEAD", 1L, "PUT", 1L));
            assertThat(proxy.connectionCount()).isBetween(1L, 5L);
            proxy.resetCounts();
            assertThat(proxy.requestCount()).isZero();
            assertThat(proxy.methodCounts()).isEmpty();
        }
    }

    @Test
    void closeStopsListeningAndEndsItsThreads() throws Exception {
        LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.getAddress().getPort(), LatencyProxy.Options.passThrough());
        int port = proxy.port();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            client.send(HttpRequest.newBuilder(URI.create(proxy.endpoint() + "/x")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        proxy.close();
        proxy.close(); // idempotent
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close()).isInstanceOf(ConnectException.class);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().startsWith("s3dlio-proxy-"));
        // The proxy's threads are virtual, which getAllStackTraces does not list: ask its executor too.
        assertThat(proxy.terminated()).as("every proxy thread ended").isTrue();
    }

    @Test
    void refusesBadOptions() {
        assertThatThrownBy(() -> LatencyProxy.Options.cloudLink(Duration.ofMillis(-1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LatencyProxy.Options.cloudLink(Duration.ofMillis(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
