package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * HTTP/1.1 over plain (http) sockets for the lean UploadPart: the signed request's head and the part's buffer
 * go to the socket in one gathering write, so a direct part buffer reaches the kernel without a copy and in a
 * few system calls. Through the SDK's Apache client the same body went through a 4 KiB entity loop, a heap copy
 * and 8 KiB socket writes: 131,072 writes per GiB against the aws CLI's 128 KiB (docs/BENCHMARKS.md, "PUT one
 * 1 GiB object (issue 16, bigput, wave 10)").
 *
 * <p>The lean GETs and HEADs go on the same connections ({@link #call}; {@code S3DLIO_S3_PLAIN_HTTP_GET}): a
 * {@code stat} or a 64 KiB GET then needs no Apache client at all (its construction, SLF4J's scan of the class
 * path, its per-request pipeline), and a body is read from the socket as the caller reads it.
 *
 * <p>Connections are kept alive per host and port, at most {@code maxIdle} idle ones in all (the store's
 * {@code S3DLIO_S3_MAX_CONNECTIONS}), and closed by {@link #close}. A request that fails on a kept connection
 * before any byte of the answer came is sent once more on a new one (the server may have closed it while idle);
 * every other failure is the caller's to retry. Reads time out after the store's read timeout; connects after
 * its connect timeout. Thread-safe. Its one thread, started by the first {@linkplain #channel direct read} of a
 * body and stopped by {@link #close}, times those reads out: a blocking {@link SocketChannel#read} ignores
 * SO_TIMEOUT.
 */
final class PlainHttpBodies implements AutoCloseable {
    /** The most bytes of a response body kept (errors are short; a longer one is cut and its connection closed). */
    private static final int MAX_BODY = 1024 * 1024;
    /** The most one write of a request body is given, so that the {@link WriteWatch} sees progress. */
    private static final int WRITE_SLICE = 256 * 1024;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    /** The read timeout of direct reads, or 0 for none (as SO_TIMEOUT 0). */
    private final long readTimeoutNanos;
    /** Times direct reads out (started on first use, so a {@code stat} starts no thread); guarded by this. */
    private ScheduledThreadPoolExecutor timeouts;
    private final int maxIdle;
    private final Map<String, ConcurrentLinkedDeque<Connection>> idle = new ConcurrentHashMap<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    /** Requests sent (tests: which requests went this way). */
    private final java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    PlainHttpBodies(Duration connectTimeout, Duration readTimeout, int maxIdle) {
        this.connectTimeoutMillis = millis(connectTimeout);
        this.readTimeoutMillis = millis(readTimeout);
        this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(readTimeoutMillis);
        this.maxIdle = Math.max(1, maxIdle);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, duration.toMillis()));
    }

    /**
     * An answer: its status and headers, and its body (null when empty), read whole by
     * {@link PlainHttpBodies#send}, open on its connection by {@link Call}.
     */
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
                if (kept.answered || e instanceof SocketTimeoutException) {
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
        WriteWatch watch = readTimeoutNanos > 0 ? new WriteWatch(connection) : null;
        try {
            while (out[1].hasRemaining() || out[0].hasRemaining()) {
                // A blocking write returns only once all it was given is written: in slices, so that a server
                // taking bytes slowly shows progress to the watch. The kernel wakes the writer when about a third
                // of the send buffer drained (up to 4 MiB autotuned): a server that takes less than that per read
                // timeout (60 s by default) counts as stopped.
                int limit = body.limit();
                body.limit(body.position() + Math.min(body.remaining(), WRITE_SLICE));
                try {
                    if (connection.channel.write(out) > 0 && watch != null) {
                        watch.progressed = System.nanoTime();
                    }
                } finally {
                    body.limit(limit);
                }
            }
        } catch (ClosedChannelException e) {
            if (watch != null && watch.timedOut) {
                throw (IOException) new SocketTimeoutException("Write timed out (the server took no byte of the "
                        + "request for " + readTimeoutMillis + " ms)").initCause(e);
            }
            throw e;
        } finally {
            if (watch != null) {
                watch.stop();
            }
        }
        Parsed parsed = connection.read();
        keep(connection, key, parsed.keepAlive);
        AbortableInputStream stream = parsed.body.length == 0 ? null
                : AbortableInputStream.create(new ByteArrayInputStream(parsed.body));
        return new Answer(parsed.response, stream);
    }

    /**
     * A blocking channel write has no timeout: a server that stops reading (a dead worker behind a live socket)
     * parked an UploadPart for good once the socket's buffers were full. The watch closes the connection when a
     * read timeout passed without a slice of the body taken, and the write fails with a
     * {@link SocketTimeoutException}, which is retried as a read timeout is.
     */
    private final class WriteWatch {
        private final Connection connection;
        private volatile long progressed = System.nanoTime();
        private volatile boolean timedOut;
        private volatile boolean stopped;
        private volatile Future<?> next;

        WriteWatch(Connection connection) {
            this.connection = connection;
            arm(readTimeoutNanos);
        }

        private void arm(long delayNanos) {
            ScheduledExecutorService timer = timeouts();
            if (timer == null || stopped) {
                return; // the store is closing: its connections are being closed anyway
            }
            try {
                next = timer.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closed meanwhile, as above
            }
        }

        private void check() {
            if (stopped) {
                return;
            }
            long idleFor = System.nanoTime() - progressed;
            if (idleFor >= readTimeoutNanos) {
                timedOut = true;
                connection.close();
            } else {
                arm(readTimeoutNanos - idleFor);
            }
        }

        void stop() {
            stopped = true;
            Future<?> pending = next;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    /** Back to the idle ones of {@code key} when it may be kept and there is room, else closed. */
    private void keep(Connection connection, String key, boolean keepAlive) {
        if (keepAlive && !closed && idleCount.incrementAndGet() <= maxIdle) {
            idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).push(connection);
            if (closed) {
                close(); // closed meanwhile: none left open behind it
            }
        } else {
            if (keepAlive && !closed) {
                idleCount.decrementAndGet();
            }
            connection.close();
        }
    }

    /**
     * A request without a body (GET, HEAD) to send on these connections, whose answer's body is handed over
     * open: it is read from the socket as the caller reads it (straight into the caller's array for reads of a
     * buffer's size or more; a 1 GiB range is never held whole), and its connection goes back to the idle ones
     * when the body's last byte was read, or is closed when the body is aborted or closed before its end.
     */
    Call call(SdkHttpRequest request) {
        return new Call(request);
    }

    /**
     * One bodiless request; {@link #abort} (an attempt timeout, from another thread) closes the connection it is
     * on, so {@link #execute} fails at once. A kept connection that fails before any byte of the answer came is
     * replaced by a new one once, as {@link PlainHttpBodies#send} does (the request has no body and is idempotent).
     */
    final class Call {
        private final SdkHttpRequest request;
        /** A HEAD's answer has no body, whatever its Content-Length says. */
        private final boolean headOnly;
        private volatile Lease lease;
        private volatile boolean aborted;

        private Call(SdkHttpRequest request) {
            this.request = requireNonNull(request, "request is null");
            this.headOnly = request.method() == SdkHttpMethod.HEAD;
        }

        Answer execute() throws IOException {
            if (closed) {
                throw new IOException("the S3 store's HTTP connections are closed");
            }
            int port = request.port();
            String key = request.host() + ":" + port;
            byte[] head = head(request, request.getUri());
            Connection kept = poll(key);
            if (kept != null) {
                Lease on = new Lease(kept, key);
                try {
                    return exchange(on, head);
                } catch (IOException e) {
                    on.abort();
                    if (kept.answered || aborted) {
                        throw e;
                    }
                    // closed by the server while idle: once more on a new connection
                } catch (RuntimeException e) {
                    on.abort();
                    throw e;
                }
            }
            Lease on = new Lease(open(request.host(), port), key);
            try {
                return exchange(on, head);
            } catch (IOException | RuntimeException e) {
                on.abort();
                throw e;
            }
        }

        /** Closes the connection the request is on (or will be on); the caller's read of it fails. */
        void abort() {
            aborted = true;
            Lease on = lease;
            if (on != null) {
                on.abort();
            }
        }

        private Answer exchange(Lease on, byte[] head) throws IOException {
            lease = on;
            if (aborted) {
                throw new IOException("the request was aborted");
            }
            Connection connection = on.connection;
            connection.answered = false;
            ByteBuffer out = ByteBuffer.wrap(head);
            while (out.hasRemaining()) {
                connection.channel.write(out);
            }
            Head answer = connection.head();
            int status = answer.response().statusCode();
            // A failed HEAD may come with a body all the same (HTTP forbids it, some proxies send one): its
            // connection is not used again, so those bytes are never read as the next answer.
            boolean keepAlive = answer.keepAlive() && !(headOnly && status / 100 != 2);
            if (headOnly || status == 204 || status == 304 || (!answer.chunked() && answer.length() == 0)) {
                on.release(keepAlive);
                return new Answer(answer.response(), null);
            }
            BodyStream body = new BodyStream(PlainHttpBodies.this, on, answer.chunked() ? -1 : answer.length(),
                    answer.chunked(), keepAlive);
            return new Answer(answer.response(), AbortableInputStream.create(body, body::abort));
        }
    }

    /** A connection in use by one request: given back or closed once, whichever comes first. */
    private final class Lease {
        private final Connection connection;
        private final String key;
        private final AtomicBoolean done = new AtomicBoolean();

        Lease(Connection connection, String key) {
            this.connection = connection;
            this.key = key;
        }

        void release(boolean keepAlive) {
            if (done.compareAndSet(false, true)) {
                keep(connection, key, keepAlive);
            }
        }

        void abort() {
            if (done.compareAndSet(false, true)) {
                connection.close();
            }
        }
    }

    /**
     * The body of an answer of {@link #call} as a channel that reads straight into the caller's buffer, or null
     * for any other stream (an answer of the Apache client, an answer read whole). Its reads keep every guarantee
     * of the stream's (the same body: Content-Length exact, chunked, the connection given back at the end, abort
     * from another thread, the read timeout); into a direct buffer the bytes go from the socket with no copy in
     * Java at all, where the stream's reads go through a temporary direct buffer of the JDK's and a copy. Reads
     * of the stream and of the channel may be mixed.
     */
    static ReadableByteChannel channel(InputStream body) {
        return body instanceof AbortableInputStream abortable && abortable.delegate() instanceof BodyStream stream
                ? stream : null;
    }

    /** The scheduler of direct reads' timeouts, started on first use; null once closed. */
    private synchronized ScheduledExecutorService timeouts() {
        if (timeouts == null && !closed) {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
                    .name("s3dlio-s3-body-timeout-", 0).factory());
            // One watch per body, cancelled at its end: out of the queue at once, not a read timeout later.
            timer.setRemoveOnCancelPolicy(true);
            timeouts = timer;
        }
        return timeouts;
    }

    /**
     * An answer's body read from its connection: Content-Length bytes exactly (fewer is an {@link EOFException},
     * never a short end), chunked, or up to the connection's end when it has neither. One reader at a time;
     * {@link #abort} may come from another thread. Read as a stream, or as a channel straight into the caller's
     * buffer ({@link PlainHttpBodies#channel}).
     */
    private static final class BodyStream extends InputStream implements ReadableByteChannel {
        /** The most bytes asked of the socket at once, as the JDK's own socket streams read. */
        private static final int MAX_READ = 128 * 1024;
        private final PlainHttpBodies owner;
        private final Lease lease;
        private final Buffered in;
        /** The Content-Length, or -1 (chunked, or until the connection's end). */
        private final long length;
        private final boolean chunked;
        private final boolean keepAlive;
        /** Bytes left of the body (Content-Length) or of the current chunk. */
        private long left;
        private long received;
        private boolean firstChunk = true;
        private boolean ended;
        private volatile boolean broken;
        /** When the channel read in progress began or last got bytes (never 0), or 0 when none is. */
        private volatile long waitingSince;
        /** Set by the watch before it aborts a read that waited a read timeout for its next byte. */
        private volatile boolean timedOut;
        /** The watch of channel reads (armed by the first one), cancelled at the body's end. */
        private volatile Future<?> watch;

        BodyStream(PlainHttpBodies owner, Lease lease, long length, boolean chunked, boolean keepAlive) {
            this.owner = owner;
            this.lease = lease;
            this.in = lease.connection.in;
            this.length = length;
            this.chunked = chunked;
            this.keepAlive = keepAlive && (chunked || length >= 0); // a body up to the end ends its connection
            this.left = chunked ? 0 : length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int count) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, count, into.length);
            if (broken) {
                throw new IOException("the answer's body was aborted");
            }
            if (ended) {
                return -1;
            }
            if (count == 0) {
                return 0;
            }
            try {
                if (chunked && left == 0 && !nextChunk()) {
                    end();
                    return -1;
                }
                // At most MAX_READ per socket read: the JDK reads a heap array through a temporary direct buffer
                // of the read's size, cached per thread (1 MiB pieces made one 1 MiB buffer per reading thread).
                int want = Math.min(MAX_READ, length < 0 && !chunked ? count : (int) Math.min(count, left));
                return counted(in.read(into, offset, want));
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        /**
         * Counts {@code n} bytes just read from the connection (both reads end here): -1 at the end of a body that
         * runs to the connection's end, a short body an {@link EOFException}, and the body ended at once when its
         * last byte came (the caller may stop at the length without reading the end).
         */
        private int counted(int n) throws IOException {
            if (n < 0) {
                if (length < 0 && !chunked) {
                    end();
                    return -1;
                }
                throw new EOFException("the connection was closed after " + received + " bytes of the answer's body"
                        + (length >= 0 ? " of " + length : ""));
            }
            received += n;
            left -= n;
            if (left == 0 && !chunked) {
                end();
            }
            return n;
        }

        /**
         * Reads into {@code into} as {@link #read(byte[], int, int)} reads into an array: the bytes the
         * connection's stream had already buffered first, then from the socket channel straight into the buffer
         * (into a direct one without any copy in Java), never past the body's end or the current chunk's.
         */
        @Override
        public int read(ByteBuffer into) throws IOException {
            if (broken) {
                throw new IOException("the answer's body was aborted");
            }
            if (ended) {
                return -1;
            }
            if (!into.hasRemaining()) {
                return 0;
            }
            try {
                if (chunked && left == 0 && !nextChunk()) {
                    end();
                    return -1;
                }
                int want = length < 0 && !chunked ? into.remaining() : (int) Math.min(into.remaining(), left);
                int n = in.drain(into, want);
                if (n == 0) {
                    n = fromChannel(into, want);
                }
                return counted(n);
            } catch (IOException | RuntimeException e) {
                abort();
                throw e;
            }
        }

        /**
         * At most {@code want} bytes from the socket (the stream's buffer is empty). A blocking channel read
         * ignores SO_TIMEOUT, so a watch on the owner's scheduler aborts it when it waited a read timeout for its
         * next byte, and the caller sees the {@link SocketTimeoutException} the stream's read would have thrown.
         */
        private int fromChannel(ByteBuffer into, int want) throws IOException {
            if (owner.readTimeoutNanos > 0 && watch == null && !arm(owner.readTimeoutNanos)) {
                // Closed meanwhile (no scheduler): through the stream, which honours SO_TIMEOUT.
                byte[] bounce = new byte[Math.min(want, MAX_READ)];
                int n = in.read(bounce, 0, bounce.length);
                if (n > 0) {
                    into.put(bounce, 0, n);
                }
                return n;
            }
            int limit = into.limit();
            into.limit(into.position() + want);
            try {
                int n;
                do {
                    waitingSince = nonZeroNanoTime();
                    n = lease.connection.channel.read(into);
                } while (n == 0);
                return n;
            } catch (ClosedChannelException e) {
                if (timedOut) {
                    throw (IOException) new SocketTimeoutException("Read timed out (no byte of the answer's body for "
                            + TimeUnit.NANOSECONDS.toMillis(owner.readTimeoutNanos) + " ms)").initCause(e);
                }
                throw e;
            } finally {
                waitingSince = 0;
                into.limit(limit);
            }
        }

        private static long nonZeroNanoTime() {
            long now = System.nanoTime();
            return now == 0 ? 1 : now;
        }

        /** Schedules the watch a read timeout ahead; false when the owner is closed. */
        private boolean arm(long delayNanos) {
            ScheduledExecutorService timer = owner.timeouts();
            if (timer == null) {
                return false;
            }
            try {
                watch = timer.schedule(this::watch, delayNanos, TimeUnit.NANOSECONDS);
                return true;
            } catch (RejectedExecutionException e) {
                return false;
            }
        }

        /** Aborts a channel read that waited a read timeout; else looks again when the next one could have. */
        private void watch() {
            if (ended || broken) {
                return;
            }
            long since = waitingSince;
            long now = System.nanoTime();
            long timeout = owner.readTimeoutNanos;
            if (since != 0 && now - since >= timeout) {
                timedOut = true;
                abort();
                return;
            }
            if (!arm(since == 0 ? timeout : since + timeout - now) && waitingSince != 0) {
                timedOut = true; // closed: no watch any more, so no read may wait unwatched
                abort();
            }
        }

        @Override
        public boolean isOpen() {
            return !ended && !broken;
        }

        /** The next chunk's size read; false at the last (empty) chunk, whose trailers are skipped. */
        private boolean nextChunk() throws IOException {
            Connection connection = lease.connection;
            if (!firstChunk && !connection.line(false).isEmpty()) {
                throw new IOException("a chunk of the answer's body does not end with CRLF");
            }
            firstChunk = false;
            String size = connection.line(false);
            int semicolon = size.indexOf(';');
            long chunk;
            try {
                chunk = Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("not a chunk size: " + size, e);
            }
            if (chunk < 0) {
                throw new IOException("not a chunk size: " + size);
            }
            if (chunk == 0) {
                while (!connection.line(false).isEmpty()) {
                    // trailers: none expected, skipped
                }
                return false;
            }
            left = chunk;
            return true;
        }

        @Override
        public int available() throws IOException {
            return ended || broken || (!chunked && length < 0) ? 0 : (int) Math.min(in.available(), left);
        }

        private void end() {
            ended = true;
            unwatch();
            if (keepAlive) {
                lease.release(true);
            } else {
                lease.abort();
            }
        }

        /** Closes the connection (the rest of the body is not wanted); reads fail from now on. */
        void abort() {
            broken = !ended;
            unwatch();
            lease.abort();
        }

        private void unwatch() {
            Future<?> armed = watch;
            if (armed != null) {
                armed.cancel(false);
            }
        }

        /** Before the body's end the connection is closed, not drained: the rest may be a GiB. */
        @Override
        public void close() {
            if (!ended) {
                abort();
            }
        }
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
        synchronized (this) {
            if (timeouts != null) {
                // A body still read directly falls back to the stream, which honours SO_TIMEOUT.
                timeouts.shutdownNow();
            }
        }
        for (ConcurrentLinkedDeque<Connection> connections : idle.values()) {
            for (Connection connection = connections.poll(); connection != null; connection = connections.poll()) {
                idleCount.decrementAndGet();
                connection.close();
            }
        }
    }

    private record Parsed(SdkHttpResponse response, byte[] body, boolean keepAlive) {}

    /** An answer's status and headers, and how its body is framed (Content-Length, or -1; chunked). */
    private record Head(SdkHttpResponse response, boolean keepAlive, long length, boolean chunked) {}

    /** The connection's buffered stream, whose buffered bytes a direct read takes before it reads the channel. */
    private static final class Buffered extends BufferedInputStream {
        Buffered(InputStream in, int size) {
            super(in, size);
        }

        /** Moves at most {@code max} buffered bytes into {@code into}; 0 when none are buffered. */
        synchronized int drain(ByteBuffer into, int max) {
            int n = Math.min(Math.min(count - pos, max), into.remaining());
            if (n <= 0) {
                return 0;
            }
            into.put(buf, pos, n);
            pos += n;
            return n;
        }
    }

    /**
     * One socket: writes go to its channel, the answer is read through its stream (which honours SO_TIMEOUT), or
     * a body's bytes straight from the channel once the stream's buffer is drained ({@link BodyStream#read(ByteBuffer)}).
     */
    private static final class Connection {
        private final SocketChannel channel;
        private final Buffered in;
        /** Whether any byte of an answer came on it: after that a failure is not a stale connection's. */
        private boolean answered;

        Connection(SocketChannel channel) throws IOException {
            this.channel = requireNonNull(channel, "channel is null");
            this.in = new Buffered(channel.socket().getInputStream(), 8192);
        }

        Parsed read() throws IOException {
            Head head = head();
            boolean keepAlive = head.keepAlive();
            long length = head.length();
            byte[] body;
            if (head.chunked()) {
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
            return new Parsed(head.response(), body, keepAlive);
        }

        /** The status line and headers of the next answer (interim 1xx answers skipped), its body left unread. */
        Head head() throws IOException {
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
            return new Head(response.build(), keepAlive, length, chunked);
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
