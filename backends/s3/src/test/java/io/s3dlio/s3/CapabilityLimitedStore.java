package io.s3dlio.s3;

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
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The s3:// store with the capabilities a particular test server lacks taken away, so the contract kit
 * checks the fallback behaviour there. S3Proxy's blob stores keep keys as files, so "a" and "a/b" cannot
 * coexist on it (HTTP 500), although they can on S3 and radosgw. Every call goes to the real store.
 */
final class CapabilityLimitedStore implements ObjectStore {
    private final ObjectStore delegate;
    private final Set<Capability> capabilities;

    CapabilityLimitedStore(ObjectStore delegate, Set<Capability> serverLacks) {
        this.delegate = delegate;
        EnumSet<Capability> kept = EnumSet.noneOf(Capability.class);
        kept.addAll(delegate.capabilities());
        kept.removeAll(serverLacks);
        this.capabilities = Set.copyOf(kept);
    }

    @Override public Set<String> schemes() { return delegate.schemes(); }
    @Override public Set<Capability> capabilities() { return capabilities; }
    @Override public ObjectBytes get(Location location) throws IOException { return delegate.get(location); }
    @Override public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        return delegate.getRange(location, offset, length);
    }
    @Override public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        return delegate.read(location, offset, target);
    }
    @Override public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        return delegate.put(location, data, options);
    }
    @Override public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        return delegate.newWriter(location, options);
    }
    @Override public ObjectInfo stat(Location location) throws IOException { return delegate.stat(location); }
    @Override public boolean exists(Location location) throws IOException { return delegate.exists(location); }
    @Override public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException { return delegate.list(prefix, mode); }
    @Override public void delete(Location location) throws IOException { delegate.delete(location); }
    @Override public DeleteResult deletePrefix(Location prefix) throws IOException { return delegate.deletePrefix(prefix); }
    @Override public void copy(Location source, Location target) throws IOException { delegate.copy(source, target); }
    @Override public void rename(Location source, Location target) throws IOException { delegate.rename(source, target); }
    @Override public void createContainer(Location container) throws IOException { delegate.createContainer(container); }
    @Override public void deleteContainer(Location container) throws IOException { delegate.deleteContainer(container); }
    @Override public Stream<Location> listContainers(Location scope) throws IOException { return delegate.listContainers(scope); }
    @Override public void close() throws IOException { delegate.close(); }
}
