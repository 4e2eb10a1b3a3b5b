package io.s3dlio.spi;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * A store that can read a whole object into an array of the caller's instead of one it allocates: a caller that
 * reads many objects of about one size (the Python loader) reuses its arrays, so the JVM neither zeroes a new one
 * per object nor copies the ones waiting to be consumed from one young collection to the next (docs/BENCHMARKS.md,
 * "Python loader at 1 MiB"). It is a capability: callers go through {@link #get(ObjectStore, Location,
 * OptionalLong, IntFunction)}, which reads as {@link ObjectStore#get(Location, OptionalLong)} on a store without
 * it. Decorators that offer it pass it on to the store they wrap.
 */
public interface ArrayReads {

    /**
     * Reads a whole object as {@link ObjectStore#get(Location, OptionalLong)} does (the same requests, checked as
     * that checks them: one whole-object GET on S3, its stored checksum verified), but into an array of the
     * caller's where one is given: once the object's size is known, and only then, the store calls
     * {@code arrays} with it (at most once, on the calling thread) and reads into the array it answers from
     * index 0, returning a view of its first {@code size} bytes. When it answers null, or an array shorter than
     * the object, the object is read into a buffer of its own, as {@code get} reads it. The caller must not
     * change the array while it uses the returned bytes; once it no longer does, the array is its own again.
     *
     * @param size the object's size when known (a hint, as for {@code get}), else empty
     * @param arrays answers an array of at least the size it is called with, or null
     */
    ObjectBytes get(Location location, OptionalLong size, IntFunction<byte[]> arrays) throws IOException;

    /** {@code store}'s {@link #get(Location, OptionalLong, IntFunction)}, or its plain known-size get without it. */
    static ObjectBytes get(ObjectStore store, Location location, OptionalLong size, IntFunction<byte[]> arrays)
            throws IOException {
        return store instanceof ArrayReads reads ? reads.get(location, size, arrays) : store.get(location, size);
    }
}
