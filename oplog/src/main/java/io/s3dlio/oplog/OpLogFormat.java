package io.s3dlio.oplog;

import io.s3dlio.api.Location;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

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

    /** The file column, as the original s3dlio fills it: the URI without {@code scheme://}. */
    static String file(Location location) {
        String uri = location.toString();
        return uri.substring(location.scheme().length() + 3);
    }

    /**
     * Formats timestamps as RFC 3339 in UTC with nine fraction digits (Go's time.RFC3339Nano parses any count),
     * keeping the date and time of the last second seen: lines come in time order, so almost every timestamp
     * is a copy plus nine digits. One per writer thread (not thread-safe).
     */
    static final class Timestamps {
        private long second = Long.MIN_VALUE;
        private String prefix = "";

        void append(StringBuilder out, long epochNanos) {
            long s = Math.floorDiv(epochNanos, 1_000_000_000L);
            int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
            if (s != second) {
                second = s;
                // "2026-12-01T21:57:23" (ISO_LOCAL_DATE_TIME prints no fraction for a whole second)
                prefix = java.time.LocalDateTime.ofEpochSecond(s, 0, java.time.ZoneOffset.UTC)
                        .format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
            }
            out.append(prefix).append('.');
            for (int divisor = 100_000_000; divisor > 0; divisor /= 10) {
                out.append((char) ('0' + nanos / divisor % 10));
            }
            out.append('Z');
        }
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

    /** One line for {@code operation}, numbered {@code index}. */
    static void line(StringBuilder out, Timestamps timestamps, long index, Operation operation, String clientId) {
        out.append(index).append('\t')
                // warp reads the thread as a 16-bit number; thread ids are sequential, so the low bits stay unique
                // among the threads of one run.
                .append(operation.threadId() & 0xFFFF).append('\t')
                .append(operation.type().name()).append('\t');
        field(out, clientId);
        out.append('\t').append(operation.objects()).append('\t').append(operation.bytes()).append('\t');
        field(out, endpoint(operation.location()));
        out.append('\t');
        field(out, file(operation.location()));
        out.append('\t');
        field(out, operation.error().orElse(""));
        out.append('\t');
        timestamps.append(out, operation.startNanos());
        out.append('\t');
        if (operation.firstByteNanos().isPresent()) {
            timestamps.append(out, operation.firstByteNanos().getAsLong());
        }
        out.append('\t');
        if (operation.firstByteNanos().isPresent() && !operation.failed() && operation.bytes() > 0) {
            timestamps.append(out, operation.endNanos());
        }
        out.append('\t');
        timestamps.append(out, operation.endNanos());
        out.append('\t').append(operation.durationNanos()).append("\t0\n");
    }
}
