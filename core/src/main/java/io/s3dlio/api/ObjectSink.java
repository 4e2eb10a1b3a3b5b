package io.s3dlio.api;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Receives the bytes of one object read by {@link ObjectStore#readInto}, piece by piece, each at its offset in
 * the object. The pieces cover {@code [0, size)} exactly once, without overlap, but they may arrive in any
 * order and from several threads at once (a positional file write, {@code FileChannel.write(buffer, offset)},
 * is the natural target). The buffer belongs to the store and is valid only during the call: consume its
 * remaining bytes (or copy them) before returning.
 */
@FunctionalInterface
public interface ObjectSink {

    /**
     * Takes the remaining bytes of {@code bytes}, which start at {@code offset} in the object. An exception
     * stops the read: no further call starts, and {@link ObjectStore#readInto} rethrows it once the calls in
     * progress have returned.
     */
    void write(long offset, ByteBuffer bytes) throws IOException;
}
