package io.s3dlio.store.memory;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;
import static io.s3dlio.spi.StoreChecks.requireScheme;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.spi.AbstractObjectStore;
import io.s3dlio.spi.AbstractObjectWriter;
import io.s3dlio.spi.BatchDeletes;
import io.s3dlio.spi.LookAheadIterator;
import io.s3dlio.spi.Puts;
import io.s3dlio.spi.StoreChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32C;

/**
 * A complete in-memory backend for {@code mem://bucket/key}: buckets must be created before use, keys are
 * sorted, stored bytes are immutable and shared (reads and server-side copies never copy). It passes the
 * same contract tests as the real backends and is the fast fake for engine, loader and CLI tests.
 */
public final class MemoryObjectStore extends AbstractObjectStore {
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.SERVER_SIDE_COPY,
            Capability.BULK_DELETE, Capability.ATOMIC_RENAME, Capability.USER_METADATA,
            Capability.KEY_AND_PREFIX_COEXIST, Capability.CONDITIONAL_WRITE));
    private static final Set<String> SCHEMES = Set.of("mem");
    /** Keys removed per step of deletePrefix; the memory store has no batch limit, this only bounds a list. */
    private static final int DELETE_BATCH = 1000;

    private final Map<String, ConcurrentSkipListMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final AtomicLong versions = new AtomicLong();

    public MemoryObjectStore() {
        this(Clock.systemUTC());
    }

    public MemoryObjectStore(Clock clock) {
        super(SCHEMES, CAPABILITIES);
        this.clock = clock;
    }

    private record StoredObject(ByteBuffer data, Instant lastModified, String etag, Optional<String> contentType,
            Map<String, String> metadata, long version) {}

    private ConcurrentSkipListMap<String, StoredObject> bucket(Location location) throws ContainerNotFoundException {
        requireScheme(location, schemes());
        ConcurrentSkipListMap<String, StoredObject> bucket = buckets.get(location.container());
        if (bucket == null) {
            throw new ContainerNotFoundException(location, null);
        }
        return bucket;
    }

    private StoredObject object(Location location) throws IOException {
        requireObject(location);
        StoredObject object = bucket(location).get(location.key());
        if (object == null) {
            throw new ObjectNotFoundException(location);
        }
        return object;
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        return ObjectBytes.wrap(object(location).data());
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        checkRange(location, offset, length);
        ByteBuffer data = object(location).data();
        int wanted = (int) rangeLength(location, offset, length, data.remaining());
        return ObjectBytes.wrap(data.slice((int) offset, wanted));
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        checkRange(location, offset, OptionalLong.empty());
        ByteBuffer data = object(location).data();
        int size = data.remaining();
        if (offset >= size) {
            return new ReadResult(0, OptionalLong.of(size));
        }
        int n = (int) Math.min(target.remaining(), size - offset);
        target.put(data.slice((int) offset, n));
        return new ReadResult(n, OptionalLong.of(size));
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        return Puts.throughWriter(this, location, data, options);
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        requireObject(location);
        bucket(location);
        return new MemoryWriter(location, options);
    }

    private final class MemoryWriter extends AbstractObjectWriter {
        private final WriteOptions options;
        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        MemoryWriter(Location location, WriteOptions options) throws IOException {
            super(location, options);
            this.options = options;
        }

        @Override
        protected void writeStored(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            chunks.add(chunk);
            size += chunk.length;
        }

        @Override
        protected Optional<String> completeStored() throws IOException {
            StoreChecks.requireOneBuffer(location(), size); // an object lives in one array here
            byte[] all = new byte[(int) size];
            int at = 0;
            for (byte[] chunk : chunks) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            chunks.clear();
            CRC32C crc = new CRC32C();
            crc.update(all);
            long version = versions.incrementAndGet();
            String etag = String.format(Locale.ROOT, "%08x-%x", (int) crc.getValue(), version);
            StoredObject object = new StoredObject(ByteBuffer.wrap(all).asReadOnlyBuffer(), clock.instant(), etag,
                    options.contentType(), options.metadata(), version);
            store(bucket(location()), object);
            return Optional.of(etag);
        }

        /** Puts the object, checking the write condition atomically with the map's own compare-and-set. */
        private void store(ConcurrentSkipListMap<String, StoredObject> bucket, StoredObject object) throws IOException {
            String key = location().key();
            switch (options.condition().kind()) {
                case NONE -> bucket.put(key, object);
                case IF_ABSENT -> {
                    if (bucket.putIfAbsent(key, object) != null) {
                        throw new PreconditionFailedException(location(), options.condition(), null);
                    }
                }
                case IF_MATCH -> {
                    StoredObject current = bucket.get(key);
                    // Etags carry a fresh version number, so replace(current, ...) cannot succeed on a look-alike.
                    if (current == null || !current.etag().equals(options.condition().etag().orElseThrow())
                            || !bucket.replace(key, current, object)) {
                        throw new PreconditionFailedException(location(), options.condition(), null);
                    }
                }
            }
        }

        @Override
        protected void abortStored() {
            chunks.clear();
        }
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        StoredObject object = object(location);
        return new ObjectInfo(location, object.data().remaining(), Optional.of(object.lastModified()),
                Optional.of(object.etag()), object.contentType(), object.metadata(), Optional.empty(),
                Optional.of(Long.toString(object.version())), Optional.empty());
    }

    @Override
    public boolean exists(Location location) throws IOException {
        requireObject(location);
        return bucket(location).containsKey(location.key());
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        NavigableMap<String, StoredObject> bucket = bucket(prefix);
        String start = prefix.key();
        Iterator<Map.Entry<String, StoredObject>> source = bucket.tailMap(start, true).entrySet().iterator();
        Iterator<ListEntry> entries = new LookAheadIterator<>() {
            private String lastPrefix;

            @Override
            protected ListEntry advance() {
                while (source.hasNext()) {
                    Map.Entry<String, StoredObject> entry = source.next();
                    String key = entry.getKey();
                    if (!key.startsWith(start)) {
                        return null; // sorted keys: once past the prefix, nothing later matches
                    }
                    int slash = mode == ListMode.ONE_LEVEL ? key.indexOf('/', start.length()) : -1;
                    if (slash < 0) {
                        StoredObject object = entry.getValue();
                        return new ListEntry.ObjectEntry(prefix.withKey(key), object.data().remaining(),
                                Optional.of(object.lastModified()), Optional.of(object.etag()));
                    }
                    String common = key.substring(0, slash + 1);
                    if (!common.equals(lastPrefix)) {
                        lastPrefix = common;
                        return new ListEntry.PrefixEntry(prefix.withKey(common));
                    }
                }
                return null;
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(entries, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public void delete(Location location) throws IOException {
        requireObject(location);
        bucket(location).remove(location.key());
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        NavigableMap<String, StoredObject> bucket = bucket(prefix);
        try (Stream<ListEntry> entries = list(prefix, ListMode.RECURSIVE)) {
            return BatchDeletes.deleteAll(prefix, entries.map(ListEntry::location).iterator(), DELETE_BATCH, batch -> {
                List<BatchDeletes.Outcome> outcomes = new ArrayList<>(batch.size());
                for (Location key : batch) {
                    bucket.remove(key.key());
                    outcomes.add(BatchDeletes.Outcome.deleted(key));
                }
                return outcomes;
            });
        }
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        StoredObject object = object(source);
        requireObject(target);
        if (source.equals(target)) {
            return; // onto itself: the source exists, nothing changes
        }
        long version = versions.incrementAndGet();
        bucket(target).put(target.key(), new StoredObject(object.data(), clock.instant(), object.etag(),
                object.contentType(), object.metadata(), version));
    }

    @Override
    public synchronized void rename(Location source, Location target) throws IOException {
        requireObject(target);
        super.rename(source, target); // atomic here: no other rename runs meanwhile
    }

    @Override
    public void createContainer(Location container) {
        requireScheme(container, schemes());
        requireContainerName(container);
        buckets.computeIfAbsent(container.container(), name -> new ConcurrentSkipListMap<>());
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        requireScheme(container, schemes());
        requireContainerName(container);
        ConcurrentSkipListMap<String, StoredObject> bucket = buckets.get(container.container());
        if (bucket == null) {
            return;
        }
        if (!bucket.isEmpty()) {
            throw new StorageException(container.containerRoot(), "bucket is not empty (" + bucket.size() + " objects)");
        }
        buckets.remove(container.container(), bucket);
    }

    private static void requireContainerName(Location container) {
        if (container.container().isEmpty()) {
            throw new IllegalArgumentException(container + " names no bucket");
        }
    }

    @Override
    public Stream<Location> listContainers(Location scope) {
        requireScheme(scope, schemes());
        return buckets.keySet().stream().sorted().map(name -> new Location("mem", "", name, ""));
    }

    @Override
    public void close() {
        // Nothing to release: the data lives as long as the store object.
    }
}
