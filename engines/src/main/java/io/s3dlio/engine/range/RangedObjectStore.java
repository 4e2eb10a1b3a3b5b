package io.s3dlio.engine.range;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Capability;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A store whose {@code get} and {@code getRange} go through a {@link RangeEngine}: large objects arrive as
 * concurrent ranged requests, small ones with exactly one request (a ranged GET of the first chunk, which
 * also tells the size, so no HEAD is sent). Every other method is the delegate's. Owns the delegate and the
 * engine and closes both.
 */
public final class RangedObjectStore implements ObjectStore {
    private final ObjectStore delegate;
    private final RangeEngine engine;

    /** Takes ownership of both: {@link #close()} closes the engine, then the delegate. */
    public RangedObjectStore(ObjectStore delegate, RangeEngine engine) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.engine = requireNonNull(engine, "engine is null");
    }

    /** The store this one wraps. */
    public ObjectStore delegate() {
        return delegate;
    }

    public RangeEngine engine() {
        return engine;
    }

    @Override
    public Set<String> schemes() {
        return delegate.schemes();
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        return engine.read(delegate, location, OptionalLong.empty());
    }

    /**
     * Reads a whole object whose size the caller knows (from a listing): no probe is needed, objects below the
     * threshold take one plain GET, larger ones are split from the first request on.
     */
    public ObjectBytes get(Location location, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException(location + ": negative size " + size);
        }
        return engine.read(delegate, location, OptionalLong.of(size));
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        return engine.readRange(delegate, location, offset, length, OptionalLong.empty());
    }

    /**
     * A range of an object whose total size the caller knows: no probe request; at or above the threshold it
     * is split into concurrent chunks from the first request on.
     */
    public ObjectBytes getRange(Location location, long offset, long length, long size) throws IOException {
        return engine.readRange(delegate, location, offset, OptionalLong.of(length), OptionalLong.of(size));
    }

    /** Vectored read; see {@link RangeEngine#readRanges}. */
    public List<CompletableFuture<ObjectBytes>> getRanges(Location location, List<ByteRange> ranges) {
        return engine.readRanges(delegate, location, ranges);
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        return delegate.read(location, offset, target);
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        return delegate.put(location, data, options);
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        return delegate.newWriter(location, options);
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        return delegate.stat(location);
    }

    @Override
    public boolean exists(Location location) throws IOException {
        return delegate.exists(location);
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        return delegate.list(prefix, mode);
    }

    @Override
    public void delete(Location location) throws IOException {
        delegate.delete(location);
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        return delegate.deletePrefix(prefix);
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        delegate.copy(source, target);
    }

    @Override
    public void rename(Location source, Location target) throws IOException {
        delegate.rename(source, target);
    }

    @Override
    public void createContainer(Location container) throws IOException {
        delegate.createContainer(container);
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        delegate.deleteContainer(container);
    }

    @Override
    public Stream<Location> listContainers(Location scope) throws IOException {
        return delegate.listContainers(scope);
    }

    /** Closes the engine (joining its threads), then the delegate. Idempotent as both are. */
    @Override
    public void close() throws IOException {
        try {
            engine.close();
        } finally {
            delegate.close();
        }
    }

    @Override
    public String toString() {
        return "RangedObjectStore[" + delegate + ", " + engine.config() + "]";
    }
}
