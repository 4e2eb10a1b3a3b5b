package io.s3dlio.testkit.proxy;

import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * An HTTP/1.1 proxy on a free loopback port that injects the faults a hostile network or a sick server
 * produces, per rule: reset the connection after N response body bytes, end the body early under its full
 * {@code Content-Length}, stall before the response headers or in the middle of the body, drip the body a few
 * bytes at a time, answer an error status (with or without {@code Retry-After}) instead of forwarding, flip
 * one bit of a response or request body, and withhold {@code 100 Continue}. It classifies each request as an
 * S3 or Azure {@link Operation} and counts requests per operation, so a test can prove how many extra
 * requests a retry cost.
 *
 * <p>Unlike {@link LatencyProxy} this proxy parses HTTP: request and response heads, and bodies framed by
 * {@code Content-Length} or {@code chunked} (a response without either runs to the end of the connection).
 * Clients must wait for each response before sending the next request on a connection, as the SDKs do.
 * Body offsets in rules count the bytes on the wire after the head (for a chunked body that includes the
 * chunk framing; object reads always carry a {@code Content-Length}).
 *
 * <p>{@code Expect: 100-continue} is answered by the proxy itself (the header is not forwarded), so the
 * server never sees it; {@link #expectContinueCount()} counts the requests that carried it, and
 * {@link Fault#withholdContinue()} makes the proxy stay silent, as a proxy that does not forward it would: the
 * client then waits for its own timeout before sending the body.
 *
 * <p>Rules are tried in the order they were added; the first that matches a request and has uses left
 * applies (one fault per request). Each connection is served by one virtual thread; {@link #close()} closes
 * every socket and joins them.
 */
public final class FaultProxy extends LoopbackProxy<Socket> {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int BUFFER = 64 * 1024;

    /** What a request does, as far as the fault rules and counters care (S3 and Azure Blob names). */
    public enum Operation {
        GET_OBJECT, HEAD_OBJECT, PUT_OBJECT, COPY_OBJECT, DELETE_OBJECT, DELETE_OBJECTS, LIST,
        CREATE_MULTIPART_UPLOAD, UPLOAD_PART, COMPLETE_MULTIPART_UPLOAD, ABORT_MULTIPART_UPLOAD,
        LIST_MULTIPART_UPLOADS, LIST_PARTS,
        /** Azure Put Block (a part of a block blob). */
        PUT_BLOCK,
        /** Azure Put Block List (the commit of a block blob). */
        PUT_BLOCK_LIST,
        CONTAINER, OTHER;

        /**
         * Classifies a request from its method, target ({@code /bucket/key?query}) and headers (lower-case
         * names). Path-style S3 ({@code /bucket/key}) and Azure ({@code /account/container/blob}) are told apart
         * only where they differ ({@code comp=} and {@code x-ms-} headers are Azure's).
         */
        public static Operation classify(String method, String target, Map<String, String> headers) {
            int q = target.indexOf('?');
            String path = q < 0 ? target : target.substring(0, q);
            String query = q < 0 ? "" : target.substring(q + 1);
            Set<String> params = new java.util.HashSet<>();
            for (String pair : query.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    params.add(eq < 0 ? pair : pair.substring(0, eq) + "=" + pair.substring(eq + 1));
                    params.add(eq < 0 ? pair : pair.substring(0, eq));
                }
            }
            boolean azure = headers.keySet().stream().anyMatch(name -> name.startsWith("x-ms-"));
            long segments = java.util.Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).count();
            if (params.contains("comp=block")) {
                return PUT_BLOCK;
            }
            if (params.contains("comp=blocklist")) {
                return method.equals("PUT") ? PUT_BLOCK_LIST : OTHER;
            }
            if (params.contains("comp=batch") || (method.equals("POST") && params.contains("delete"))) {
                return DELETE_OBJECTS;
            }
            if (params.contains("comp=list") || params.contains("list-type")
                    || (!azure && method.equals("GET") && segments == 1 && !params.contains("uploads")
                            && !params.contains("location"))) {
                return LIST;
            }
            if (params.contains("uploads")) {
                return method.equals("POST") ? CREATE_MULTIPART_UPLOAD : LIST_MULTIPART_UPLOADS;
            }
            if (params.contains("uploadId")) {
                return switch (method) {
                    case "PUT" -> headers.containsKey("x-amz-copy-source") ? COPY_OBJECT : UPLOAD_PART;
                    case "POST" -> COMPLETE_MULTIPART_UPLOAD;
                    case "DELETE" -> ABORT_MULTIPART_UPLOAD;
                    case "GET" -> LIST_PARTS;
                    default -> OTHER;
                };
            }
            if (params.contains("restype") || (!azure && segments == 1) || (azure && segments <= 2)) {
                return CONTAINER;
            }
            if (params.contains("comp")) {
                return OTHER; // blob properties, metadata, tags, ...
            }
            return switch (method) {
                case "GET" -> GET_OBJECT;
                case "HEAD" -> HEAD_OBJECT;
                case "PUT" -> headers.containsKey("x-amz-copy-source") || headers.containsKey("x-ms-copy-source")
                        ? COPY_OBJECT : PUT_OBJECT;
                case "DELETE" -> DELETE_OBJECT;
                default -> OTHER;
            };
        }
    }

    /** One request as the rules see it. Header names are lower-case. */
    public record Request(String method, String target, Map<String, String> headers, Operation operation) {
        public Request {
            requireNonNull(method, "method is null");
            requireNonNull(target, "target is null");
            headers = Map.copyOf(headers);
            requireNonNull(operation, "operation is null");
        }
    }

    /** What a rule does to a request it matches. Build with the static factories. */
    public sealed interface Fault {
        /** Forward the head and {@code bodyBytes} bytes of the response body, then reset the connection. */
        static Fault resetAfter(long bodyBytes) {
            return new ResetAfter(bodyBytes);
        }

        /**
         * Forward the head unchanged (its {@code Content-Length} still promises the whole body) and
         * {@code bodyBytes} bytes of the body, then close the connection normally: a truncated body.
         */
        static Fault truncateAfter(long bodyBytes) {
            return new TruncateAfter(bodyBytes);
        }

        /** Hold the response for {@code stall} before its first byte (the proxy's close ends a longer stall). */
        static Fault stallBeforeHeaders(Duration stall) {
            return new StallBeforeHeaders(stall);
        }

        /** Forward the head and {@code bodyBytes} bytes of the body, hold for {@code stall}, then the rest. */
        static Fault stallAfter(long bodyBytes, Duration stall) {
            return new StallAfter(bodyBytes, stall);
        }

        /** Forward the head at once, then the body {@code bytes} at a time with {@code pause} between. */
        static Fault drip(int bytes, Duration pause) {
            return new Drip(bytes, pause);
        }

        /** Answer {@code status} with an S3-style error body instead of forwarding; no {@code Retry-After}. */
        static Fault status(int status) {
            return new Status(status, Optional.empty());
        }

        /** Answer {@code status} with {@code Retry-After: seconds} instead of forwarding. */
        static Fault status(int status, long retryAfterSeconds) {
            return new Status(status, Optional.of(Duration.ofSeconds(retryAfterSeconds)));
        }

        /** Invert bit {@code bit} (0-7) of the response body's byte at {@code offset}. */
        static Fault flipResponseBit(long offset, int bit) {
            return new FlipBit(Side.RESPONSE, offset, bit);
        }

        /** Invert bit {@code bit} (0-7) of the request body's byte at {@code offset} (an upload corrupted). */
        static Fault flipRequestBit(long offset, int bit) {
            return new FlipBit(Side.REQUEST, offset, bit);
        }

        /** Never send {@code 100 Continue} to a client that asked for it; the request is forwarded as usual. */
        static Fault withholdContinue() {
            return new WithholdContinue();
        }
    }

    enum Side { REQUEST, RESPONSE }

    record ResetAfter(long bodyBytes) implements Fault {
        ResetAfter {
            requireNonNegative(bodyBytes);
        }
    }

    record TruncateAfter(long bodyBytes) implements Fault {
        TruncateAfter {
            requireNonNegative(bodyBytes);
        }
    }

    record StallBeforeHeaders(Duration stall) implements Fault {
        StallBeforeHeaders {
            requireNonNull(stall, "stall is null");
        }
    }

    record StallAfter(long bodyBytes, Duration stall) implements Fault {
        StallAfter {
            requireNonNegative(bodyBytes);
            requireNonNull(stall, "stall is null");
        }
    }

    record Drip(int bytes, Duration pause) implements Fault {
        Drip {
            if (bytes < 1) {
                throw new IllegalArgumentException("drip at least one byte: " + bytes);
            }
            requireNonNull(pause, "pause is null");
        }
    }

    record Status(int status, Optional<Duration> retryAfter) implements Fault {
        Status {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("not an error status: " + status);
            }
            requireNonNull(retryAfter, "retryAfter is null");
        }
    }

    record FlipBit(Side side, long offset, int bit) implements Fault {
        FlipBit {
            requireNonNegative(offset);
            if (bit < 0 || bit > 7) {
                throw new IllegalArgumentException("bit must be 0-7: " + bit);
            }
        }
    }

    record WithholdContinue() implements Fault {}

    private static void requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative byte count " + value);
        }
    }

    /**
     * A rule: which requests it matches, what it does, and how often. Returned by {@link #inject}; tells how
     * many times it applied.
     */
    public static final class Rule {
        private final Predicate<Request> match;
        private final Fault fault;
        private final long skip;
        private final long times;
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong applied = new AtomicLong();

        private Rule(Predicate<Request> match, Fault fault, long skip, long times) {
            this.match = match;
            this.fault = fault;
            this.skip = skip;
            this.times = times;
        }

        /** How many requests this rule has faulted. */
        public long applied() {
            return applied.get();
        }

        public Fault fault() {
            return fault;
        }

        /** Claims one use for a matching request: true when the fault applies to it. */
        private boolean claims(Request request) {
            if (!match.test(request)) {
                return false;
            }
            long index = seen.getAndIncrement();
            if (index < skip || index - skip >= times) {
                return false;
            }
            applied.incrementAndGet();
            return true;
        }
    }

    /** Requests matching an operation, optionally only those whose target contains some text. */
    public static Predicate<Request> on(Operation operation) {
        requireNonNull(operation, "operation is null");
        return request -> request.operation() == operation;
    }

    /** Requests of {@code operation} whose target ({@code /bucket/key?query}) contains {@code text}. */
    public static Predicate<Request> on(Operation operation, String text) {
        requireNonNull(text, "text is null");
        return on(operation).and(request -> request.target().contains(text));
    }

    private final InetSocketAddress target;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<Operation, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong expectContinue = new AtomicLong();
    private final List<Request> log = new CopyOnWriteArrayList<>();

    private FaultProxy(InetSocketAddress target) throws IOException {
        this(target, new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
    }

    private FaultProxy(InetSocketAddress target, ServerSocket listener) {
        super(listener, (InetSocketAddress) listener.getLocalSocketAddress(), "s3dlio-fault-proxy-");
        this.target = target;
        listen(listener::accept, this::serve);
    }

    /** Starts a proxy to {@code targetHost:targetPort}, listening on a free loopback port, with no rules. */
    public static FaultProxy start(String targetHost, int targetPort) throws IOException {
        requireNonNull(targetHost, "targetHost is null");
        if (targetPort <= 0 || targetPort > 65535) {
            throw new IllegalArgumentException("bad target port " + targetPort);
        }
        return new FaultProxy(new InetSocketAddress(targetHost, targetPort));
    }

    /** Starts a proxy in front of {@code endpoint} ({@code http://host:port[/...]}). */
    public static FaultProxy startFor(String endpoint) throws IOException {
        java.net.URI uri = java.net.URI.create(requireNonNull(endpoint, "endpoint is null"));
        return start(uri.getHost(), uri.getPort());
    }

    /** Applies {@code fault} to every request that {@code match}es. */
    public Rule always(Predicate<Request> match, Fault fault) {
        return inject(match, fault, 0, Long.MAX_VALUE);
    }

    /** Applies {@code fault} to the first {@code times} requests that {@code match}. */
    public Rule first(long times, Predicate<Request> match, Fault fault) {
        return inject(match, fault, 0, times);
    }

    /**
     * Applies {@code fault} to {@code times} matching requests after letting the first {@code skip} pass.
     */
    public Rule inject(Predicate<Request> match, Fault fault, long skip, long times) {
        requireNonNull(match, "match is null");
        requireNonNull(fault, "fault is null");
        if (skip < 0 || times < 1) {
            throw new IllegalArgumentException("skip must be >= 0 and times >= 1: " + skip + ", " + times);
        }
        Rule rule = new Rule(match, fault, skip, times);
        rules.add(rule);
        return rule;
    }

    /** Removes every rule; requests pass untouched from now on. */
    public void clearRules() {
        rules.clear();
    }

    /** Requests seen per operation. */
    public Map<Operation, Long> counts() {
        Map<Operation, Long> result = new TreeMap<>();
        counts.forEach((operation, count) -> result.put(operation, count.get()));
        return result;
    }

    /** Requests of {@code operation} seen so far. */
    public long count(Operation operation) {
        AtomicLong count = counts.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Requests of {@code operation} whose target contains {@code text} (one object's requests, say). */
    public long count(Operation operation, String text) {
        requireNonNull(text, "text is null");
        return log.stream().filter(request -> request.operation() == operation && request.target().contains(text)).count();
    }

    /** Every request seen so far, in order of arrival. */
    public List<Request> requests() {
        return List.copyOf(log);
    }

    /** Requests that carried {@code Expect: 100-continue}. */
    public long expectContinueCount() {
        return expectContinue.get();
    }

    /** Sets the counters and the request log back to zero (rules keep their own counts). */
    public void resetCounts() {
        counts.clear();
        log.clear();
        expectContinue.set(0);
    }

    private void serve(Socket client) {
        Socket server = new Socket();
        track(server);
        try (client; server) {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target);
            InputStream fromClient = new BufferedInputStream(client.getInputStream(), BUFFER);
            OutputStream toClient = client.getOutputStream();
            InputStream fromServer = new BufferedInputStream(server.getInputStream(), BUFFER);
            OutputStream toServer = server.getOutputStream();
            while (!closed()) {
                Head request = Head.read(fromClient);
                if (request == null) {
                    return; // the client closed between requests
                }
                if (!exchange(request, client, fromClient, toClient, fromServer, toServer)) {
                    return;
                }
            }
        } catch (IOException e) {
            // A reset or close on either side ends the connection; the client sees what it would see.
        } finally {
            release(client);
            release(server);
        }
    }

    /** One request and its response; false when the connection is to end. */
    private boolean exchange(Head head, Socket client, InputStream fromClient, OutputStream toClient,
            InputStream fromServer, OutputStream toServer) throws IOException {
        String[] line = head.firstLine().split(" ", 3);
        if (line.length < 3) {
            return false;
        }
        String method = line[0];
        Operation operation = Operation.classify(method, line[1], head.headers());
        Request request = new Request(method, line[1], head.headers(), operation);
        counts.computeIfAbsent(operation, key -> new AtomicLong()).incrementAndGet();
        log.add(request);
        Fault fault = null;
        for (Rule rule : rules) {
            if (rule.claims(request)) {
                fault = rule.fault();
                break;
            }
        }
        boolean expects = "100-continue".equalsIgnoreCase(head.header("expect"));
        if (expects) {
            expectContinue.incrementAndGet();
            if (!(fault instanceof WithholdContinue)) {
                toClient.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                toClient.flush();
            }
        }
        if (fault instanceof Status status) {
            copyBody(head, fromClient, OutputStream.nullOutputStream(), null);
            writeError(toClient, status);
            return true;
        }
        toServer.write(head.bytesWithout("expect"));
        copyBody(head, fromClient, toServer, fault instanceof FlipBit flip && flip.side() == Side.REQUEST ? flip : null);
        toServer.flush();
        Head response;
        do {
            response = Head.read(fromServer);
            if (response == null) {
                return false;
            }
        } while (response.status() >= 100 && response.status() < 200); // no Expect was forwarded; just in case
        if (fault instanceof StallBeforeHeaders stall) {
            if (!sleep(stall.stall())) {
                return false;
            }
        }
        toClient.write(response.bytes());
        toClient.flush();
        boolean noBody = method.equals("HEAD") || response.status() == 204 || response.status() == 304;
        if (noBody) {
            return true;
        }
        return copyResponseBody(response, fromServer, toClient, client, fault);
    }

    /** Copies a request body (by its framing) from client to server, flipping a bit if asked. */
    private void copyBody(Head head, InputStream in, OutputStream out, FlipBit flip) throws IOException {
        Framing framing = head.framing(false);
        BodyCursor cursor = new BodyCursor(out, flip);
        switch (framing.kind()) {
            case LENGTH -> cursor.copy(in, framing.length());
            case CHUNKED -> cursor.copyChunked(in);
            default -> { } // a request without a length has no body
        }
        out.flush();
    }

    /** Copies a response body applying the body faults; false when the connection is to end. */
    private boolean copyResponseBody(Head response, InputStream in, OutputStream out, Socket client, Fault fault)
            throws IOException {
        Framing framing = response.framing(true);
        BodyCursor cursor = new BodyCursor(out, fault instanceof FlipBit flip && flip.side() == Side.RESPONSE ? flip : null);
        switch (fault) {
            case ResetAfter reset -> {
                cursor.copyUpTo(in, reset.bodyBytes(), framing);
                out.flush();
                sleep(Duration.ofMillis(20)); // let the bytes leave before the reset discards the send buffer
                client.setSoLinger(true, 0); // close() now sends RST
                return false;
            }
            case TruncateAfter truncate -> {
                cursor.copyUpTo(in, truncate.bodyBytes(), framing);
                out.flush();
                client.shutdownOutput();
                return false;
            }
            case StallAfter stall -> {
                cursor.copyUpTo(in, stall.bodyBytes(), framing);
                out.flush();
                if (!sleep(stall.stall())) {
                    return false;
                }
            }
            case Drip drip -> cursor.drip = drip;
            case null, default -> { }
        }
        switch (framing.kind()) {
            case LENGTH -> cursor.copy(in, framing.length() - cursor.position);
            case CHUNKED -> cursor.copyChunked(in);
            case UNTIL_CLOSE -> {
                cursor.copy(in, Long.MAX_VALUE);
                out.flush();
                return false;
            }
            case NONE -> { }
        }
        out.flush();
        return true;
    }

    /** Copies body bytes, counting the offset, flipping one bit and dripping where asked. */
    private final class BodyCursor {
        private final OutputStream out;
        private final FlipBit flip;
        private final byte[] buffer = new byte[BUFFER];
        private long position;
        private Drip drip;

        BodyCursor(OutputStream out, FlipBit flip) {
            this.out = out;
            this.flip = flip;
        }

        /** Copies up to {@code limit} bytes of a body of any framing (raw bytes for chunked). */
        void copyUpTo(InputStream in, long limit, Framing framing) throws IOException {
            long available = framing.kind() == Framing.Kind.LENGTH ? framing.length() : Long.MAX_VALUE;
            copy(in, Math.min(limit, available));
        }

        /** Copies exactly {@code count} bytes (or to the end of the stream when {@code count} is MAX_VALUE). */
        void copy(InputStream in, long count) throws IOException {
            long left = count;
            while (left > 0) {
                int want = (int) Math.min(left, drip != null ? drip.bytes() : buffer.length);
                int n = in.read(buffer, 0, want);
                if (n < 0) {
                    if (count == Long.MAX_VALUE) {
                        return;
                    }
                    throw new EOFException("body ended early");
                }
                write(buffer, 0, n);
                left -= n;
            }
        }

        void copyChunked(InputStream in) throws IOException {
            while (true) {
                String sizeLine = readLine(in);
                writeRaw((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
                int semi = sizeLine.indexOf(';');
                long size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                if (size == 0) {
                    String trailer;
                    do {
                        trailer = readLine(in);
                        writeRaw((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    } while (!trailer.isEmpty());
                    return;
                }
                copy(in, size);
                String end = readLine(in);
                writeRaw((end + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
        }

        private void writeRaw(byte[] bytes) throws IOException {
            write(bytes, 0, bytes.length);
        }

        private void write(byte[] bytes, int offset, int length) throws IOException {
            if (flip != null && flip.offset() >= position && flip.offset() < position + length) {
                int at = offset + (int) (flip.offset() - position);
                bytes[at] = (byte) (bytes[at] ^ (1 << flip.bit()));
            }
            out.write(bytes, offset, length);
            position += length;
            if (drip != null) {
                out.flush();
                if (!sleep(drip.pause())) {
                    throw new IOException("proxy closed");
                }
            }
        }
    }

    private void writeError(OutputStream out, Status status) throws IOException {
        String code = status.status() == 503 ? "SlowDown" : status.status() == 500 ? "InternalError" : "InjectedFault";
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code
                + "</Code><Message>injected by FaultProxy</Message></Error>").getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status.status()).append(' ')
                .append(status.status() == 503 ? "Service Unavailable" : status.status() == 500 ? "Internal Server Error" : "Error")
                .append("\r\nContent-Type: application/xml\r\nContent-Length: ").append(body.length).append("\r\n");
        status.retryAfter().ifPresent(after -> head.append("Retry-After: ").append(after.toSeconds()).append("\r\n"));
        head.append("x-ms-error-code: ").append(code).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Sleeps; false when the proxy is closing (the stall ends with the connection). */
    private boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return !closed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** How a message body is delimited. */
    private record Framing(Kind kind, long length) {
        enum Kind { NONE, LENGTH, CHUNKED, UNTIL_CLOSE }
    }

    /** A request or response head: the first line and the headers, with the exact bytes received. */
    private record Head(String firstLine, List<String[]> fields, Map<String, String> headers) {
        static Head read(InputStream in) throws IOException {
            String first;
            do {
                first = readLineOrNull(in);
                if (first == null) {
                    return null;
                }
            } while (first.isEmpty()); // tolerate stray CRLF between messages
            List<String[]> fields = new ArrayList<>();
            Map<String, String> headers = new TreeMap<>();
            int total = first.length();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                total += line.length();
                if (total > MAX_HEAD) {
                    throw new IOException("head too large");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                String value = line.substring(colon + 1).trim();
                fields.add(new String[] {name, value});
                headers.put(name.toLowerCase(Locale.ROOT), value);
            }
            return new Head(first, fields, headers);
        }

        String header(String lowerCaseName) {
            return headers.get(lowerCaseName);
        }

        int status() {
            String[] parts = firstLine.split(" ", 3);
            return parts.length >= 2 ? Integer.parseInt(parts[1]) : 0;
        }

        Framing framing(boolean response) {
            String encoding = header("transfer-encoding");
            if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
                return new Framing(Framing.Kind.CHUNKED, -1);
            }
            String length = header("content-length");
            if (length != null) {
                return new Framing(Framing.Kind.LENGTH, Long.parseLong(length));
            }
            return response ? new Framing(Framing.Kind.UNTIL_CLOSE, -1) : new Framing(Framing.Kind.NONE, 0);
        }

        byte[] bytes() {
            return bytesWithout("");
        }

        byte[] bytesWithout(String lowerCaseName) {
            StringBuilder text = new StringBuilder(firstLine).append("\r\n");
            for (String[] field : fields) {
                if (!field[0].toLowerCase(Locale.ROOT).equals(lowerCaseName)) {
                    text.append(field[0]).append(": ").append(field[1]).append("\r\n");
                }
            }
            return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        String line = readLineOrNull(in);
        if (line == null) {
            throw new EOFException("connection ended inside a head");
        }
        return line;
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, or null at the end of the stream before any byte. */
    private static String readLineOrNull(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > MAX_HEAD) {
                throw new IOException("line too long");
            }
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("connection ended inside a line");
    }

    @Override
    public String toString() {
        return "FaultProxy[" + endpoint() + " -> " + target + ", " + rules.size() + " rules]";
    }
}
