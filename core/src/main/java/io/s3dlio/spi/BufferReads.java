package io.s3dlio.spi;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * A store that can read a whole object into a buffer of the caller's, typically direct: the sibling of
 * {@link ArrayReads} for a caller that hands the bytes on without copying them (the Python loader gives NumPy views
 * of pooled direct buffers). On S3 over plain http the body goes from the socket into the buffer with no copy in
 * Java (docs/BENCHMARKS.md, "Python loader at 1 MiB, zero-copy"). It is a capability: callers go through
 * {@link #getInto(ObjectStore, Location, OptionalLong, IntFunction)}, which on a store without it reads as
 * {@link ObjectStore#get(Location, OptionalLong)} and copies the bytes into the caller's buffer (the one copy the
 * caller would otherwise make itself). Decorators that offer it pass it on to the store they wrap.
 */
public interface BufferReads {

    /**
     * Reads a whole object as {@link ObjectStore#get(Location, OptionalLong)} does (the same requests, checked as
     * that checks them: one whole-object GET on S3, its stored checksum verified), but into a buffer of the
     * caller's where one is given: once the object's size is known, and only then, the store calls
     * {@code buffers} with it (at most once, on the calling thread) and reads into the buffer it answers from its
     * position, returning a view of those {@code size} bytes. When it answers null, or a buffer with fewer bytes
     * remaining, the object is read as {@code get} reads it. The caller must not change the buffer while it uses
     * the returned bytes; once it no longer does, the buffer is its own again. A read that fails may have written
     * into the buffer.
     *
     * @param size the object's size when known (a hint, as for {@code get}), else empty
     * @param buffers answers a buffer with at least the size it is called with remaining, or null
     */
    ObjectBytes getInto(Location location, OptionalLong size, IntFunction<ByteBuffer> buffers) throws IOException;

    /**
     * {@code store}'s {@link #getInto(Location, OptionalLong, IntFunction)}; without it, its plain known-size get,
     * whose bytes are then copied into the buffer {@code buffers} answers for their size (if it has room), so that
     * the caller finds them there whatever the store.
     */
    static ObjectBytes getInto(ObjectStore store, Location location, OptionalLong size, IntFunction<ByteBuffer> buffers)
            throws IOException {
        if (store instanceof BufferReads reads) {
            return reads.getInto(location, size, buffers);
        }
        ObjectBytes bytes = store.get(location, size);
        ByteBuffer into = bytes.isEmpty() ? null : buffers.apply(bytes.size());
        if (into == null || into.remaining() < bytes.size()) {
            return bytes;
        }
        ByteBuffer target = into.slice(into.position(), bytes.size());
        target.put(bytes.buffer());
        return ObjectBytes.wrap(target.flip());
    }
}
