package io.s3dlio.spi;

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
import java.util.Collection;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A store that passes every call to another one: the base for decorators (the range engine, fault
 * injection, request counting), which override only what they change.
 *
 * <p>The known-size reads {@link #get(Location, OptionalLong)} and {@link #readInto} are deliberately not
 * forwarded: their defaults run through this store's own {@code get} and {@code read}, so a decorator that
 * overrides those sees every read. A decorator that splits reads (the range engine) overrides them.
 */
public abstract class ForwardingObjectStore implements ObjectStore {
    private final ObjectStore delegate;

    protected ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    /** The store this one wraps. */
    public ObjectStore delegate() {
        return delegate;
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
        return delegate.get(location);
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        return delegate.getRange(location, offset, length);
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

    /**
     * Forwarded, so the delegate's batching (S3 DeleteObjects, Azure Blob Batch) is kept. A decorator that
     * watches deletes overrides this as well as {@link #delete}: deletes made here do not pass through it.
     */
    @Override
    public DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        return delegate.deleteAll(locations);
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

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
