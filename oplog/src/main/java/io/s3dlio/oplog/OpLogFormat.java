package io.s3dlio.oplog;

import io.s3dlio.api.Location;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * The file format: MinIO warp's operation file ({@code pkg/bench/ops.go}, {@code Operations.CSV}): a header
 * line, then one tab-separated line per operation with the columns of {@link #HEADER}; timestamps in RFC 3339
 * with nanoseconds, UTC; empty first/last byte when unknown; text fields quoted as warp's
 * {@code csvEscapeString} quotes them; {@code # } comment lines at the end; zstd-compressed as
 * {@code .csv.zst}. The original s3dlio writes the same columns without {@code last_byte} and {@code cat}.
 */
final class OpLogFormat {
    static final String[] COLUMNS = {"idx", "thread", "op", "client_id", "n_objects", "bytes", "endpoint", "file",
        "error", "start", "first_byte", "last_byte", "end", "duration_ns", "cat"};
    static final String HEADER = String.join("\t", COLUMNS) + "\n";

    private OpLogFormat() {}

    /**
     * The endpoint column, as the original s3dlio fills it: {@code s3://bucket}, {@code az://account/container},
     * {@code file://}. Built from the location only, so no endpoint URL or credential can reach it.
     */
    static String endpoint(Location location) {
        if (location.isLocal()) {
            return location.scheme() + "://";
        }
        StringBuilder out = new StringBuilder(location.scheme()).append("://");
        if (!location.account().isEmpty()) {
            out.append(location.account());
            if (!location.container().isEmpty()) {
                out.append('/');
            }
        }
        return out.append(location.container()).toString();
    }

    /** The file column, as the original s3dlio fills it: the URI as typed, without {@code scheme://}. */
    static String file(Location location) {
        String uri = location.toString();
        int separator = uri.indexOf("://");
        return separator < 0 ? uri : uri.substring(separator + 3);
    }

    static long parseTimestamp(String text) {
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 timestamp: '" + text + "'", e);
        }
    }

    /** warp's csvEscapeString: quote a field holding a tab, quote, CR or LF, or starting with a space. */
    static void field(StringBuilder out, String text) {
        boolean quote = !text.isEmpty() && (text.equals("\\.") || Character.isWhitespace(text.charAt(0))
                || text.indexOf('\t') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0
                || text.indexOf('\n') >= 0);
        if (!quote) {
            out.append(text);
            return;
        }
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** {@code text} as one field: quoted as warp's csvEscapeString quotes it, UTF-8. */
    static byte[] fieldBytes(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2);
        field(out, text);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Formats operations as lines straight into bytes, for one writer thread (not thread-safe). Why not text:
     * formatting through a StringBuilder, then a String, then UTF-8 bytes cost about 2 us a line, more than the
     * compression, and at tens of thousands of operations a second on two cores that was most of the op log's
     * overhead. Here a line is copies of cached bytes (the op type, the client id, the bucket's endpoint column,
     * the date and time of the current second), the key's chars and digits written in place.
     */
    static final class Encoder {
        private static final java.util.Map<OpType, byte[]> TYPES = new java.util.EnumMap<>(OpType.class);

        static {
            for (OpType type : OpType.values()) {
                TYPES.put(type, type.name().getBytes(StandardCharsets.US_ASCII));
            }
        }

        private final byte[] clientId;
        private String endpointScheme;
        private String endpointAccount;
        private String endpointContainer;
        private byte[] endpointBytes;
        private long second = Long.MIN_VALUE;
        private final byte[] secondText = new byte[20]; // "2026-12-01T21:57:23."
        private byte[] buffer = new byte[1 << 16];
        private int size;
        private long lines;

        Encoder(String clientId) {
            this.clientId = fieldBytes(clientId);
        }

        /** Lines encoded since the last {@link #reset()}. */
        long lines() {
            return lines;
        }

        byte[] buffer() {
            return buffer;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
            lines = 0;
        }

        /** Appends the line for {@code operation}, numbered {@code index}. */
        void line(long index, Operation operation) {
            number(index);
            tab();
            // warp reads the thread as a 16-bit number; thread ids are sequential, so the low bits stay unique
            // among the threads of one run.
            number(operation.threadId() & 0xFFFF);
            tab();
            bytes(TYPES.get(operation.type()));
            tab();
            bytes(clientId);
            tab();
            number(operation.objects());
            tab();
            number(operation.bytes());
            tab();
            columns(operation.location());
            tab();
            if (operation.error().isPresent()) {
                bytes(fieldBytes(operation.error().get()));
            }
            tab();
            timestamp(operation.startNanos());
            tab();
            OptionalLong firstByte = operation.firstByteNanos();
            if (firstByte.isPresent()) {
                timestamp(firstByte.getAsLong());
            }
            tab();
            if (firstByte.isPresent() && !operation.failed() && operation.bytes() > 0) {
                timestamp(operation.endNanos());
            }
            tab();
            timestamp(operation.endNanos());
            tab();
            number(operation.durationNanos());
            ensure(3);
            buffer[size++] = '\t';
            buffer[size++] = '0';
            buffer[size++] = '\n';
            lines++;
        }

        /** The endpoint and file columns of {@code location}, with the tab between them. */
        private void columns(Location location) {
            // Consecutive operations nearly always share a bucket: its endpoint column is kept as bytes.
            if (!location.container().equals(endpointContainer) || !location.account().equals(endpointAccount)
                    || !location.scheme().equals(endpointScheme)) {
                endpointScheme = location.scheme();
                endpointAccount = location.account();
                endpointContainer = location.container();
                endpointBytes = fieldBytes(endpoint(location));
            }
            bytes(endpointBytes);
            tab();
            String uri = location.toString();
            int separator = uri.indexOf("://");
            int from = separator < 0 ? 0 : separator + 3;
            // Plain ASCII needing no quotes (almost every key) is copied char by char; anything else goes the long way.
            boolean plain = from == uri.length() || (uri.charAt(from) != ' ' && uri.charAt(from) > ' ');
            for (int i = from; plain && i < uri.length(); i++) {
                char c = uri.charAt(i);
                plain = c >= ' ' && c < 0x7F && c != '"';
            }
            if (!plain || (uri.length() - from == 2 && uri.startsWith("\\.", from))) {
                bytes(fieldBytes(uri.substring(from)));
                return;
            }
            ensure(uri.length() - from);
            for (int i = from; i < uri.length(); i++) {
                buffer[size++] = (byte) uri.charAt(i);
            }
        }

        /** RFC 3339 in UTC with nine fraction digits (Go's time.RFC3339Nano parses any count). */
        private void timestamp(long epochNanos) {
            long s = Math.floorDiv(epochNanos, 1_000_000_000L);
            int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
            if (s != second) {
                // ISO_LOCAL_DATE_TIME prints no fraction for a whole second: "2026-12-01T21:57:23"
                String text = java.time.LocalDateTime.ofEpochSecond(s, 0, java.time.ZoneOffset.UTC)
                        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME) + ".";
                if (text.length() != secondText.length) {
                    throw new IllegalArgumentException("a time outside years 0000-9999 cannot be logged: " + text);
                }
                for (int i = 0; i < secondText.length; i++) {
                    secondText[i] = (byte) text.charAt(i); // ASCII digits and separators only
                }
                second = s;
            }
            ensure(secondText.length + 10);
            System.arraycopy(secondText, 0, buffer, size, secondText.length);
            size += secondText.length;
            for (int i = 8; i >= 0; i--) {
                buffer[size + i] = (byte) ('0' + nanos % 10);
                nanos /= 10;
            }
            size += 9;
            buffer[size++] = 'Z';
        }

        private void number(long value) {
            ensure(20);
            if (value < 0) {
                buffer[size++] = '-';
                if (value == Long.MIN_VALUE) {
                    bytes("9223372036854775808".getBytes(StandardCharsets.US_ASCII));
                    return;
                }
                value = -value;
            }
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            for (int i = digits - 1; i >= 0; i--) {
                buffer[size + i] = (byte) ('0' + value % 10);
                value /= 10;
            }
            size += digits;
        }

        private void tab() {
            ensure(1);
            buffer[size++] = '\t';
        }

        private void bytes(byte[] data) {
            ensure(data.length);
            System.arraycopy(data, 0, buffer, size, data.length);
            size += data.length;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
