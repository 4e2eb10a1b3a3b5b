package io.s3dlio.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A streaming writer for one object, from {@link ObjectStore#newWriter}.
 *
 * <p>Lifecycle: any number of {@link #write} calls, then exactly one of {@link #finish} (make the object
 * visible) or {@link #abort} (discard everything). Nothing is visible under the object's name until
 * {@code finish} returns; if {@code finish} fails, nothing is visible either. {@link #close()} without a
 * successful {@code finish} aborts, so try-with-resources never leaves a half-written object or an orphaned
 * multipart upload behind. Not thread-safe: one writer, one thread at a time.
 *
 * <p>Memory is bounded: a writer holds at most (parts in flight x part size) bytes, and {@code write}
 * blocks while that many are in flight.
 */
public interface ObjectWriter extends AutoCloseable {

    /** Writes all remaining bytes of {@code data}; the buffer's position advances to its limit. */
    void write(ByteBuffer data) throws IOException;

    /** Convenience for {@code write(ByteBuffer.wrap(bytes, offset, length))}. */
    default void write(byte[] bytes, int offset, int length) throws IOException {
        write(ByteBuffer.wrap(bytes, offset, length));
    }

    /**
     * Writes everything {@code in} yields, to its end, and returns how many bytes that was; {@code in} is not
     * closed. This default reads through {@code chunk} (cleared before each read) and calls {@link #write};
     * a writer that keeps part buffers reads straight into them instead, leaving {@code chunk} unused, which
     * saves a copy of every byte (an upload of a file).
     */
    default long writeFrom(ReadableByteChannel in, ByteBuffer chunk) throws IOException {
        long total = 0;
        while (true) {
            chunk.clear();
            int n = in.read(chunk);
            if (n < 0) {
                return total;
            }
            chunk.flip();
            write(chunk);
            total += n;
        }
    }

    /** Uncompressed bytes accepted so far. */
    long bytesWritten();

    /** Completes the object and makes it visible. Calling it twice is an error. */
    WriteResult finish() throws IOException;

    /** Discards everything written; idempotent; a no-op after a successful finish. */
    void abort() throws IOException;

    /** Aborts unless {@link #finish} succeeded. Idempotent. */
    @Override
    void close() throws IOException;
}
