package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * HTTP/1.1 over plain (http) sockets for the lean UploadPart: the signed request's head and the part's buffer
 * go to the socket in one gathering write, so a direct part buffer reaches the kernel without a copy and in a
 * few system calls. Through the SDK's Apache client the same body went through a 4 KiB entity loop, a heap copy
 * and 8 KiB socket writes: 131,072 writes per GiB against the aws CLI's 128 KiB (docs/BENCHMARKS.md, "PUT one
 * 1 GiB object (issue 16, bigput, wave 10)").
 *
 * <p>Connections are kept alive per host and port, at most {@code maxIdle} idle ones in all (the store's
 * {@code S3DLIO_S3_MAX_CONNECTIONS}), and closed by {@link #close}. A request that fails on a kept connection
 * before any byte of the answer came is sent once more on a new one (the server may have closed it while idle);
 * every other failure is the caller's to retry. Reads time out after the store's read timeout; connects after
 * its connect timeout. Thread-safe; no threads of its own.
 */
final class PlainHttpBodies implements AutoCloseable {
    /** The most bytes of a response body kept (errors are short; a longer one is cut and its connection closed). */
    private static final int MAX_BODY = 1024 * 1024;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final int maxIdle;
    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    /** Requests sent (tests: which requests went this way). */
    private final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    PlainHttpBodies(Duration connectTimeout, Duration readTimeout, int maxIdle) {
        this.connectTimeoutMillis = millis(connectTimeout);
        this.readTimeoutMillis = millis(readTimeout);
        this.maxIdle = Math.max(1, maxIdle);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, duration.toMillis()));
    }

    /** An answer: its status and headers, and its body read whole (null when empty). */
    record Answer(SdkHttpResponse response, AbortableInputStream body) {}

    /** Sends {@code request} (signed, plain http) with {@code body}'s remaining bytes as its body. */
    Answer send(SdkHttpRequest request, ByteBuffer body) throws IOException {
        if (closed) {
            throw new IOException("the S3 store's HTTP connections are closed");
        }
        sent.increment();
        URI uri = request.getUri();
        int port = request.port();
        String key = request.host() + ":" + port;
        byte[] head = head(request, uri);
        Connection kept = poll(key);
        if (kept != null) {
            try {
                return exchange(kept, key, head, body.duplicate());
            } catch (IOException e) {
                kept.close();
                if (kept.answered) {
                    throw e;
                }
                // closed by the server while idle: once more on a new connection
            }
        }
        Connection fresh = open(request.host(), port);
        try {
            return exchange(fresh, key, head, body.duplicate());
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    /** How many requests {@link #send} was given. */
    long sent() {
        return sent.sum();
    }

    private static byte[] head(SdkHttpRequest request, URI uri) {
        StringBuilder text = new StringBuilder(512);
        text.append(request.method().name()).append(' ').append(uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            text.append('?').append(uri.getRawQuery());
        }
        text.append(" HTTP/1.1\r\n");
        boolean host = false;
        for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
            host |= header.getKey().equalsIgnoreCase("Host");
            for (String value : header.getValue()) {
                text.append(header.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        if (!host) {
            text.append("Host: ").append(request.host());
            if (request.port() != 80) {
                text.append(':').append(request.port());
            }
            text.append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private Answer exchange(Connection connection, String key, byte[] head, ByteBuffer body) throws IOException {
        connection.answered = false;
        ByteBuffer[] out = {ByteBuffer.wrap(head), body};
        while (out[1].hasRemaining() || out[0].hasRemaining()) {
            connection.channel.write(out);
        }
        Parsed parsed = connection.read();
        if (parsed.keepAlive && !closed && idleCount.incrementAndGet() <= maxIdle) {
            idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(connection);
            if (closed) {
                close(); // closed meanwhile: none left open behind it
            }
        } else {
            if (parsed.keepAlive && !closed) {
                idleCount.decrementAndGet();
            }
            connection.close();
        }
        AbortableInputStream stream = parsed.body.length == 0 ? null
                : AbortableInputStream.create(new ByteArrayInputStream(parsed.body));
        return new Answer(parsed.response, stream);
    }

    private Connection poll(String key) {
        ConcurrentLinkedDeque<Connection> connections = idle.get(key);
        Connection connection = connections == null ? null : connections.poll();
        if (connection != null) {
            idleCount.decrementAndGet();
        }
        return connection;
    }

    private Connection open(String host, int port) throws IOException {
        SocketChannel channel = SocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.socket().connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            channel.socket().setSoTimeout(readTimeoutMillis);
            return new Connection(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        for (ConcurrentLinkedDeque<Connection> connections : idle.values()) {
            for (Connection connection = connections.poll(); connection != null; connection = connections.poll()) {
                idleCount.decrementAndGet();
                connection.close();
            }
        }
    }

    private record Parsed(SdkHttpResponse response, byte[] body, boolean keepAlive) {}

    /** One socket: writes go to its channel, the answer is read through its stream (which honours SO_TIMEOUT). */
    private static final class Connection {
        private final SocketChannel channel;
        private final InputStream in;
        /** Whether any byte of an answer came on it: after that a failure is not a stale connection's. */
        private boolean answered;

        Connection(SocketChannel channel) throws IOException {
            this.channel = requireNonNull(channel, "channel is null");
            this.in = new BufferedInputStream(channel.socket().getInputStream(), 8192);
        }

        Parsed read() throws IOException {
            SdkHttpResponse.Builder response;
            boolean keepAlive;
            long length;
            boolean chunked;
            do {
                String status = line(true);
                // "HTTP/1.1 200 OK"
                String[] parts = status.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                    throw new IOException("not an HTTP answer: " + status);
                }
                response = SdkHttpResponse.builder().statusCode(Integer.parseInt(parts[1]));
                if (parts.length == 3) {
                    response.statusText(parts[2]);
                }
                keepAlive = !parts[0].equals("HTTP/1.0");
                length = -1;
                chunked = false;
                for (String header = line(false); !header.isEmpty(); header = line(false)) {
                    int colon = header.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String name = header.substring(0, colon).trim();
                    String value = header.substring(colon + 1).trim();
                    response.appendHeader(name, value);
                    switch (name.toLowerCase(Locale.ROOT)) {
                        case "content-length" -> length = Long.parseLong(value);
                        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                        case "connection" -> keepAlive = !value.equalsIgnoreCase("close") && keepAlive;
                        default -> { }
                    }
                }
            } while (response.statusCode() / 100 == 1); // an interim 100 Continue: the answer follows
            byte[] body;
            if (chunked) {
                body = chunked();
            } else if (length >= 0) {
                if (length > MAX_BODY) {
                    body = exactly(MAX_BODY);
                    keepAlive = false; // the rest is left unread
                } else {
                    body = exactly((int) length);
                }
            } else {
                body = untilEnd();
                keepAlive = false;
            }
            return new Parsed(response.build(), body, keepAlive);
        }

        private byte[] exactly(int length) throws IOException {
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("the answer's body ended after " + body.length + " of " + length + " bytes");
            }
            return body;
        }

        private byte[] untilEnd() throws IOException {
            return in.readNBytes(MAX_BODY);
        }

        private byte[] chunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String size = line(false);
                int semicolon = size.indexOf(';');
                int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (length == 0) {
                    while (!line(false).isEmpty()) {
                        // trailers: none expected, skipped
                    }
                    return body.toByteArray();
                }
                if (body.size() + length > MAX_BODY) {
                    throw new IOException("the answer's body is longer than " + MAX_BODY + " bytes");
                }
                body.writeBytes(exactly(length));
                line(false);
            }
        }

        /** One line without its CRLF (ISO-8859-1). */
        private String line(boolean first) throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                int b = in.read();
                if (b < 0) {
                    if (first && line.isEmpty()) {
                        throw new EOFException("the connection was closed before an answer came");
                    }
                    throw new EOFException("the connection was closed in the middle of the answer");
                }
                answered = true;
                if (b == '\n') {
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= 64 * 1024) {
                    throw new IOException("an answer's line is longer than 64 KiB");
                }
                line.append((char) b);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to send or read on it
            }
        }
    }
}
