package io.s3dlio.oplog;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads op-log files: this project's, MinIO warp's ({@code warp ... --benchdata}) and the original s3dlio's
 * ({@code idx thread op client_id n_objects bytes endpoint file error start first_byte end duration_ns}).
 * Columns are found by their header names, so missing or extra columns are fine; zstd or plain text is told
 * from the first bytes; quoting follows Go's encoding/csv (which warp writes and reads); {@code #} lines are
 * comments. Malformed lines fail with the file and line number.
 */
public final class OpLogReader {
    private static final byte[] ZSTD_MAGIC = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};

    private OpLogReader() {}

    /** Every line of {@code path}, lazily; close the stream. */
    public static Stream<OpRecord> read(Path path) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            raw.mark(4);
            byte[] magic = raw.readNBytes(4);
            raw.reset();
            InputStream in = java.util.Arrays.equals(magic, ZSTD_MAGIC) ? new ZstdInputStream(raw) : raw;
            Lines lines = new Lines(path, new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16));
            return StreamSupport.stream(lines, false).onClose(lines::close);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Every line of {@code path}, in file order. */
    public static List<OpRecord> readAll(Path path) throws IOException {
        try (Stream<OpRecord> records = read(path)) {
            return records.toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The records of one file, parsed one at a time as the stream pulls them. */
    private static final class Lines extends Spliterators.AbstractSpliterator<OpRecord> {
        private final Path path;
        private final Reader reader;
        private Map<String, Integer> columns;
        private long line;
        private long records;

        Lines(Path path, Reader reader) {
            super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
            this.path = path;
            this.reader = reader;
        }

        void close() {
            try {
                reader.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean tryAdvance(Consumer<? super OpRecord> action) {
            OpRecord record;
            try {
                record = advance();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read op log " + path + " at line " + line + ": "
                        + e.getMessage(), e);
            }
            if (record == null) {
                return false;
            }
            action.accept(record);
            return true;
        }

        private OpRecord advance() throws IOException {
            while (true) {
                List<String> fields = record();
                if (fields == null) {
                    if (columns == null) {
                        throw new IOException("op log " + path + " is empty: no header line");
                    }
                    return null;
                }
                if (fields.size() == 1 && fields.getFirst().isEmpty()) {
                    continue;
                }
                if (columns == null) {
                    columns = new HashMap<>();
                    for (int i = 0; i < fields.size(); i++) {
                        columns.put(fields.get(i).trim().toLowerCase(Locale.ROOT), i);
                    }
                    if (!columns.containsKey("op") && !columns.containsKey("operation")) {
                        throw new IOException("op log " + path + " has no 'op' column in its header: " + fields);
                    }
                    continue;
                }
                try {
                    return parse(fields);
                } catch (RuntimeException e) {
                    throw new IOException("op log " + path + " line " + line + " is malformed: " + e.getMessage(), e);
                }
            }
        }

        private OpRecord parse(List<String> fields) {
            long index = number(fields, "idx").orElse(records);
            records++;
            String op = text(fields, "op").or(() -> text(fields, "operation"))
                    .orElseThrow(() -> new IllegalArgumentException("no op"));
            long start = text(fields, "start").or(() -> text(fields, "t_start")).map(OpLogFormat::parseTimestamp)
                    .orElseThrow(() -> new IllegalArgumentException("no start time"));
            OptionalLong duration = number(fields, "duration_ns");
            Optional<String> endText = text(fields, "end");
            long end;
            if (endText.isPresent()) {
                end = OpLogFormat.parseTimestamp(endText.get());
            } else if (duration.isPresent()) {
                end = start + duration.getAsLong();
            } else {
                end = start;
            }
            OptionalLong firstByte = text(fields, "first_byte").map(t -> OptionalLong.of(OpLogFormat.parseTimestamp(t)))
                    .orElse(OptionalLong.empty());
            return new OpRecord(index, number(fields, "thread").orElse(0), op, text(fields, "client_id").orElse(""),
                    number(fields, "n_objects").orElse(1), number(fields, "bytes").orElse(0),
                    text(fields, "endpoint").orElse(""), text(fields, "file").orElse(""), text(fields, "error"),
                    start, firstByte, end);
        }

        private Optional<String> text(List<String> fields, String name) {
            Integer column = columns.get(name);
            if (column == null || column >= fields.size() || fields.get(column).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(fields.get(column));
        }

        private OptionalLong number(List<String> fields, String name) {
            Optional<String> value = text(fields, name);
            if (value.isEmpty()) {
                return OptionalLong.empty();
            }
            try {
                // The original s3dlio writes thread ids as unsigned 64-bit hashes.
                return OptionalLong.of(Long.parseUnsignedLong(value.get().trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + value.get() + "' is not a whole number", e);
            }
        }

        /** One tab-separated record with Go encoding/csv quoting; null at the end of the file. */
        private List<String> record() throws IOException {
            int c = reader.read();
            while (c == '#' || c == '\r') {
                // A comment (or a stray CR) runs to the end of the line.
                line++;
                while (c != -1 && c != '\n') {
                    c = reader.read();
                }
                if (c == -1) {
                    return null;
                }
                c = reader.read();
            }
            if (c == -1) {
                return null;
            }
            line++;
            List<String> fields = new ArrayList<>(16);
            StringBuilder field = new StringBuilder(64);
            while (true) {
                if (c == '"' && field.isEmpty()) {
                    // Quoted field: "" is a quote; tabs and newlines inside are data.
                    while (true) {
                        c = reader.read();
                        if (c == -1) {
                            throw new IOException("unterminated quoted field");
                        }
                        if (c == '"') {
                            c = reader.read();
                            if (c != '"') {
                                break;
                            }
                        }
                        if (c == '\n') {
                            line++;
                        }
                        field.append((char) c);
                    }
                    continue;
                }
                if (c == '\t') {
                    fields.add(field.toString());
                    field.setLength(0);
                } else if (c == '\n' || c == -1) {
                    int length = field.length();
                    if (length > 0 && field.charAt(length - 1) == '\r') {
                        field.setLength(length - 1);
                    }
                    fields.add(field.toString());
                    return fields;
                } else {
                    field.append((char) c);
                }
                c = reader.read();
            }
        }
    }
}
