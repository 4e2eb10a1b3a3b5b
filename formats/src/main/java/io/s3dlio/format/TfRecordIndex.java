package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The index of a TFRecord file in NVIDIA DALI's text format: one line {@code offset size} per record, where
 * {@code offset} is where the record's framing starts and {@code size} is the whole framed record (data plus
 * {@value TfRecords#OVERHEAD} bytes), as DALI's {@code tfrecord2idx} writes it.
 */
public record TfRecordIndex(List<Entry> entries) {

    /** One record: start of its framing and framed size. The data is {@code [offset + 12, offset + size - 4)}. */
    public record Entry(long offset, long size) {
        public Entry {
            if (offset < 0 || size < TfRecords.OVERHEAD) {
                throw new IllegalArgumentException("bad TFRecord index entry: offset " + offset + ", size " + size);
            }
        }

        /** Offset of the record's data. */
        public long dataOffset() {
            return offset + TfRecords.HEADER;
        }

        /** Bytes of data. */
        public long dataLength() {
            return size - TfRecords.OVERHEAD;
        }
    }

    public TfRecordIndex {
        entries = List.copyOf(requireNonNull(entries, "entries is null"));
    }

    /** Number of records. */
    public int size() {
        return entries.size();
    }

    /** The index in DALI's text format (empty for a file without records). */
    public String toText() {
        StringBuilder text = new StringBuilder(entries.size() * 16);
        for (Entry entry : entries) {
            text.append(entry.offset).append(' ').append(entry.size).append('\n');
        }
        return text.toString();
    }

    /**
     * Parses DALI's text format; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming {@code source} and the line of a malformed entry
     */
    public static TfRecordIndex parse(String text, String source) {
        requireNonNull(text, "text is null");
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            try {
                if (fields.length != 2) {
                    throw new IllegalArgumentException("expected 'offset size'");
                }
                entries.add(new Entry(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": bad TFRecord index entry '" + line
                        + "': " + e.getMessage(), e);
            }
        }
        return new TfRecordIndex(entries);
    }

    /** Reads and parses an index object. */
    public static TfRecordIndex read(ObjectStore store, Location location) throws IOException {
        try {
            return parse(store.get(location).toUtf8String(), location.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Reads the index at {@code location} when it exists. */
    public static Optional<TfRecordIndex> readIfExists(ObjectStore store, Location location) throws IOException {
        return store.exists(location) ? Optional.of(read(store, location)) : Optional.empty();
    }

    /** Writes the index in DALI's text format. */
    public WriteResult write(ObjectStore store, Location location) throws IOException {
        return store.put(location, ByteBuffer.wrap(toText().getBytes(StandardCharsets.UTF_8)), WriteOptions.DEFAULT);
    }

    /**
     * Builds the index of a TFRecord object by walking its headers with range reads of a bounded window: record
     * data larger than the window is skipped, not fetched, and the whole file is never held at once. Each
     * length's CRC is checked (the data CRCs are not: {@link TfRecordReader} checks those).
     */
    public static TfRecordIndex build(ObjectStore store, Location location) throws IOException {
        return build(store, location, TfRecordReader.DEFAULT_WINDOW);
    }

    /** As {@link #build(ObjectStore, Location)} with a window of {@code window} bytes per range read. */
    public static TfRecordIndex build(ObjectStore store, Location location, int window) throws IOException {
        TfRecordReader reader = TfRecordReader.open(store, location, window);
        List<Entry> entries = new ArrayList<>();
        for (Optional<Entry> entry = reader.skip(); entry.isPresent(); entry = reader.skip()) {
            entries.add(entry.get());
        }
        return new TfRecordIndex(entries);
    }

    /**
     * The index of a TFRecord file held in memory ({@code bytes}), checking each length's CRC as
     * {@link #build(ObjectStore, Location)} does; nothing is copied.
     *
     * @throws TfRecordFormatException naming {@code source} and the offset of a corrupt or truncated record
     */
    public static TfRecordIndex of(ObjectBytes bytes, String source) throws TfRecordFormatException {
        requireNonNull(bytes, "bytes is null");
        List<Entry> entries = new ArrayList<>();
        long offset = 0;
        while (offset < bytes.size()) {
            if (bytes.size() - offset < TfRecords.HEADER) {
                throw new TfRecordFormatException(source, offset, "truncated header: " + (bytes.size() - offset) + " bytes left");
            }
            long framed = TfRecords.checkedLength(bytes.slice((int) offset, TfRecords.HEADER), source, offset)
                    + TfRecords.OVERHEAD;
            if (offset + framed > bytes.size()) {
                throw new TfRecordFormatException(source, offset, "record of " + framed
                        + " bytes runs past the end of the file (" + bytes.size() + " bytes)");
            }
            entries.add(new Entry(offset, framed));
            offset += framed;
        }
        return new TfRecordIndex(entries);
    }

    /** The conventional index location for {@code file}: the same key with {@code .idx} appended. */
    public static Location defaultLocation(Location file) {
        return file.withKey(file.key() + ".idx");
    }
}
