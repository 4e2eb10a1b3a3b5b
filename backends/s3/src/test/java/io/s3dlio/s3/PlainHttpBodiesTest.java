package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The plain-http sender of lean UploadParts at the wire: what it sends, the answers it reads (content length,
 * chunked, errors), a kept connection the server closed while idle (the request goes again on a new one), and a
 * server that stops reading (the write times out).
 */
class PlainHttpBodiesTest {
    /** Serves {@code answers} in turn, each on the same connection until one says close, then on the next. */
    private static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
        private final List<String> heads = new CopyOnWriteArrayList<>();
        private final Thread thread;

        Server(List<String> answers, boolean closeAfterEach) throws IOException {
            thread = Thread.ofPlatform().daemon().name("plain-http-test-server").start(() -> {
                int next = 0;
                try {
                    while (next < answers.size()) {
                        try (Socket connection = socket.accept()) {
                            InputStream in = connection.getInputStream();
                            OutputStream out = connection.getOutputStream();
                            do {
                                String head = head(in);
                                heads.add(head);
                                int length = Integer.parseInt(header(head, "content-length"));
                                bodies.add(in.readNBytes(length));
                                out.write(answers.get(next++).getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                            } while (!closeAfterEach && next < answers.size());
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
                    throw new IOException("closed");
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        private static String header(String head, String name) {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
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

    private static SdkHttpRequest put(int port, int length) {
        return SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol("http").host("127.0.0.1").port(port)
                .encodedPath("/bucket/key%20one").putRawQueryParameter("partNumber", "1")
                .putRawQueryParameter("uploadId", "u1").putHeader("Content-Length", Integer.toString(length))
                .putHeader("x-amz-content-sha256", "abc").build();
    }

    private static ByteBuffer body(int length) {
        ByteBuffer body = ByteBuffer.allocateDirect(length);
        for (int i = 0; i < length; i++) {
            body.put((byte) i);
        }
        return body.flip();
    }

    @Test
    void sendsTheHeadAndTheWholeBufferAndReadsLengthAndChunkedAnswersOnOneConnection() throws IOException {
        String ok = "HTTP/1.1 200 OK\r\nETag: \"e1\"\r\nContent-Length: 0\r\n\r\n";
        String chunked = "HTTP/1.1 200 OK\r\nETag: \"e2\"\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        try (Server server = new Server(List.of(ok, chunked), false);
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(5), 4)) {
            ByteBuffer body = body(3 * 1024 * 1024 + 7);
            PlainHttpBodies.Answer first = http.send(put(server.port(), body.remaining()), body);
            PlainHttpBodies.Answer second = http.send(put(server.port(), body.remaining()), body);
            assertThat(first.response().statusCode()).isEqualTo(200);
            assertThat(first.response().firstMatchingHeader("ETag")).contains("\"e1\"");
            assertThat(first.body()).isNull();
            assertThat(second.response().firstMatchingHeader("etag")).contains("\"e2\"");
            assertThat(second.body().readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(body.remaining()).as("the caller's buffer is not consumed").isEqualTo(3 * 1024 * 1024 + 7);
            for (byte[] received : server.bodies) {
                assertThat(ByteBuffer.wrap(received)).isEqualTo(body);
            }
            assertThat(server.heads.get(0)).startsWith("PUT /bucket/key%20one?").contains("partNumber=1")
                    .contains("uploadId=u1").contains(" HTTP/1.1\r\n").contains("Host: 127.0.0.1:" + server.port());
        }
    }

    @Test
    void aKeptConnectionClosedByTheServerIsReplacedAndErrorsComeBackWithTheirBody() throws IOException {
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        String error = "HTTP/1.1 503 Slow Down\r\nContent-Length: 37\r\n\r\n<Error><Code>SlowDown</Code></Error>\n";
        try (Server server = new Server(List.of(ok, error), true);
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(5), 4)) {
            ByteBuffer body = body(1024);
            assertThat(http.send(put(server.port(), 1024), body).response().statusCode()).isEqualTo(200);
            PlainHttpBodies.Answer failed = http.send(put(server.port(), 1024), body);
            assertThat(failed.response().statusCode()).isEqualTo(503);
            assertThat(failed.response().statusText()).contains("Slow Down");
            assertThat(new String(failed.body().readAllBytes(), StandardCharsets.US_ASCII)).contains("SlowDown");
            assertThat(server.bodies).hasSize(2);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard: without the write watch this never returned
    void aServerThatStopsReadingFailsTheWriteWithATimeoutInsteadOfHanging() throws Exception {
        CountDownLatch over = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofMillis(500), 4)) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.setReceiveBufferSize(64 * 1024);
                    over.await(); // accepts, never reads: the socket's buffers fill
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            int length = 64 * 1024 * 1024; // far more than loopback's socket buffers
            ByteBuffer body = ByteBuffer.allocateDirect(length);
            assertThatThrownBy(() -> http.send(put(silent.getLocalPort(), length), body))
                    .isInstanceOf(SocketTimeoutException.class).hasMessageContaining("Write timed out")
                    .hasMessageContaining("500 ms");
            over.countDown();
            acceptor.join();
        }
    }

    /**
     * The writer sees progress when the kernel wakes it, after about a third of the socket's send buffer drained
     * (up to 4 MiB autotuned on loopback, so about 1.3 MiB, a quarter of a second at this server's pace): a read
     * timeout well above that, as the default 60 s is for any server that takes bytes at all.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aServerThatReadsSlowlyIsNotTakenForOneThatStopped() throws Exception {
        int length = 8 * 1024 * 1024;
        try (ServerSocket slow = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofMillis(3000), 4)) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket accepted = slow.accept()) {
                    accepted.setReceiveBufferSize(64 * 1024);
                    InputStream in = accepted.getInputStream();
                    byte[] chunk = new byte[128 * 1024];
                    long total = 0;
                    long wanted = -1;
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    for (String line : head.toString().split("\r\n")) {
                        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                            wanted = Long.parseLong(line.substring(15).trim());
                        }
                    }
                    while (total < wanted) { // 128 KiB every 25 ms: the whole body takes over a second
                        int n = in.read(chunk, 0, (int) Math.min(chunk.length, wanted - total));
                        if (n < 0) {
                            return;
                        }
                        total += n;
                        // The pause is what is under test: a peer that takes bytes slowly (no clock to inject
                        // into the kernel's socket buffers), and nothing is asserted about time.
                        Thread.sleep(25);
                    }
                    OutputStream out = accepted.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            ByteBuffer body = ByteBuffer.allocateDirect(length);
            assertThat(http.send(put(slow.getLocalPort(), length), body).response().statusCode()).isEqualTo(200);
            server.join();
        }
    }
}
