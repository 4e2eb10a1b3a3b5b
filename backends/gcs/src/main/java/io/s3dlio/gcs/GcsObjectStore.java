package io.s3dlio.gcs;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;
import static io.s3dlio.spi.StoreChecks.requireScheme;
import static java.util.Objects.requireNonNull;

import com.google.api.gax.paging.Page;
import com.google.cloud.ReadChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.CopyWriter;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageBatch;
import com.google.cloud.storage.StorageBatchResult;
import io.s3dlio.api.Capability;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.engine.tuning.UploadPolicy;
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.engine.upload.UploadLimits;
import io.s3dlio.engine.upload.UploadPlan;
import io.s3dlio.spi.AbstractObjectStore;
import io.s3dlio.spi.BatchDeletes;
import io.s3dlio.spi.ETags;
import io.s3dlio.spi.PagedListing;
import io.s3dlio.spi.Puts;
import io.s3dlio.spi.StoreChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * gs://bucket/key on the official Java client (JSON API over HTTP). Retries happen in the client's retry
 * layer ({@link GcsConfig#maxAttempts()}); errors are translated by {@link GcsErrors}.
 */
final class GcsObjectStore extends AbstractObjectStore {
    private static final Set<String> SCHEMES = Set.of("gs");
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.SERVER_SIDE_COPY,
            Capability.BULK_DELETE, Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST,
            Capability.CONDITIONAL_WRITE, Capability.FULL_OBJECT_CRC32C)); // GCS keeps a crc32c of every object

    private final Storage storage;
    private final GcsConfig config;
    private final Object closeLock = new Object();
    private boolean closed;

    GcsObjectStore(Storage storage, GcsConfig config) {
        super(SCHEMES, CAPABILITIES);
        this.storage = requireNonNull(storage, "storage is null");
        this.config = requireNonNull(config, "config is null");
    }

    /** The client this store uses (tests reach the raw service through it). */
    Storage storage() {
        return storage;
    }

    private BlobId blobId(Location location) {
        requireObject(location);
        return BlobId.of(location.container(), location.key());
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        BlobId id = blobId(location);
        try {
            // One request; the client reads the body into one array, which becomes the buffer we hand out.
            return ObjectBytes.wrap(storage.readAllBytes(id));
        } catch (RuntimeException e) {
            throw GcsErrors.translate(location, "get", e);
        }
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        BlobId id = blobId(location);
        checkRange(location, offset, length);
        // The size decides between "cut at the end", "empty at the end" and EOFException, and the Java client
        // does not expose the size a ranged GET's response carries (x-goog-stored-content-length is read
        // into a package-private class). So getRange costs a metadata request, and then reads exactly the
        // bytes that exist, pinned to the generation it saw, so the range never mixes two versions.
        Blob blob = fetch(location, id);
        int wanted = (int) rangeLength(location, offset, length, blob.getSize() == null ? 0 : blob.getSize());
        if (wanted == 0) {
            return ObjectBytes.empty();
        }
        BlobId pinned = blob.getGeneration() == null ? id : BlobId.of(id.getBucket(), id.getName(), blob.getGeneration());
        ByteBuffer target = ByteBuffer.allocate(wanted);
        readInto(location, pinned, offset, target);
        if (target.hasRemaining()) {
            throw new StorageException(location, "object changed while reading: expected " + wanted + " bytes at offset "
                    + offset + ", got " + target.position(), null, StorageException.Retry.RETRYABLE);
        }
        return ObjectBytes.wrap(target.flip());
    }

    /**
     * One ranged GET for {@code [offset, offset + target.remaining())}. The Java client reads the object's
     * total size from the response but does not expose it publicly, and a second (metadata) request would double
     * the cost of the range engine's primitive; so the size is reported only when the read itself proves it: a
     * read that comes back short has reached the end, so the size is {@code offset + bytesRead}.
     */
    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        BlobId id = blobId(location);
        checkRange(location, offset, OptionalLong.empty());
        int wanted = target.remaining();
        if (wanted == 0) {
            return new ReadResult(0, OptionalLong.empty());
        }
        int read = readInto(location, id, offset, target);
        boolean reachedTheEnd = read < wanted && (read > 0 || offset == 0);
        return new ReadResult(read, reachedTheEnd ? OptionalLong.of(offset + read) : OptionalLong.empty());
    }

    private int readInto(Location location, BlobId id, long offset, ByteBuffer target) throws IOException {
        int start = target.position();
        try (ReadChannel channel = storage.reader(id)) {
            channel.seek(offset);
            // limit() bounds the request's Range header, so the service sends only these bytes.
            channel.limit(offset + target.remaining());
            while (target.hasRemaining()) {
                if (channel.read(target) < 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw GcsErrors.translate(location, "ranged read at offset " + offset, e);
        }
        return target.position() - start;
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        BlobId id = blobId(location);
        requireNonNull(options, "options is null");
        StoreChecks.requireConditionSupported(location, options, capabilities());
        if (Puts.needsWriter(options)) {
            return Puts.throughWriter(this, location, data, options);
        }
        GcsPrecondition precondition = GcsPrecondition.resolve(storage, location, id, options.condition());
        return Puts.singleRequest(location, data, view -> {
            try {
                Blob blob = createWhole(storage, blobInfo(id, options), view, precondition);
                return ETags.unquote(blob == null ? null : blob.getEtag());
            } catch (RuntimeException e) {
                throw precondition.translate(location, "put", e);
            }
        });
    }

    /**
     * One-request upload of the remaining bytes of {@code data} (a copy only when it is not array-backed), under
     * {@code precondition}'s generation checks.
     */
    static Blob createWhole(Storage storage, BlobInfo info, ByteBuffer data, GcsPrecondition precondition) {
        Storage.BlobTargetOption[] options = precondition.targetOptions();
        if (data.hasArray()) {
            return storage.create(info, data.array(), data.arrayOffset() + data.position(), data.remaining(), options);
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return storage.create(info, copy, options);
    }

    private static BlobInfo blobInfo(BlobId id, WriteOptions options) {
        BlobInfo.Builder builder = BlobInfo.newBuilder(id);
        options.contentType().ifPresent(builder::setContentType);
        if (!options.metadata().isEmpty()) {
            builder.setMetadata(options.metadata());
        }
        return builder.build();
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        BlobId id = blobId(location);
        requireNonNull(options, "options is null");
        StoreChecks.requireConditionSupported(location, options, capabilities());
        // S3DLIO_GCS_CHUNK_SIZE is this backend's part size; the GCS limits keep chunks fixed (no part-count
        // limit to outgrow, and a session's chunk size is set once) and one in flight (chunks go in order).
        UploadPlan plan = config.uploads().plan(options, UploadLimits.GCS,
                new UploadPolicy.BackendOverride(config.chunkSize(), java.util.OptionalInt.empty()));
        // An IF_MATCH condition is resolved to generations now: the object must still have them when the upload
        // creates it, which is exactly "still has this ETag" (see GcsPrecondition).
        GcsPrecondition precondition = GcsPrecondition.resolve(storage, location, id, options.condition());
        ResumableUploadTarget target = new ResumableUploadTarget(storage, location, blobInfo(id, options),
                (int) plan.firstPartSize(), precondition);
        return new PartedObjectWriter<>(location, options, target, plan);
    }

    private Blob fetch(Location location, BlobId id) throws IOException {
        Blob blob;
        try {
            blob = storage.get(id);
        } catch (RuntimeException e) {
            throw GcsErrors.translate(location, "stat", e);
        }
        if (blob == null) {
            throw new ObjectNotFoundException(location);
        }
        return blob;
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        Blob blob = fetch(location, blobId(location));
        return new ObjectInfo(location,
                blob.getSize() == null ? 0 : blob.getSize(),
                Optional.ofNullable(blob.getUpdateTimeOffsetDateTime()).map(time -> time.toInstant()),
                ETags.unquote(blob.getEtag()),
                Optional.ofNullable(blob.getContentType()),
                blob.getMetadata() == null ? Map.of() : withoutNullValues(blob.getMetadata()),
                Optional.ofNullable(blob.getStorageClass()).map(Object::toString),
                Optional.ofNullable(blob.getGeneration()).map(Object::toString),
                Optional.ofNullable(blob.getCrc32c()));
    }

    private static Map<String, String> withoutNullValues(Map<String, String> metadata) {
        Map<String, String> out = new java.util.HashMap<>();
        metadata.forEach((key, value) -> {
            if (key != null && value != null) {
                out.put(key, value);
            }
        });
        return out;
    }

    @Override
    public boolean exists(Location location) throws IOException {
        BlobId id = blobId(location);
        try {
            return storage.get(id, Storage.BlobGetOption.fields(Storage.BlobField.NAME)) != null;
        } catch (RuntimeException e) {
            if (GcsErrors.statusCode(e) == 404) {
                return false;
            }
            throw GcsErrors.translate(location, "exists", e);
        }
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        requireScheme(prefix, SCHEMES);
        requireNonNull(mode, "mode is null");
        requireBucket(prefix);
        List<Storage.BlobListOption> options = new ArrayList<>();
        if (!prefix.key().isEmpty()) {
            options.add(Storage.BlobListOption.prefix(prefix.key()));
        }
        if (mode == ListMode.ONE_LEVEL) {
            options.add(Storage.BlobListOption.delimiter("/"));
        }
        config.pageSize().ifPresent(size -> options.add(Storage.BlobListOption.pageSize(size)));
        Page<Blob> first;
        try {
            first = storage.list(prefix.container(), options.toArray(Storage.BlobListOption[]::new));
        } catch (RuntimeException e) {
            throw GcsErrors.translate(prefix.containerRoot(), "list of '" + prefix + "'", e);
        }
        return PagedListing.stream(first, new BlobPages(prefix), entry -> entry.location().key());
    }

    /** Adapts the client's pages; the next page is requested only when the listing reaches it. */
    static final class BlobPages implements PagedListing.Pages<Page<Blob>, ListEntry> {
        private final Location prefix;

        BlobPages(Location prefix) {
            this.prefix = prefix;
        }

        @Override
        public List<ListEntry> values(Page<Blob> page) {
            List<ListEntry> entries = new ArrayList<>();
            for (Blob blob : page.getValues()) {
                entries.add(entry(prefix, blob));
            }
            return entries;
        }

        @Override
        public Optional<Page<Blob>> next(Page<Blob> page) throws IOException {
            if (!page.hasNextPage()) {
                return Optional.empty();
            }
            try {
                return Optional.ofNullable(page.getNextPage());
            } catch (RuntimeException e) {
                throw GcsErrors.translate(prefix, "listing the next page", e);
            }
        }
    }

    private static ListEntry entry(Location prefix, Blob blob) {
        Location location = prefix.withKey(blob.getName());
        if (blob.isDirectory()) {
            return new ListEntry.PrefixEntry(location);
        }
        Optional<Instant> updated = Optional.ofNullable(blob.getUpdateTimeOffsetDateTime()).map(time -> time.toInstant());
        return new ListEntry.ObjectEntry(location, blob.getSize() == null ? 0 : blob.getSize(), updated,
                ETags.unquote(blob.getEtag()));
    }

    private static void requireBucket(Location location) {
        if (location.container().isEmpty()) {
            throw new IllegalArgumentException(location + " names no bucket");
        }
    }

    @Override
    public void delete(Location location) throws IOException {
        BlobId id = blobId(location);
        try {
            storage.delete(id); // false when absent, which is not an error
        } catch (RuntimeException e) {
            if (GcsErrors.statusCode(e) == 404) {
                return;
            }
            throw GcsErrors.translate(location, "delete", e);
        }
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        try (Stream<ListEntry> entries = list(prefix, ListMode.RECURSIVE)) {
            return BatchDeletes.deleteAll(prefix, entries.map(ListEntry::location).iterator(), config.deleteBatchSize(),
                    this::sendBatch);
        }
    }

    @Override
    public DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        List<Location> objects = StoreChecks.requireObjects(locations, schemes());
        return BatchDeletes.deleteAll(objects, config.deleteBatchSize(), this::sendBatch);
    }

    /** One batch request with a delete per key; each key's own outcome is kept. */
    private List<BatchDeletes.Outcome> sendBatch(List<Location> keys) throws IOException {
        StorageBatch batch = storage.batch();
        List<StorageBatchResult<Boolean>> results = new ArrayList<>(keys.size());
        for (Location key : keys) {
            results.add(batch.delete(BlobId.of(key.container(), key.key())));
        }
        batch.submit();
        List<BatchDeletes.Outcome> outcomes = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Location key = keys.get(i);
            try {
                results.get(i).get(); // false: already gone, which counts as deleted
                outcomes.add(BatchDeletes.Outcome.deleted(key));
            } catch (RuntimeException e) {
                if (GcsErrors.statusCode(e) == 404) {
                    outcomes.add(BatchDeletes.Outcome.deleted(key));
                } else {
                    outcomes.add(BatchDeletes.Outcome.failed(key, GcsErrors.translate(key, "delete", e).getMessage()));
                }
            }
        }
        return outcomes;
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        BlobId from = blobId(source);
        BlobId to = blobId(target);
        if (sameObject(source, target)) {
            return;
        }
        try {
            CopyWriter writer = storage.copy(Storage.CopyRequest.of(from, to));
            // Large or cross-location copies take several rewrite calls; each continues where the last stopped.
            while (!writer.isDone()) {
                writer.copyChunk();
            }
        } catch (RuntimeException e) {
            int code = GcsErrors.statusCode(e);
            if (code == 404 && !exists(source)) {
                throw new ObjectNotFoundException(source, e);
            }
            throw GcsErrors.translate(code == 404 ? target : source, "copy " + source + " to " + target, e);
        }
    }

    @Override
    public void createContainer(Location container) throws IOException {
        requireScheme(container, SCHEMES);
        requireBucket(container);
        Location root = container.containerRoot();
        try {
            storage.create(BucketInfo.of(container.container()));
        } catch (RuntimeException e) {
            // 409 means "exists": fine when it is ours, which we can tell by being able to read it.
            if (GcsErrors.statusCode(e) == 409 && bucketVisible(root)) {
                return;
            }
            throw GcsErrors.translate(root, "create bucket" + config.projectId().map(p -> " in project " + p).orElse(""), e);
        }
    }

    private boolean bucketVisible(Location root) throws IOException {
        try {
            return storage.get(root.container()) != null;
        } catch (RuntimeException e) {
            if (GcsErrors.statusCode(e) == 403) {
                return false;
            }
            throw GcsErrors.translate(root, "get bucket", e);
        }
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        requireScheme(container, SCHEMES);
        requireBucket(container);
        Location root = container.containerRoot();
        try {
            storage.delete(container.container()); // false when absent, which is not an error
        } catch (RuntimeException e) {
            int code = GcsErrors.statusCode(e);
            if (code == 404) {
                return;
            }
            if (code == 409) {
                throw new StorageException(root, "bucket '" + container.container() + "' is not empty", e);
            }
            throw GcsErrors.translate(root, "delete bucket", e);
        }
    }

    @Override
    public Stream<Location> listContainers(Location scope) throws IOException {
        requireScheme(scope, SCHEMES);
        List<Storage.BucketListOption> options = new ArrayList<>();
        config.pageSize().ifPresent(size -> options.add(Storage.BucketListOption.pageSize(size)));
        Location root = new Location("gs", "", "", "");
        Page<Bucket> first;
        try {
            first = storage.list(options.toArray(Storage.BucketListOption[]::new));
        } catch (RuntimeException e) {
            throw GcsErrors.translate(root, "list buckets" + config.projectId().map(p -> " of project " + p).orElse(""), e);
        }
        return PagedListing.stream(first, new PagedListing.Pages<Page<Bucket>, Location>() {
            @Override
            public List<Location> values(Page<Bucket> page) {
                List<Location> out = new ArrayList<>();
                for (Bucket bucket : page.getValues()) {
                    out.add(new Location("gs", "", bucket.getName(), ""));
                }
                return out;
            }

            @Override
            public Optional<Page<Bucket>> next(Page<Bucket> page) throws IOException {
                if (!page.hasNextPage()) {
                    return Optional.empty();
                }
                try {
                    return Optional.ofNullable(page.getNextPage());
                } catch (RuntimeException e) {
                    throw GcsErrors.translate(root, "listing the next page of buckets", e);
                }
            }
        }, Location::container);
    }

    @Override
    public void close() throws IOException {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            storage.close();
        } catch (Exception e) {
            throw new IOException("closing the gs:// client failed", e);
        }
    }
}
