package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Streams a TFRecord file to any store, record after record, in bounded memory (one chunk), keeping each
 * record's offset and size so that the DALI index comes for free ({@link #index()}).
 *
 * <p>Lifecycle as {@link ObjectWriter}: {@link #write} any number of times, then {@link #finish};
 * {@link #close()} without finish leaves nothing behind. Not thread-safe.
 */
public final class TfRecordWriter implements AutoCloseable {
    private final ObjectWriter out;
    private final List<TfRecordIndex.Entry> entries = new ArrayList<>();
    private ByteBuffer chunk;

    private TfRecordWriter(ObjectWriter out) {
        this.out = out;
    }

    /** Opens a writer; no request is sent until data is. */
    public static TfRecordWriter open(ObjectStore store, Location location, WriteOptions options) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(location, "location is null");
        requireNonNull(options, "options is null");
        return new TfRecordWriter(store.newWriter(location, options));
    }

    /** Writes {@code count} records of {@code recordBytes} bytes each from {@code content}; returns the index too. */
    public static TfRecordIndex write(ObjectStore store, Location location, long count, long recordBytes,
            ContentSource content, WriteOptions options) throws IOException {
        try (TfRecordWriter writer = open(store, location, options.withExpectedSizeIfAbsent(count * (recordBytes + TfRecords.OVERHEAD)))) {
            for (long i = 0; i < count; i++) {
                writer.write(recordBytes, content);
            }
            writer.finish();
            return writer.index();
        }
    }

    /** Appends one record holding the remaining bytes of {@code data} (the buffer is not moved). */
    public void write(ByteBuffer data) throws IOException {
        requireNonNull(data, "data is null");
        write(data.remaining(), ContentSource.of(data));
    }

    /** Appends one record of {@code length} bytes pulled from {@code content}. */
    public void write(long length, ContentSource content) throws IOException {
        requireNonNull(content, "content is null");
        if (length < 0) {
            throw new IllegalArgumentException("negative record length " + length);
        }
        if (chunk == null) {
            chunk = Streams.newChunk(Streams.CHUNK);
        }
        long offset = out.bytesWritten();
        out.write(TfRecords.header(length));
        CRC32C crc = new CRC32C();
        Streams.copy(content, length, out, chunk, crc);
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt(TfRecords.mask((int) crc.getValue())).flip();
        out.write(trailer);
        entries.add(new TfRecordIndex.Entry(offset, length + TfRecords.OVERHEAD));
    }

    /** Records written so far. */
    public long recordCount() {
        return entries.size();
    }

    /** The DALI index of the records written so far. */
    public TfRecordIndex index() {
        return new TfRecordIndex(entries);
    }

    /** Completes the object. */
    public WriteResult finish() throws IOException {
        return out.finish();
    }

    /** Aborts unless {@link #finish} succeeded. Idempotent. */
    @Override
    public void close() throws IOException {
        out.close();
    }
}
