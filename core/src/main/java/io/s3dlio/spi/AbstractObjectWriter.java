package io.s3dlio.spi;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.s3dlio.api.Compression;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The part every writer shares: the finish/abort/close state machine, the CRC32C of the uncompressed bytes,
 * and optional zstd compression. Subclasses only move stored bytes: {@link #writeStored}, {@link #completeStored}
 * and {@link #abortStored}.
 */
public abstract class AbstractObjectWriter implements ObjectWriter {
    private enum State { OPEN, FINISHED, ABORTED }

    private final Location location;
    private final CRC32C crc = new CRC32C();
    private final OutputStream compressor;
    private final byte[] staging;
    private long bytesWritten;
    private long storedBytes;
    private State state = State.OPEN;

    protected AbstractObjectWriter(Location location, WriteOptions options) throws IOException {
        this.location = StoreChecks.requireObject(location);
        if (options.compression().codec() == Compression.Codec.ZSTD) {
            this.compressor = new ZstdOutputStreamNoFinalizer(new StoredSink(), options.compression().level());
            this.staging = new byte[64 * 1024];
        } else {
            this.compressor = null;
            this.staging = null;
        }
    }

    public final Location location() {
        return location;
    }

    @Override
    public final void write(ByteBuffer data) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException(location + ": writer is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        int length = data.remaining();
        crc.update(data.duplicate());
        try {
            if (compressor == null) {
                storedBytes += length;
                writeStored(data);
            } else {
                while (data.hasRemaining()) {
                    int n = Math.min(staging.length, data.remaining());
                    data.get(staging, 0, n);
                    compressor.write(staging, 0, n);
                }
            }
        } catch (IOException | RuntimeException e) {
            abortQuietly(e);
            throw e;
        }
        bytesWritten += length;
    }

    /** Reads straight into the subclass's buffers ({@link #readStored}) unless compression is on. */
    @Override
    public final long writeFrom(ReadableByteChannel in, ByteBuffer chunk) throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException(location + ": writer is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (compressor != null) {
            return ObjectWriter.super.writeFrom(in, chunk);
        }
        try {
            return readStored(in, chunk);
        } catch (IOException | RuntimeException e) {
            abortQuietly(e);
            throw e;
        }
    }

    /**
     * Stores everything {@code in} yields (no compression). This default goes through {@code chunk} and
     * {@link #write}; a subclass with buffers of its own reads into them and reports each read's bytes to
     * {@link #accepted}.
     */
    protected long readStored(ReadableByteChannel in, ByteBuffer chunk) throws IOException {
        return ObjectWriter.super.writeFrom(in, chunk);
    }

    /** For {@link #readStored}: {@code stored} (its remaining bytes) was just read into the subclass's buffer. */
    protected final void accepted(ByteBuffer stored) {
        int length = stored.remaining();
        crc.update(stored);
        storedBytes += length;
        bytesWritten += length;
    }

    @Override
    public final long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public final WriteResult finish() throws IOException {
        if (state != State.OPEN) {
            throw new IllegalStateException(location + ": finish called on a writer that is "
                    + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            if (compressor != null) {
                compressor.close();
            }
            Optional<String> etag = completeStored();
            state = State.FINISHED;
            return new WriteResult(location, bytesWritten, storedBytes, (int) crc.getValue(), etag);
        } catch (IOException | RuntimeException e) {
            abortQuietly(e);
            throw e;
        }
    }

    @Override
    public final void abort() throws IOException {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        abortStored();
    }

    @Override
    public final void close() throws IOException {
        abort();
    }

    private void abortQuietly(Throwable failure) {
        try {
            abort();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** Stores bytes (compressed already, when compression is on). Consumes {@code data} fully. */
    protected abstract void writeStored(ByteBuffer data) throws IOException;

    /** Makes the object visible; returns the ETag when the backend reports one. */
    protected abstract Optional<String> completeStored() throws IOException;

    /** Discards all stored bytes so nothing appears under the name. Called at most once. */
    protected abstract void abortStored() throws IOException;

    private final class StoredSink extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            storedBytes += length;
            // The compressor reuses its array, so the subclass gets a buffer it must consume now.
            writeStored(ByteBuffer.wrap(bytes, offset, length));
        }

        @Override
        public void close() {
            // The writer's lifecycle, not the compressor, decides when the stored object completes.
        }
    }

    /** Helper for subclasses that cannot throw checked exceptions from a callback. */
    protected static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
