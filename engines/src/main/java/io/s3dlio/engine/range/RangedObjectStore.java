package io.s3dlio.engine.range;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ArrayReads;
import io.s3dlio.spi.BufferReads;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;

/**
 * A store whose {@code get} and {@code getRange} go through a {@link RangeEngine}: large objects arrive as
 * concurrent ranged requests, small ones with exactly one request (a ranged GET of the first chunk, which
 * also tells the size, so no HEAD is sent). Every other method is the delegate's. Owns the delegate and the
 * engine and closes both.
 */
public final class RangedObjectStore extends ForwardingObjectStore implements ArrayReads, BufferReads {
    private final RangeEngine engine;

    /** Takes ownership of both: {@link #close()} closes the engine, then the delegate(). */
    public RangedObjectStore(ObjectStore delegate, RangeEngine engine) {
        super(delegate);
        this.engine = requireNonNull(engine, "engine is null");
    }

    public RangeEngine engine() {
        return engine;
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        return engine.read(delegate(), location, OptionalLong.empty());
    }

    /**
     * A whole object whose size the caller may know (from a listing): with the size, no probe is needed,
     * objects below the threshold take one plain GET, larger ones are split from the first request on.
     */
    @Override
    public ObjectBytes get(Location location, OptionalLong size) throws IOException {
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException(location + ": negative size " + size.getAsLong());
        }
        return engine.read(delegate(), location, size);
    }

    /**
     * {@link ArrayReads}: an object of a known size below the threshold is the one plain GET the engine would send,
     * so the delegate reads it into the caller's array where it can; anything the engine would split or probe
     * first is read as {@link #get(Location, OptionalLong)} reads it.
     */
    @Override
    public ObjectBytes get(Location location, OptionalLong size, IntFunction<byte[]> arrays) throws IOException {
        if (onePlainGet(size)) {
            return ArrayReads.get(delegate(), location, size, arrays);
        }
        return get(location, size);
    }

    /** {@link BufferReads}: as the array read above, into the caller's buffer. */
    @Override
    public ObjectBytes getInto(Location location, OptionalLong size, IntFunction<java.nio.ByteBuffer> buffers)
            throws IOException {
        if (onePlainGet(size)) {
            return BufferReads.getInto(delegate(), location, size, buffers);
        }
        return get(location, size);
    }

    /** Whether an object of {@code size} is one plain GET for the engine (known, below the threshold). */
    private boolean onePlainGet(OptionalLong size) {
        return size.isPresent() && size.getAsLong() >= 0 && size.getAsLong() < engine.config().threshold();
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        return engine.readRange(delegate(), location, offset, length, OptionalLong.empty());
    }

    /** Chunks read concurrently into {@code sink}; see {@link RangeEngine#readInto}. */
    @Override
    public long readInto(Location location, OptionalLong size, ObjectSink sink) throws IOException {
        return engine.readInto(delegate(), location, size, sink);
    }

    /** Vectored read; see {@link RangeEngine#readRanges}. */
    public List<CompletableFuture<ObjectBytes>> getRanges(Location location, List<ByteRange> ranges) {
        return engine.readRanges(delegate(), location, ranges);
    }

    /** Closes the engine (joining its threads), then the delegate(). Idempotent as both are. */
    @Override
    public void close() throws IOException {
        try {
            engine.close();
        } finally {
            delegate().close();
        }
    }

    @Override
    public String toString() {
        return "RangedObjectStore[" + delegate() + ", " + engine.config() + "]";
    }
}
