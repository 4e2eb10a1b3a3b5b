package io.s3dlio.format;

import io.s3dlio.api.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.Checksum;

/** Moves a payload from a {@link ContentSource} to a writer through one reused chunk buffer. */
final class Streams {
    /** Chunk size: large enough that per-call costs vanish, small enough to keep memory per writer bounded. */
    static final int CHUNK = 1024 * 1024;

    private Streams() {
    }

    static ByteBuffer newChunk(long payloadBytes) {
        return ByteBuffer.allocate((int) Math.max(1, Math.min(CHUNK, payloadBytes)));
    }

    /** Copies exactly {@code bytes} bytes from {@code source} to {@code out}, feeding each checksum on the way. */
    static void copy(ContentSource source, long bytes, ObjectWriter out, ByteBuffer chunk, Checksum... checksums)
            throws IOException {
        long left = bytes;
        while (left > 0) {
            int n = (int) Math.min(chunk.capacity(), left);
            chunk.clear().limit(n);
            source.fill(chunk);
            if (chunk.hasRemaining()) {
                throw new IOException("content source left " + chunk.remaining() + " bytes of a " + n + "-byte chunk unfilled");
            }
            chunk.flip();
            for (Checksum checksum : checksums) {
                checksum.update(chunk.duplicate());
            }
            out.write(chunk);
            left -= n;
        }
    }

    static void putIntLe(ByteBuffer buffer, long value) {
        buffer.put((byte) value).put((byte) (value >>> 8)).put((byte) (value >>> 16)).put((byte) (value >>> 24));
    }
}
