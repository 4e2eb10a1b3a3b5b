package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectWriter;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A streaming writer for Python: {@link #write} any number of times, then {@link #finish} or {@link #abort}. */
public final class StreamWriter {
    private final String uri;
    private final ObjectWriter writer;

    StreamWriter(String uri, ObjectWriter writer) {
        this.uri = requireNonNull(uri, "uri is null");
        this.writer = requireNonNull(writer, "writer is null");
    }

    /** Writes the remaining bytes of {@code data} (a direct buffer over Python memory, or a Java buffer). */
    public void write(ByteBuffer data) throws FacadeException {
        try {
            writer.write(data);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    public long bytesWritten() {
        return writer.bytesWritten();
    }

    /** Makes the object visible; returns the bytes written. */
    public long finish() throws FacadeException {
        return Errors.thenClose(uri, () -> writer.finish().bytesWritten(), writer);
    }

    /** Discards everything written; nothing is left under the name. Idempotent. */
    public void abort() throws FacadeException {
        Errors.thenClose(uri, () -> {
            writer.abort();
            return null;
        }, writer);
    }
}
