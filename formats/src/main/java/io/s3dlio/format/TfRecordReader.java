package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a TFRecord object front to back through range reads of a bounded window (never the whole file at once),
 * checking both CRC-32Cs of every record; a corrupt or truncated record is a {@link TfRecordFormatException}
 * naming the URI and the record's offset. Records larger than the window are read with one range read each.
 * Not thread-safe.
 */
public final class TfRecordReader {
    /** Default window: a few records of typical sizes per request, a bounded amount of memory. */
    public static final int DEFAULT_WINDOW = 8 * 1024 * 1024;

    /** One record: where it starts in the file (its framing) and its data (a read-only view; no copy). */
    public record TfRecord(long offset, ObjectBytes data) {
        public TfRecord {
            requireNonNull(data, "data is null");
        }

        /** Bytes the record takes in the file, framing included. */
        public long framedSize() {
            return data.size() + (long) TfRecords.OVERHEAD;
        }
    }

    private final ObjectStore store;
    private final Location location;
    private final String source;
    private final long fileSize;
    private final int window;
    private ObjectBytes buffered = ObjectBytes.empty();
    private long bufferedStart;
    private long position;
    private long requests;

    private TfRecordReader(ObjectStore store, Location location, long fileSize, int window) {
        this.store = store;
        this.location = location;
        this.source = location.toString();
        this.fileSize = fileSize;
        this.window = window;
    }

    /** A reader over {@code location} (one stat request for the size; reads start on the first {@link #next}). */
    public static TfRecordReader open(ObjectStore store, Location location) throws IOException {
        return open(store, location, DEFAULT_WINDOW);
    }

    /** As {@link #open(ObjectStore, Location)} with a window of {@code window} bytes per range read. */
    public static TfRecordReader open(ObjectStore store, Location location, int window) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(location, "location is null");
        if (window < TfRecords.HEADER) {
            throw new IllegalArgumentException("window must hold a record header (" + TfRecords.HEADER + " bytes): " + window);
        }
        return new TfRecordReader(store, location, store.stat(location).size(), window);
    }

    /** The next record with both CRCs checked, or empty at the end of the file. */
    public Optional<TfRecord> next() throws IOException {
        if (position >= fileSize) {
            return Optional.empty();
        }
        long offset = position;
        long length = nextLength(offset);
        long framed = length + TfRecords.OVERHEAD;
        ObjectBytes bytes = bytes(offset, framed);
        position = offset + framed;
        return Optional.of(new TfRecord(offset, TfRecords.decode(bytes, source, offset)));
    }

    /**
     * The offset and framed size of the next record, checking only the length's CRC: the data is skipped, and
     * when it is larger than the window it is never fetched (the next read starts at the next header).
     */
    Optional<TfRecordIndex.Entry> skip() throws IOException {
        if (position >= fileSize) {
            return Optional.empty();
        }
        long offset = position;
        long framed = nextLength(offset) + TfRecords.OVERHEAD;
        if (offset + framed > fileSize) {
            throw new TfRecordFormatException(source, offset, "record of " + framed + " bytes runs past the end of the file ("
                    + fileSize + " bytes)");
        }
        position = offset + framed;
        return Optional.of(new TfRecordIndex.Entry(offset, framed));
    }

    /** Range reads sent so far. */
    public long requests() {
        return requests;
    }

    private long nextLength(long offset) throws IOException {
        if (fileSize - offset < TfRecords.HEADER) {
            throw new TfRecordFormatException(source, offset, "truncated header: " + (fileSize - offset) + " bytes left");
        }
        return TfRecords.checkedLength(bytes(offset, TfRecords.HEADER), source, offset);
    }

    /** {@code [offset, offset + length)} from the window, refilling it (or reading just that range when it is larger). */
    private ObjectBytes bytes(long offset, long length) throws IOException {
        if (offset + length > fileSize) {
            throw new TfRecordFormatException(source, offset, "record of " + length + " bytes runs past the end of the file ("
                    + fileSize + " bytes)");
        }
        if (offset >= bufferedStart && offset + length <= bufferedStart + buffered.size()) {
            return buffered.slice((int) (offset - bufferedStart), (int) length);
        }
        long want = Math.min(Math.max(length, window), fileSize - offset);
        requests++;
        ObjectBytes read = store.getRange(location, offset, OptionalLong.of(want));
        if (read.size() < length) {
            throw new TfRecordFormatException(source, offset, "truncated: " + read.size() + " of " + length + " bytes read");
        }
        if (length >= window) {
            return read.slice(0, (int) length);
        }
        buffered = read;
        bufferedStart = offset;
        return read.slice(0, (int) length);
    }
}
