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
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * The direct read of a plain-http answer's body ({@link PlainHttpBodies#channel}) at the wire: the bytes a
 * Content-Length or chunked body holds, exactly, into a direct buffer and with the connection kept for the next
 * request; a body cut short is an {@link EOFException}; a server that stalls mid-body is a read timeout, not a
 * hang (a blocking channel read ignores SO_TIMEOUT); an abort from another thread ends a read waiting for bytes.
 */
class PlainHttpDirectReadTest {
    /** Answers each request with the next answer's bytes; then, per its action, keeps on, closes or stalls. */
    private record Answer(byte[] bytes, String then) {
        static Answer of(String head, byte[] body, String then) {
            byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return new Answer(all, then);
        }
    }

    private static final class Server implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();
        private final CountDownLatch release = new CountDownLatch(1);
        private final Thread thread;

        Server(List<Answer> answers) throws IOException {
            thread = Thread.ofPlatform().daemon().name("plain-http-direct-test-server").start(() -> {
                int next = 0;
                try {
                    while (next < answers.size()) {
                        try (Socket connection = socket.accept()) {
                            connections.incrementAndGet();
                            InputStream in = connection.getInputStream();
                            OutputStream out = connection.getOutputStream();
                            while (next < answers.size()) {
                                if (!head(in)) {
                                    break;
                                }
                                Answer answer = answers.get(next++);
                                out.write(answer.bytes());
                                out.flush();
                                if (answer.then().equals("stall")) {
                                    release.await(); // sends nothing more, closes nothing, until the test ends
                                }
                                if (!answer.then().equals("keep")) {
                                    break;
                                }
                            }
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the test
                }
            });
        }

        private static boolean head(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    return false;
                }
                head.write(b);
            }
            return true;
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            socket.close();
            thread.interrupt();
        }
    }

    private static SdkHttpRequest get(int port) {
        return SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol("http").host("127.0.0.1").port(port)
                .encodedPath("/bucket/key").build();
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed + (i >>> 11));
        }
        return bytes;
    }

    private static ReadableByteChannel channel(PlainHttpBodies http, int port) throws IOException {
        InputStream body = http.call(get(port)).execute().body();
        ReadableByteChannel channel = PlainHttpBodies.channel(body);
        assertThat(channel).as("the body of a plain-http call reads as a channel").isNotNull();
        return channel;
    }

    /** Reads to the end, in pieces of at most {@code piece} bytes, into one direct buffer of {@code capacity}. */
    private static byte[] readAll(ReadableByteChannel channel, int capacity, int piece) throws IOException {
        ByteBuffer into = ByteBuffer.allocateDirect(capacity);
        while (true) {
            ByteBuffer window = into.slice(into.position(), Math.min(piece, into.remaining()));
            int n = channel.read(window);
            if (n < 0) {
                break;
            }
            into.position(into.position() + n);
            if (n == 0 && !into.hasRemaining()) {
                break;
            }
        }
        byte[] bytes = new byte[into.position()];
        into.flip().get(bytes);
        return bytes;
    }

    @Test
    void contentLengthAndChunkedBodiesReadExactlyIntoDirectBuffersOnOneKeptConnection() throws IOException {
        byte[] big = pattern(3 * 1024 * 1024 + 17, 1);
        byte[] chunkA = pattern(100_000, 2);
        byte[] chunkB = pattern(7, 3);
        ByteArrayOutputStream chunked = new ByteArrayOutputStream();
        chunked.writeBytes(("186a0;x=y\r\n").getBytes(StandardCharsets.ISO_8859_1));
        chunked.writeBytes(chunkA);
        chunked.writeBytes("\r\n7\r\n".getBytes(StandardCharsets.ISO_8859_1));
        chunked.writeBytes(chunkB);
        chunked.writeBytes("\r\n0\r\nX-T: 1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        byte[] small = pattern(10, 4);
        try (Server server = new Server(List.of(
                Answer.of("HTTP/1.1 200 OK\r\nContent-Length: " + big.length + "\r\n\r\n", big, "keep"),
                Answer.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", chunked.toByteArray(), "keep"),
                Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", small, "keep")));
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(30), 4)) {
            assertThat(readAll(channel(http, server.port()), big.length + 100, 1 << 20)).isEqualTo(big);
            byte[] both = new byte[chunkA.length + chunkB.length];
            System.arraycopy(chunkA, 0, both, 0, chunkA.length);
            System.arraycopy(chunkB, 0, both, chunkA.length, chunkB.length);
            assertThat(readAll(channel(http, server.port()), both.length + 5, 33_333)).isEqualTo(both);
            // The stream and the channel mixed over one body.
            InputStream body = http.call(get(server.port())).execute().body();
            assertThat(body.read()).isEqualTo(small[0] & 0xff);
            assertThat(readAll(PlainHttpBodies.channel(body), 64, 64))
                    .isEqualTo(java.util.Arrays.copyOfRange(small, 1, small.length));
            assertThat(server.connections.get()).as("every body read to its end: one kept connection").isEqualTo(1);
        }
    }

    @Test
    void aBodyCutShortIsAnEofAndItsConnectionIsNotKept() throws IOException {
        byte[] part = pattern(200_000, 5);
        byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
        try (Server server = new Server(List.of(
                Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 300000\r\n\r\n", part, "close"),
                Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", ok, "keep")));
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(30), 4)) {
            ReadableByteChannel channel = channel(http, server.port());
            ByteBuffer into = ByteBuffer.allocateDirect(400_000);
            assertThatThrownBy(() -> {
                while (channel.read(into) >= 0) {
                    // until the cut
                }
            }).isInstanceOf(EOFException.class).hasMessageContaining("after 200000 bytes of the answer's body of 300000");
            assertThat(into.position()).isEqualTo(part.length);
            assertThatThrownBy(() -> channel.read(ByteBuffer.allocateDirect(10))).isInstanceOf(IOException.class);
            assertThat(readAll(channel(http, server.port()), 10, 10)).isEqualTo(ok);
            assertThat(server.connections.get()).isEqualTo(2);
        }
    }

    @Test
    void aServerThatStallsMidBodyIsAReadTimeoutNotAHang() throws IOException {
        byte[] part = pattern(50_000, 6);
        try (Server server = new Server(List.of(
                Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", part, "stall")));
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofMillis(300), 4)) {
            ReadableByteChannel channel = channel(http, server.port());
            ByteBuffer into = ByteBuffer.allocateDirect(100_000);
            assertThatThrownBy(() -> {
                while (channel.read(into) >= 0) {
                    // until the stall times out
                }
            }).isInstanceOf(SocketTimeoutException.class);
            assertThat(into.position()).isEqualTo(part.length);
            assertThat(channel.isOpen()).isFalse();
        }
    }

    @Test
    void aChunkedServerThatStallsIsAReadTimeoutToo() throws IOException {
        byte[] chunk = "0123456789".getBytes(StandardCharsets.US_ASCII);
        try (Server server = new Server(List.of(
                Answer.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n", chunk, "stall")));
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofMillis(300), 4)) {
            ReadableByteChannel channel = channel(http, server.port());
            ByteBuffer into = ByteBuffer.allocateDirect(100);
            assertThatThrownBy(() -> {
                while (channel.read(into) >= 0) {
                    // until the stall times out
                }
            }).isInstanceOf(SocketTimeoutException.class);
            assertThat(into.position()).isEqualTo(chunk.length);
        }
    }

    @Test
    void anAbortFromAnotherThreadEndsAReadWaitingForBytes() throws Exception {
        try (Server server = new Server(List.of(
                Answer.of("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", new byte[0], "stall")));
                PlainHttpBodies http = new PlainHttpBodies(Duration.ofSeconds(5), Duration.ofSeconds(60), 4)) {
            InputStream body = http.call(get(server.port())).execute().body();
            ReadableByteChannel channel = PlainHttpBodies.channel(body);
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            CountDownLatch reading = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    reading.countDown();
                    channel.read(ByteBuffer.allocateDirect(100));
                    failure.complete(null);
                } catch (Throwable e) {
                    failure.complete(e);
                }
            });
            reading.await();
            ((software.amazon.awssdk.http.Abortable) body).abort(); // before or during the read: either way it ends
            assertThat(failure.get(20, TimeUnit.SECONDS)).isInstanceOf(IOException.class)
                    .isNotInstanceOf(SocketTimeoutException.class);
            reader.join();
        }
    }

    @Test
    void theStreamsOfOtherAnswersAreNoChannels() {
        assertThat(PlainHttpBodies.channel(InputStream.nullInputStream())).isNull();
    }
}
