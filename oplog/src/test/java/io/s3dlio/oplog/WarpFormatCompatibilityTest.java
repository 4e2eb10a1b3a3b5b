package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our op-log files against what MinIO warp's reader accepts. No warp binary can be installed here (a Go program:
 * not in Debian, Maven or npm, and a Go build needs its module proxy), so this test carries a port of the reader
 * written from warp's source (github.com/minio/warp at d06f8e6, {@code pkg/bench/ops.go}
 * {@code StreamOperationsFromCSV}, over Go's {@code encoding/csv} with {@code Comma = '\t'},
 * {@code Comment = '#'}, strict quotes and the header's field count enforced), and checks that every line we
 * write parses under it and means what we recorded.
 */
class WarpFormatCompatibilityTest {
    @TempDir
    Path temp;

    private static final List<OpType> TYPES = List.of(OpType.values());

    /** The columns warp's reader looks up by name (a missing one silently reads column 0 in Go). */
    private static final List<String> REQUIRED = List.of("idx", "thread", "op", "client_id", "n_objects", "bytes",
            "endpoint", "file", "error", "start", "first_byte", "last_byte", "end", "duration_ns", "cat");

    @Test
    void everyLineWeWriteParsesUnderWarpsReaderAndMeansWhatWasRecorded() throws Exception {
        long base = LocalDateTime.of(2026, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
        List<Operation> operations = new ArrayList<>();
        String[] errors = {"", "IOException: plain", "tab\there", "quote \"q\" inside", "two\nlines", "cr\r\nlf",
            " leading space", "\\.", "ünïcödé ✓"};
        String[] keys = {"a", "dir/sub/key.bin", "with space", "quote\"in", "ünï/ключ", "#hash-first"};
        long t = base;
        for (int i = 0; i < 200; i++) {
            OpType type = TYPES.get(i % TYPES.size());
            String key = keys[i % keys.length] + "-" + i;
            Location location = i % 3 == 0 ? Location.parse("file:///tmp/warp test/" + key.replace("\"", ""))
                    : Location.parse("s3://bucket-" + (i % 2) + "/" + key.replace("\"", "%22"));
            String error = errors[i % errors.length];
            // A start just before a whole second, an end just after it; sub-microsecond digits kept.
            long start = t + (i % 7 == 0 ? 999_999_999L : i * 13L);
            long end = start + 1 + i * 1_001L;
            OptionalLong firstByte = i % 2 == 0 ? OptionalLong.of(start + 1) : OptionalLong.empty();
            operations.add(new Operation(type, location, i * 1000L, 1 + i % 3, start, firstByte, end, 1 + i % 70_000 + (i == 5 ? 70_000 : 0),
                    error.isEmpty() ? Optional.empty() : Optional.of(error)));
            t += 1_000_000_037L;
        }
        Path file = temp.resolve("compat.csv.zst");
        try (OpLogWriter writer = OpLogWriter.open(OpLogOptions.of(file).withClientId("client \"one\"\t1"))) {
            operations.forEach(writer::onOperation);
        }

        String text = OpLogTest.decompress(file);
        List<WarpOperation> parsed = WarpReader.read(text);
        assertThat(parsed).hasSize(operations.size());
        for (int i = 0; i < operations.size(); i++) {
            Operation op = operations.get(i);
            WarpOperation w = parsed.get(i);
            assertThat(w.opType()).isEqualTo(op.type().name());
            assertThat(w.size()).isEqualTo(op.bytes());
            assertThat(w.objPerOp()).isEqualTo(op.objects());
            assertThat(w.start()).isEqualTo(op.startNanos());
            assertThat(w.end()).isEqualTo(op.endNanos());
            assertThat(w.end() - w.start()).isEqualTo(op.durationNanos());
            assertThat(w.firstByte()).isEqualTo(op.firstByteNanos());
            // Go's csv reader reads every \r\n as \n, inside quoted fields too (so does warp on its own files).
            assertThat(w.err()).isEqualTo(op.error().orElse("").replace("\r\n", "\n"));
            assertThat(w.file()).isEqualTo(OpLogFormat.file(op.location()));
            assertThat(w.endpoint()).isEqualTo(OpLogFormat.endpoint(op.location()));
            assertThat(w.clientId()).isEqualTo("client \"one\"\t1");
            assertThat(w.thread()).isEqualTo(op.threadId() & 0xFFFF);
            assertThat(w.categories()).isZero();
        }
        // The same file through our own reader, for good measure.
        assertThat(OpLogReader.readAll(file)).hasSize(operations.size());
    }

    @Test
    void aFileWithWaitsNotedEndsInACommentWarpSkips() throws Exception {
        Path file = temp.resolve("noted.csv.zst");
        // A queue of one and four threads: the writer, lingering 2 ms after each short batch, makes them wait.
        OpLogWriter writer = OpLogWriter.open(OpLogOptions.of(file).withQueue(1, OpLogOptions.WhenFull.BLOCK));
        try (java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 4; t++) {
                threads.execute(() -> {
                    for (int i = 0; i < 250; i++) {
                        writer.onOperation(new Operation(OpType.GET, Location.parse("mem://b/k" + i), i, 1, i,
                                OptionalLong.empty(), i + 1, Thread.currentThread().threadId(), Optional.empty()));
                    }
                });
            }
        }
        writer.close();
        assertThat(writer.stats().waited()).as(writer.stats().toString()).isPositive();
        String text = OpLogTest.decompress(file);
        assertThat(text).contains("\n# s3dlio op log: 1000 operations logged, ");
        assertThat(WarpReader.read(text)).hasSize(1_000);
    }

    @Test
    void thePortRejectsWhatWarpRejects() {
        String header = String.join("\t", REQUIRED) + "\n";
        String good = "0\t1\tGET\t\t1\t5\ts3://b\tb/k\t\t2026-01-01T00:00:00.000000001Z\t\t\t2026-01-01T00:00:00.5Z\t1\t0\n";
        assertThat(WarpReader.read(header + good)).hasSize(1);
        assertThatThrownBy(() -> WarpReader.read(header + good.replace("\t0\n", "\n"))).hasMessageContaining("wrong number of fields");
        assertThatThrownBy(() -> WarpReader.read(header + good.replace("b/k", "b/\"k"))).hasMessageContaining("bare \"");
        assertThatThrownBy(() -> WarpReader.read(header + good.replace("\t1\tGET", "\t70000\tGET"))).hasMessageContaining("thread");
        assertThatThrownBy(() -> WarpReader.read(header + good.replace(".000000001Z", ".000000001"))).hasMessageContaining("time");
        assertThatThrownBy(() -> WarpReader.read(header.replace("\tlast_byte", "") + good)).hasMessageContaining("wrong number of fields");
        assertThatThrownBy(() -> WarpReader.read(header.replace("first_byte", "fb") + good)).hasMessageContaining("first_byte");
    }

    /** warp's {@code bench.Operation}, times in nanoseconds since the epoch. */
    record WarpOperation(String opType, int objPerOp, long start, OptionalLong firstByte, OptionalLong lastByte, long end,
            String err, long size, String file, long thread, String endpoint, String clientId, long categories) {}

    /** A port of warp's StreamOperationsFromCSV over Go's encoding/csv (strict: LazyQuotes false). */
    static final class WarpReader {
        private WarpReader() {}

        static List<WarpOperation> read(String text) {
            List<List<String>> records = GoCsv.readAll(text);
            if (records.isEmpty()) {
                throw new IllegalArgumentException("EOF");
            }
            Map<String, Integer> fieldIdx = new HashMap<>();
            List<String> header = records.getFirst();
            for (int i = 0; i < header.size(); i++) {
                fieldIdx.put(header.get(i), i);
            }
            // Go reads a missing map key as 0 (the idx column): that would misread silently, so demand them all.
            for (String name : REQUIRED) {
                if (!fieldIdx.containsKey(name)) {
                    throw new IllegalArgumentException("header lacks column " + name);
                }
            }
            List<WarpOperation> out = new ArrayList<>();
            for (List<String> values : records.subList(1, records.size())) {
                long start = goTime(values.get(fieldIdx.get("start")));
                String fb = values.get(fieldIdx.get("first_byte"));
                OptionalLong firstByte = fb.isEmpty() ? OptionalLong.empty() : OptionalLong.of(goTime(fb));
                String lb = values.get(fieldIdx.get("last_byte"));
                OptionalLong lastByte = lb.isEmpty() ? OptionalLong.empty() : OptionalLong.of(goTime(lb));
                long end = goTime(values.get(fieldIdx.get("end")));
                long size = parseInt(values.get(fieldIdx.get("bytes")), "bytes");
                long thread = parseUint(values.get(fieldIdx.get("thread")), 16, "thread");
                long objs = parseInt(values.get(fieldIdx.get("n_objects")), "n_objects");
                long cat = parseUint(values.get(fieldIdx.get("cat")), 64, "cat");
                out.add(new WarpOperation(values.get(fieldIdx.get("op")), (int) objs, start, firstByte, lastByte, end,
                        values.get(fieldIdx.get("error")), size, values.get(fieldIdx.get("file")), thread,
                        values.get(fieldIdx.get("endpoint")), values.get(fieldIdx.get("client_id")), cat));
            }
            return out;
        }

        /** strconv.ParseInt(s, 10, 64). */
        private static long parseInt(String s, String column) {
            if (!s.matches("[+-]?[0-9]+")) {
                throw new IllegalArgumentException(column + ": strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
            }
            return Long.parseLong(s);
        }

        /** strconv.ParseUint(s, 10, bits). */
        private static long parseUint(String s, int bits, String column) {
            if (!s.matches("[0-9]+")) {
                throw new IllegalArgumentException(column + ": strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
            }
            long value = Long.parseUnsignedLong(s);
            if (bits < 64 && value >= 1L << bits) {
                throw new IllegalArgumentException(column + ": strconv.ParseUint: parsing \"" + s + "\": value out of range");
            }
            return value;
        }

        private static final Pattern RFC3339 = Pattern.compile(
                "(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?(Z|([+-])(\\d{2}):(\\d{2}))");

        /** time.Parse(time.RFC3339Nano, s) (the format Go's RFC 3339 parser accepts), in epoch nanoseconds. */
        static long goTime(String s) {
            Matcher m = RFC3339.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException("parsing time \"" + s + "\" as RFC3339Nano: cannot parse");
            }
            int year = Integer.parseInt(m.group(1));
            int month = Integer.parseInt(m.group(2));
            int day = Integer.parseInt(m.group(3));
            int hour = Integer.parseInt(m.group(4));
            int minute = Integer.parseInt(m.group(5));
            int second = Integer.parseInt(m.group(6));
            if (month < 1 || month > 12 || day < 1 || day > LocalDate.of(year, month, 1).lengthOfMonth() || hour > 23
                    || minute > 59 || second > 59) {
                throw new IllegalArgumentException("parsing time \"" + s + "\": out of range");
            }
            String fraction = m.group(7) == null ? "" : m.group(7);
            if (fraction.length() > 9) {
                fraction = fraction.substring(0, 9); // Go truncates beyond nanoseconds
            }
            long nanos = fraction.isEmpty() ? 0 : Long.parseLong((fraction + "000000000").substring(0, 9));
            long offsetSeconds = 0;
            if (!m.group(8).equals("Z")) {
                offsetSeconds = (Integer.parseInt(m.group(10)) * 3600L + Integer.parseInt(m.group(11)) * 60L)
                        * (m.group(9).equals("-") ? -1 : 1);
            }
            long epochSecond = LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC)
                    - offsetSeconds;
            return epochSecond * 1_000_000_000L + nanos;
        }
    }

    /** Go's encoding/csv Reader.readRecord with Comma '\t', Comment '#', LazyQuotes false, FieldsPerRecord 0. */
    static final class GoCsv {
        private GoCsv() {}

        static List<List<String>> readAll(String text) {
            List<String> lines = new ArrayList<>();
            int from = 0;
            while (from < text.length()) {
                int nl = text.indexOf('\n', from);
                String line = nl < 0 ? text.substring(from) + "\n" : text.substring(from, nl + 1);
                // readLine: a trailing \r\n is read as \n.
                if (line.endsWith("\r\n")) {
                    line = line.substring(0, line.length() - 2) + "\n";
                }
                lines.add(line);
                from = nl < 0 ? text.length() : nl + 1;
            }
            List<List<String>> records = new ArrayList<>();
            int expected = -1;
            int index = 0;
            while (index < lines.size()) {
                String line = lines.get(index++);
                int lineNumber = index;
                if (line.startsWith("#") || line.equals("\n")) {
                    continue; // comment, empty line
                }
                List<String> record = new ArrayList<>();
                StringBuilder field = new StringBuilder();
                parse:
                while (true) {
                    if (line.isEmpty() || line.charAt(0) != '"') {
                        int i = line.indexOf('\t');
                        String value = i >= 0 ? line.substring(0, i) : line.substring(0, line.length() - (line.endsWith("\n") ? 1 : 0));
                        if (value.indexOf('"') >= 0) {
                            throw new IllegalArgumentException("line " + lineNumber + ": bare \" in non-quoted field");
                        }
                        record.add(value);
                        if (i >= 0) {
                            line = line.substring(i + 1);
                            continue;
                        }
                        break;
                    }
                    line = line.substring(1);
                    field.setLength(0);
                    while (true) {
                        int i = line.indexOf('"');
                        if (i >= 0) {
                            field.append(line, 0, i);
                            line = line.substring(i + 1);
                            if (line.startsWith("\"")) {
                                field.append('"');
                                line = line.substring(1);
                            } else if (line.startsWith("\t")) {
                                line = line.substring(1);
                                record.add(field.toString());
                                continue parse;
                            } else if (line.equals("\n") || line.isEmpty()) {
                                record.add(field.toString());
                                break parse;
                            } else {
                                throw new IllegalArgumentException("line " + lineNumber + ": extraneous or missing \" in quoted-field");
                            }
                        } else if (!line.isEmpty()) {
                            // The quoted field goes on over the next line.
                            field.append(line);
                            if (index >= lines.size()) {
                                throw new IllegalArgumentException("line " + lineNumber + ": extraneous or missing \" in quoted-field");
                            }
                            line = lines.get(index++);
                        } else {
                            throw new IllegalArgumentException("line " + lineNumber + ": extraneous or missing \" in quoted-field");
                        }
                    }
                }
                if (expected < 0) {
                    expected = record.size();
                } else if (record.size() != expected) {
                    throw new IllegalArgumentException("record on line " + lineNumber + ": wrong number of fields");
                }
                records.add(record);
            }
            return records;
        }
    }
}
