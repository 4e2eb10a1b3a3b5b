package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The bodiless requests of {@link PlainHttpBodies} (the lean GETs and HEADs) at the wire, where S3 servers do not
 * go: chunked bodies, a HEAD's Content-Length without a body, a body cut short (an error, never a short end), a
 * body closed early (its connection not used again), a kept connection closed while idle, and an abort while the
 * answer is awaited. The S3 behaviour itself is tested against S3Proxy ({@code S3PlainHttpGetTest}).
 */
class PlainHttpCallTest {
    /** Answers each request with the next of {@code answers}, raw; a null answer closes the connection. */
    private static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<String> heads = new CopyOnWriteArrayList<>();
        private final AtomicInteger connections = new AtomicInteger();
        private final Thread thread;

        Server(List<String> answers) throws IOException {
            thread = Thread.ofPlatform().daemon().name("plain-http-call-test-server").start(() -> {
                int next = 0;
                try {
                    while (next < answers.size()) {
                        try (Socket connection = socket.accept()) {
                            connections.incrementAndGet();
                            InputStream in = connection.getInputStream();
                            OutputStream out = connection.getOutputStream();
                            while (next < answers.size()) {
                                String head = head(in);
                                if (head == null) {
                                    break; // the client closed it
                                }
                                heads.add(head);
                                String answer = answers.get(next++);
                                if (answer == null) {
                                    break;
                                }
                                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                                if (answer.contains("Connection: close") || answer.endsWith("#cut")) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // closed by the test
                }
            });
        }

        private static String head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
            thread.interrupt();
        }
    }

    private static SdkHttpRequest request(SdkHttpMethod method, int port) {
        return SdkHttpRequest.builder().method(method).protocol("http").host("127.0.0.1").port(port)
                .encodedPath("/bucket/key%20one").putHeader("Range", "bytes=0-9").build();
    }

    private static PlainHttpBodies http() {
        return new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(5), 4);
    }

    @Test
    void lengthAndChunkedBodiesAndAHeadWithoutBodyShareOneConnection() throws IOException {
        String length = "HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\nETag: \"e1\"\r\n\r\n0123456789";
        String head = "HTTP/1.1 200 OK\r\nContent-Length: 123456789\r\nETag: \"e1\"\r\n\r\n";
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n3\r\nefg\r\n0\r\nX-T: 1\r\n\r\n";
        String empty = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        try (Server server = new Server(List.of(length, head, chunked, empty)); PlainHttpBodies http = http()) {
            PlainHttpBodies.Answer first = http.call(request(SdkHttpMethod.GET, server.port())).execute();
            assertThat(first.response().statusCode()).isEqualTo(206);
            assertThat(first.body().readAllBytes()).isEqualTo("0123456789".getBytes(StandardCharsets.US_ASCII));
            PlainHttpBodies.Answer second = http.call(request(SdkHttpMethod.HEAD, server.port())).execute();
            assertThat(second.response().firstMatchingHeader("Content-Length")).contains("123456789");
            assertThat(second.body()).as("a HEAD's body").isNull();
            PlainHttpBodies.Answer third = http.call(request(SdkHttpMethod.GET, server.port())).execute();
            byte[] into = new byte[100];
            int n = 0;
            for (int read = third.body().read(into, 0, into.length); read >= 0;
                    read = third.body().read(into, n, into.length - n)) {
                n += read;
            }
            assertThat(new String(into, 0, n, StandardCharsets.US_ASCII)).isEqualTo("abcdefg");
            PlainHttpBodies.Answer fourth = http.call(request(SdkHttpMethod.GET, server.port())).execute();
            assertThat(fourth.body()).isNull();
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.heads.get(0)).startsWith("GET /bucket/key%20one HTTP/1.1\r\n")
                    .contains("Range: bytes=0-9")
                    .contains("Host: 127.0.0.1:" + server.port());
            assertThat(server.heads.get(1)).startsWith("HEAD /bucket/key%20one HTTP/1.1\r\n");
        }
    }

    @Test
    void aBodyCutShortIsAnErrorNotAShortEnd() throws IOException {
        String cut = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a few bytes#cut";
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try (Server server = new Server(List.of(cut, ok)); PlainHttpBodies http = http()) {
            InputStream body = http.call(request(SdkHttpMethod.GET, server.port())).execute().body();
            assertThatThrownBy(body::readAllBytes).isInstanceOf(EOFException.class)
                    .hasMessageContaining("after 20 bytes of the answer's body of 100");
            assertThatThrownBy(body::read).isInstanceOf(IOException.class);
            // The broken connection is not reused: the next request goes on a new one.
            assertThat(http.call(request(SdkHttpMethod.GET, server.port())).execute().body().readAllBytes())
                    .isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aBodyClosedBeforeItsEndClosesItsConnectionAndAStaleOneIsReplaced() throws IOException {
        String big = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        try (Server server = new Server(java.util.Arrays.asList(big, ok, null, ok)); PlainHttpBodies http = http()) {
            InputStream body = http.call(request(SdkHttpMethod.GET, server.port())).execute().body();
            assertThat(body.read()).isEqualTo('0');
            body.close(); // the rest is not wanted: not drained, the connection closed
            assertThat(http.call(request(SdkHttpMethod.GET, server.port())).execute().body().readAllBytes())
                    .isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            assertThat(server.connections.get()).isEqualTo(2);
            // The kept connection is closed by the server without an answer (as when idle too long): once more
            // on a new one.
            assertThat(http.call(request(SdkHttpMethod.GET, server.port())).execute().body().readAllBytes())
                    .isEqualTo("ok".getBytes(StandardCharsets.US_ASCII));
            assertThat(server.connections.get()).isEqualTo(3);
        }
    }

    @Test
    void anAbortWhileTheAnswerIsAwaitedEndsTheCall() throws Exception {
        // The server reads the request and never answers.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(60), 4)) {
            PlainHttpBodies.Call call = http.call(request(SdkHttpMethod.GET, silent.getLocalPort()));
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    call.execute();
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            try (Socket accepted = silent.accept()) {
                assertThat(accepted.isConnected()).isTrue();
                call.abort(); // before or after the request went: either way the call ends at once
                assertThat(failure.get(20, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            }
            caller.join();
        }
    }
}
