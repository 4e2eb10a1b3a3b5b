package io.s3dlio.testkit.proxy;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on a free loopback port that makes a loopback server look like a cloud link: it adds a delay
 * to every HTTP request and caps each connection's bandwidth, and it counts the requests it sees by method
 * (for example to prove that no HEAD was sent). It can also cut chosen requests ({@link #cutRequests}): the
 * connection is closed instead of the request being forwarded, as a network failure would.
 *
 * <p><b>How requests are found (an approximation).</b> The proxy does not parse HTTP. A request starts when
 * the client sends bytes after the server has sent something since the client's previous request (or as
 * the first bytes of a connection), and those bytes begin with an HTTP method token followed by a space
 * ({@code GET }, {@code HEAD }, {@code PUT }, ...). That is exact for HTTP/1.1 clients that wait for each
 * response before the next request, which is what the SDKs do; pipelined requests would be counted as one,
 * and a request body sent after {@code 100 Continue} is (correctly) not counted because it does not start
 * with a method. TLS and HTTP/2 traffic is forwarded but not counted.
 *
 * <p><b>Delay</b> is added once per request, before its first byte is forwarded: it stands for the round
 * trip to a distant server. <b>Bandwidth</b> is capped per connection and per direction by pacing writes,
 * and optionally for all connections together (one storage front end's link, {@link Options#withTotalCap}).
 * Each connection uses two virtual threads; {@link #close()} closes every socket and joins them.
 *
 * <p>Bytes move through one direct buffer per direction (blocking channels, no heap copies), so the proxy
 * costs the machine little more than the kernel's own copies: on a small machine its CPU is taken from the
 * client and server being measured.
 */
public final class LatencyProxy extends LoopbackProxy<SocketChannel> {
    private static final int BUFFER = 256 * 1024;
    /** Read size on a paced connection: small enough that pacing stays smooth. */
    private static final int PACED_CHUNK = 64 * 1024;
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "PUT", "POST", "DELETE", "OPTIONS", "PATCH",
            "CONNECT", "TRACE");

    /**
     * What the proxy adds to each connection.
     *
     * @param delayPerRequest added before each request is forwarded; zero for none
     * @param bytesPerSecond the most each connection carries per second in each direction, when capped
     * @param totalBytesPerSecond the most all connections together carry per second in each direction, when
     *        capped: one storage front end's link (several endpoints behind several proxies add up)
     */
    public record Options(Duration delayPerRequest, OptionalLong bytesPerSecond, OptionalLong totalBytesPerSecond) {
        public Options {
            requireNonNull(delayPerRequest, "delayPerRequest is null");
            requireNonNull(bytesPerSecond, "bytesPerSecond is null");
            requireNonNull(totalBytesPerSecond, "totalBytesPerSecond is null");
            if (delayPerRequest.isNegative()) {
                throw new IllegalArgumentException("negative delay " + delayPerRequest);
            }
            if (bytesPerSecond.isPresent() && bytesPerSecond.getAsLong() <= 0) {
                throw new IllegalArgumentException("bandwidth must be positive: " + bytesPerSecond.getAsLong());
            }
            if (totalBytesPerSecond.isPresent() && totalBytesPerSecond.getAsLong() <= 0) {
                throw new IllegalArgumentException("bandwidth must be positive: " + totalBytesPerSecond.getAsLong());
            }
        }

        /** Without a cap on all connections together. */
        public Options(Duration delayPerRequest, OptionalLong bytesPerSecond) {
            this(delayPerRequest, bytesPerSecond, OptionalLong.empty());
        }

        /** These options with all connections together capped at {@code bytesPerSecond} in each direction. */
        public Options withTotalCap(long bytesPerSecond) {
            return new Options(delayPerRequest, this.bytesPerSecond, OptionalLong.of(bytesPerSecond));
        }

        /** Forward only, and count. */
        public static Options passThrough() {
            return new Options(Duration.ZERO, OptionalLong.empty());
        }

        /** A cloud-like link: {@code delay} per request and {@code bytesPerSecond} per connection. */
        public static Options cloudLink(Duration delay, long bytesPerSecond) {
            return new Options(delay, OptionalLong.of(bytesPerSecond));
        }
    }

    private final InetSocketAddress target;
    private final Options options;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> methods = new ConcurrentHashMap<>();
    /** Shared by every connection, per direction, when the total is capped; else null. */
    private final Pacer totalRequests;
    private final Pacer totalResponses;
    private volatile Cut cut;

    /** Requests whose request line contains {@code marker} are cut from the {@code from}th match on. */
    private record Cut(String marker, int from, AtomicLong matches) {}

    private LatencyProxy(InetSocketAddress target, Options options) throws IOException {
        this(target, options, ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200));
    }

    private LatencyProxy(InetSocketAddress target, Options options, ServerSocketChannel listener) throws IOException {
        super(listener, (InetSocketAddress) listener.getLocalAddress(), "s3dlio-proxy-");
        this.target = target;
        this.options = options;
        this.totalRequests = options.totalBytesPerSecond().isPresent() ? new Pacer(options.totalBytesPerSecond().getAsLong()) : null;
        this.totalResponses = options.totalBytesPerSecond().isPresent() ? new Pacer(options.totalBytesPerSecond().getAsLong()) : null;
        listen(listener::accept, this::serve);
    }

    /** Starts a proxy to {@code targetHost:targetPort}, listening on a free loopback port. */
    public static LatencyProxy start(String targetHost, int targetPort, Options options) throws IOException {
        requireNonNull(targetHost, "targetHost is null");
        requireNonNull(options, "options is null");
        if (targetPort <= 0 || targetPort > 65535) {
            throw new IllegalArgumentException("bad target port " + targetPort);
        }
        return new LatencyProxy(new InetSocketAddress(targetHost, targetPort), options);
    }

    public Options options() {
        return options;
    }

    /** HTTP requests seen so far. */
    public long requestCount() {
        return requests.get();
    }

    /** Requests seen per HTTP method, e.g. {@code {GET=3}}. */
    public Map<String, Long> methodCounts() {
        Map<String, Long> counts = new TreeMap<>();
        methods.forEach((method, count) -> counts.put(method, count.get()));
        return counts;
    }

    /**
     * From now on, every request whose request line ({@code GET /bucket?list-type=2&... HTTP/1.1}) contains
     * {@code marker} is cut, starting with the {@code fromMatch}th such request (1-based): the proxy closes
     * the connection instead of forwarding it, so the client sees the connection end without a response.
     * Requests that do not match pass as before.
     */
    public void cutRequests(String marker, int fromMatch) {
        requireNonNull(marker, "marker is null");
        if (fromMatch < 1) {
            throw new IllegalArgumentException("fromMatch must be at least 1: " + fromMatch);
        }
        cut = new Cut(marker, fromMatch, new AtomicLong());
    }

    /** Stops cutting requests. */
    public void stopCutting() {
        cut = null;
    }

    /** Sets the counters back to zero (between phases of a test or benchmark). */
    public void resetCounts() {
        requests.set(0);
        methods.clear();
    }

    private void serve(SocketChannel client) {
        SocketChannel server;
        try {
            server = SocketChannel.open();
        } catch (IOException e) {
            release(client);
            System.err.println("LatencyProxy " + endpoint() + ": cannot open a socket: " + e);
            return;
        }
        track(server);
        try {
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server.setOption(StandardSocketOptions.TCP_NODELAY, true);
            server.connect(target);
            if (closed()) {
                return;
            }
            AtomicBoolean awaitingRequest = new AtomicBoolean(true);
            // The server-to-client pump runs on its own thread; this one carries the requests.
            execute(() -> pump(server, client, awaitingRequest, Direction.RESPONSES));
            pump(client, server, awaitingRequest, Direction.REQUESTS);
        } catch (IOException e) {
            release(client);
            release(server);
            if (!closed()) {
                System.err.println("LatencyProxy " + endpoint() + ": cannot reach " + target + ": " + e);
            }
        }
    }

    private enum Direction { REQUESTS, RESPONSES }

    private void pump(SocketChannel from, SocketChannel to, AtomicBoolean awaitingRequest, Direction direction) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        Pacer pacer = options.bytesPerSecond().isPresent() ? new Pacer(options.bytesPerSecond().getAsLong()) : null;
        Pacer total = direction == Direction.REQUESTS ? totalRequests : totalResponses;
        try {
            int chunk = pacer == null && total == null ? BUFFER : PACED_CHUNK;
            int n;
            while ((n = from.read(buffer.clear().limit(chunk))) >= 0) {
                if (n == 0) {
                    continue;
                }
                buffer.flip();
                if (direction == Direction.REQUESTS) {
                    if (awaitingRequest.get()) {
                        String method = method(buffer);
                        if (method != null) {
                            awaitingRequest.set(false);
                            requests.incrementAndGet();
                            methods.computeIfAbsent(method, key -> new AtomicLong()).incrementAndGet();
                            if (cuts(buffer)) {
                                break; // closed below, never forwarded
                            }
                            sleep(options.delayPerRequest().toNanos());
                        }
                    }
                } else {
                    awaitingRequest.set(true);
                }
                if (pacer != null) {
                    pacer.pace(n);
                }
                if (total != null) {
                    total.pace(n);
                }
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
            }
            if (direction == Direction.REQUESTS && n < 0) {
                // The client is done sending: pass the half-close on and let the response pump finish.
                to.shutdownOutput();
                return;
            }
        } catch (IOException e) {
            // A reset or a close on either side ends both directions (handled below / by the other pump).
        }
        release(from);
        release(to);
    }

    /** Whether the request starting in {@code bytes} is to be cut. */
    private boolean cuts(ByteBuffer bytes) {
        Cut rule = cut;
        if (rule == null) {
            return false;
        }
        int start = bytes.position();
        int end = start;
        while (end < bytes.limit() && end - start < 8192 && bytes.get(end) != '\r' && bytes.get(end) != '\n') {
            end++;
        }
        byte[] line = new byte[end - start];
        bytes.get(start, line);
        return new String(line, StandardCharsets.US_ASCII).contains(rule.marker())
                && rule.matches().incrementAndGet() >= rule.from();
    }

    /** The method token if the readable bytes of {@code bytes} begin like an HTTP request line, else null. */
    private static String method(ByteBuffer bytes) {
        int start = bytes.position();
        int end = Math.min(bytes.limit(), start + 8);
        for (int i = start; i < end; i++) {
            byte b = bytes.get(i);
            if (b == ' ') {
                byte[] token = new byte[i - start];
                bytes.get(start, token);
                String name = new String(token, StandardCharsets.US_ASCII);
                return METHODS.contains(name) ? name : null;
            }
            if (b < 'A' || b > 'Z') {
                return null;
            }
        }
        return null;
    }

    private static void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /**
     * Paces one direction of one connection (or of all connections together) to a byte rate, allowing a burst
     * of one buffer. Shared pacers hand out time slots under the lock and sleep outside it.
     */
    private static final class Pacer {
        private final double nanosPerByte;
        private final long burstNanos;
        private long next = System.nanoTime();

        Pacer(long bytesPerSecond) {
            this.nanosPerByte = 1e9 / bytesPerSecond;
            this.burstNanos = (long) (PACED_CHUNK * nanosPerByte);
        }

        void pace(int bytes) {
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                if (next < now - burstNanos) {
                    next = now - burstNanos; // idle time earns at most one buffer of credit
                }
                next += (long) (bytes * nanosPerByte);
                wait = next - now;
            }
            if (wait > 0) {
                sleep(wait);
            }
        }
    }

    @Override
    public String toString() {
        return "LatencyProxy[" + endpoint() + " -> " + target + ", " + options + "]";
    }
}
