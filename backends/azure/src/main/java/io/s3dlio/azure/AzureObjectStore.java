package io.s3dlio.azure;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;
import static io.s3dlio.spi.StoreChecks.requireObject;
import static io.s3dlio.spi.StoreChecks.requireScheme;
import static java.util.Objects.requireNonNull;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.polling.PollResponse;
import com.azure.core.util.polling.SyncPoller;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.batch.BlobBatch;
import com.azure.storage.blob.batch.BlobBatchClient;
import com.azure.storage.blob.models.BlobContainerItem;
import com.azure.storage.blob.models.BlobCopyInfo;
import com.azure.storage.blob.models.BlobDownloadAsyncResponse;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.CopyStatusType;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.s3dlio.api.Capability;
import io.s3dlio.api.Compression;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.engine.upload.PartSizing;
import io.s3dlio.engine.upload.PartUploadTarget;
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.engine.upload.UploadLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32C;

/**
 * Azure Blob Storage behind {@code az://account/container/key}, on the Azure SDK for Java with the JDK
 * HttpClient transport. Streaming writes go through the shared upload engine as staged blocks; reads land
 * straight in one buffer sized from the response's Content-Length; listings page lazily, one-level listings
 * through the service's delimiter (hierarchy) API.
 */
final class AzureObjectStore implements ObjectStore {
    static final int MAX_BATCH = 256;
    private static final long MAX_BUFFER = Integer.MAX_VALUE - 8;
    private static final Set<Capability> CAPABILITIES = Collections.unmodifiableSet(EnumSet.of(
            Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE, Capability.MULTIPART_UPLOAD,
            Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST, Capability.CONDITIONAL_WRITE));

    private final AzureClients clients;
    private final AzureConfig config;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** How deletePrefix ran, for tests and diagnostics: batch requests sent, and single deletes done instead. */
    private final AtomicLong batchRequests = new AtomicLong();
    private final AtomicLong singleDeletes = new AtomicLong();

    AzureObjectStore(AzureConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.clients = new AzureClients(config);
    }

    @Override
    public Set<String> schemes() {
        return Set.of("az");
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    long batchRequests() {
        return batchRequests.get();
    }

    long singleDeletes() {
        return singleDeletes.get();
    }

    // ---- clients -------------------------------------------------------------------------------------

    private BlobContainerClient container(Location location) {
        requireScheme(location, schemes());
        if (location.container().isEmpty()) {
            throw new IllegalArgumentException(location + " names no container; use az://account/container/...");
        }
        return clients.forLocation(location).sync().getBlobContainerClient(location.container());
    }

    private BlobClient blob(Location location) {
        requireObject(location);
        return container(location).getBlobClient(location.key());
    }

    /** The block-blob client of an object (package-private so tests can inspect committed block lists). */
    BlockBlobClient blockBlob(Location location) {
        return blob(location).getBlockBlobClient();
    }

    private BlobAsyncClient asyncBlob(Location location) {
        requireObject(location);
        requireScheme(location, schemes());
        return clients.forLocation(location).async().getBlobContainerAsyncClient(location.container())
                .getBlobAsyncClient(location.key());
    }

    // ---- reads ---------------------------------------------------------------------------------------

    @Override
    public ObjectBytes get(Location location) throws IOException {
        BlobAsyncClient client = asyncBlob(location);
        try {
            BlobDownloadAsyncResponse response = client.downloadStreamWithResponse(null, null, null, false).block();
            return ObjectBytes.wrap(intoNewBuffer(location, requireNonNull(response, "no response"), "get"));
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, location, "get");
        }
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        checkRange(location, offset, length);
        requireObject(location);
        if (offset == 0 && length.isEmpty()) {
            return get(location);
        }
        if (length.isPresent() && length.getAsLong() == 0) {
            // A zero-byte range has no HTTP form; the size check still tells "at the end" from "past it".
            rangeLength(location, offset, length, stat(location).size());
            return ObjectBytes.empty();
        }
        BlobAsyncClient client = asyncBlob(location);
        BlobRange range = new BlobRange(offset, length.isPresent() ? length.getAsLong() : null);
        try {
            BlobDownloadAsyncResponse response = client.downloadStreamWithResponse(range, null, null, false).block();
            return ObjectBytes.wrap(intoNewBuffer(location, requireNonNull(response, "no response"), "get range"));
        } catch (RuntimeException e) {
            if (AzureErrors.status(e) == 416) {
                // At or past the end (Azure refuses any range of an empty blob the same way).
                rangeLength(location, offset, length, stat(location).size());
                return ObjectBytes.empty();
            }
            throw AzureErrors.translate(e, location, "get range at " + offset);
        }
    }

    private static ByteBuffer intoNewBuffer(Location location, BlobDownloadAsyncResponse response, String operation)
            throws StorageException {
        Long contentLength = response.getDeserializedHeaders().getContentLength();
        long size = contentLength == null ? 0 : contentLength;
        if (size > MAX_BUFFER) {
            closeQuietly(response);
            throw new StorageException(location, operation + ": " + size + " bytes do not fit one buffer (2 GiB - 1); "
                    + "read the object in ranges");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        drain(location, response, buffer, size);
        return buffer.flip();
    }

    /** Copies the body into {@code target}, refusing a body longer or shorter than announced. */
    private static void drain(Location location, BlobDownloadAsyncResponse response, ByteBuffer target, long expected)
            throws StorageException {
        int start = target.position();
        response.getValue().doOnNext(chunk -> {
            if (chunk.remaining() > target.remaining()) {
                throw new IllegalStateException("the response body is longer than its Content-Length " + expected);
            }
            target.put(chunk);
        }).blockLast();
        long received = target.position() - start;
        if (received != expected) {
            throw new StorageException(location, "response ended after " + received + " of " + expected + " bytes", null,
                    StorageException.Retry.RETRYABLE);
        }
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        checkRange(location, offset, OptionalLong.empty());
        requireNonNull(target, "target is null");
        BlobAsyncClient client = asyncBlob(location);
        if (!target.hasRemaining()) {
            return new ReadResult(0, OptionalLong.empty());
        }
        BlobRange range = new BlobRange(offset, (long) target.remaining());
        try {
            BlobDownloadAsyncResponse response = requireNonNull(
                    client.downloadStreamWithResponse(range, null, null, false).block(), "no response");
            Long contentLength = response.getDeserializedHeaders().getContentLength();
            long length = contentLength == null ? 0 : contentLength;
            if (length > target.remaining()) {
                closeQuietly(response);
                throw new StorageException(location, "read at " + offset + ": the service sent " + length
                        + " bytes for a range of " + target.remaining());
            }
            OptionalLong size = totalSize(response.getDeserializedHeaders().getContentRange());
            if (size.isEmpty() && offset == 0) {
                size = OptionalLong.of(length); // a 200 without Content-Range carries the whole object
            }
            drain(location, response, target, length);
            return new ReadResult((int) length, size);
        } catch (RuntimeException e) {
            if (AzureErrors.status(e) == 416) {
                return new ReadResult(0, totalSizeOf416(e));
            }
            throw AzureErrors.translate(e, location, "read at " + offset);
        }
    }

    private static OptionalLong totalSizeOf416(RuntimeException e) {
        if (e instanceof BlobStorageException blob && blob.getResponse() != null) {
            return totalSize(blob.getResponse().getHeaders().getValue(com.azure.core.http.HttpHeaderName.CONTENT_RANGE));
        }
        return OptionalLong.empty();
    }

    /** The total of a {@code Content-Range: bytes a-b/total} (or {@code bytes *}{@code /total}) header. */
    static OptionalLong totalSize(String contentRange) {
        if (contentRange == null) {
            return OptionalLong.empty();
        }
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(contentRange.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    // ---- writes --------------------------------------------------------------------------------------

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        int size = data.remaining();
        WriteOptions sized = options.withExpectedSizeIfAbsent(size);
        if (options.compression().codec() == Compression.Codec.NONE && size <= sizing(sized).partSize(1)) {
            // One Put Blob straight from the caller's bytes: no copy into a part buffer, no engine threads.
            ByteBuffer view = data.duplicate();
            CRC32C crc = new CRC32C();
            crc.update(view.duplicate());
            Optional<String> etag = new BlockUploadTarget(location, blockBlob(location), options).putWhole(view);
            return new WriteResult(location, size, size, (int) crc.getValue(), etag);
        }
        // The writer learns the size too: parts sized for it, and a first buffer that need not grow.
        try (ObjectWriter writer = newWriter(location, sized)) {
            writer.write(data.duplicate());
            return writer.finish();
        }
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        return newWriter(location, options, UnaryOperator.identity());
    }

    /** The writer with its block target passed through {@code decorate} (tests inject faults this way). */
    PartedObjectWriter<String> newWriter(Location location, WriteOptions options,
            UnaryOperator<PartUploadTarget<String>> decorate) throws IOException {
        requireNonNull(options, "options is null");
        BlockBlobClient client = blockBlob(location);
        PartUploadTarget<String> target = decorate.apply(new BlockUploadTarget(location, client, options));
        return new PartedObjectWriter<>(location, options, target, sizing(options),
                config.blocksInFlight().orElse(config.uploads().uploadConcurrency()));
    }

    /** An explicit part size wins, then S3DLIO_AZURE_BLOCK_SIZE, then the adaptive policy for this object's size. */
    private PartSizing sizing(WriteOptions options) {
        WriteOptions sized = options.partSize().isPresent() || config.blockSize().isEmpty()
                ? options : options.withPartSize(config.blockSize().getAsLong());
        return config.uploads().partSizing(sized, UploadLimits.AZURE);
    }

    // ---- metadata ------------------------------------------------------------------------------------

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        BlobClient client = blob(location);
        try {
            BlobProperties properties = client.getPropertiesWithResponse(null, null, Context.NONE).getValue();
            return new ObjectInfo(location, properties.getBlobSize(), instant(properties.getLastModified()),
                    etag(properties.getETag()), Optional.ofNullable(properties.getContentType()),
                    properties.getMetadata() == null ? Map.of() : properties.getMetadata(),
                    Optional.ofNullable(properties.getAccessTier()).map(Object::toString),
                    Optional.ofNullable(properties.getVersionId()), Optional.empty());
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, location, "stat");
        }
    }

    @Override
    public boolean exists(Location location) throws IOException {
        BlobClient client = blob(location);
        try {
            client.getPropertiesWithResponse(null, null, Context.NONE);
            return true;
        } catch (RuntimeException e) {
            IOException translated = AzureErrors.translate(e, location, "exists");
            if (translated instanceof ObjectNotFoundException) {
                return false;
            }
            throw translated;
        }
    }

    // ---- listing -------------------------------------------------------------------------------------

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        requireNonNull(mode, "mode is null");
        BlobContainerClient client = container(prefix);
        ListBlobsOptions options = new ListBlobsOptions().setMaxResultsPerPage(config.listPageSize());
        if (!prefix.key().isEmpty()) {
            options.setPrefix(prefix.key());
        }
        Iterator<PagedResponse<BlobItem>> pages;
        try {
            pages = (mode == ListMode.RECURSIVE ? client.listBlobs(options, null)
                    : client.listBlobsByHierarchy("/", options, null)).iterableByPage().iterator();
            pages.hasNext(); // fetches the first page, so a missing container fails here, checked
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, prefix, "list");
        }
        return flatten(prefix, pages, item -> toEntry(prefix, item));
    }

    private static ListEntry toEntry(Location prefix, BlobItem item) {
        Location location = prefix.withKey(item.getName());
        if (Boolean.TRUE.equals(item.isPrefix())) {
            return new ListEntry.PrefixEntry(location);
        }
        BlobItemProperties properties = item.getProperties();
        Long length = properties == null ? null : properties.getContentLength();
        return new ListEntry.ObjectEntry(location, length == null ? 0 : length,
                properties == null ? Optional.empty() : instant(properties.getLastModified()),
                properties == null ? Optional.empty() : etag(properties.getETag()));
    }

    /** A lazy stream over paged results: the next page is fetched only when the previous one is used up. */
    private static <T, R> Stream<R> flatten(Location where, Iterator<PagedResponse<T>> pages, Function<T, R> mapper) {
        Iterator<R> items = new Iterator<>() {
            private Iterator<T> page = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                try {
                    while (!page.hasNext() && pages.hasNext()) {
                        page = pages.next().getValue().iterator();
                    }
                } catch (RuntimeException e) {
                    throw new UncheckedIOException(AzureErrors.translate(e, where, "list (next page)"));
                }
                return page.hasNext();
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return mapper.apply(page.next());
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(items, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    // ---- deletes -------------------------------------------------------------------------------------

    @Override
    public void delete(Location location) throws IOException {
        BlobClient client = blob(location);
        try {
            client.deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (RuntimeException e) {
            if (!BlobErrorCode.BLOB_NOT_FOUND.equals(AzureErrors.errorCode(e))) {
                throw AzureErrors.translate(e, location, "delete");
            }
        }
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        BlobContainerClient client = container(prefix);
        long deleted = 0;
        List<DeleteResult.Failure> failures = new ArrayList<>();
        List<Location> batch = new ArrayList<>(MAX_BATCH);
        try (Stream<ListEntry> entries = list(prefix, ListMode.RECURSIVE)) {
            Iterator<ListEntry> iterator = entries.iterator();
            while (true) {
                boolean more;
                try {
                    more = iterator.hasNext();
                } catch (UncheckedIOException e) {
                    // The listing broke after some deletes: report what is known, then fail as documented.
                    throw new StorageException(prefix, "delete prefix stopped after " + deleted + " deletes: listing failed: "
                            + e.getCause().getMessage(), e.getCause());
                }
                if (more) {
                    batch.add(iterator.next().location());
                }
                if (batch.size() == MAX_BATCH || (!more && !batch.isEmpty())) {
                    deleted += deleteBatch(client, batch, failures);
                    batch.clear();
                }
                if (!more) {
                    break;
                }
            }
        }
        return new DeleteResult(deleted, failures);
    }

    /** One Blob Batch request of up to 256 deletes; per-blob failures become data. */
    private long deleteBatch(BlobContainerClient container, List<Location> locations, List<DeleteResult.Failure> failures)
            throws IOException {
        BlobBatchClient batchClient = clients.forLocation(locations.get(0)).batch();
        BlobBatch batch = batchClient.getBlobBatch();
        List<Response<Void>> responses = new ArrayList<>(locations.size());
        for (Location location : locations) {
            // The URL form: the (container, name) overload failed every batch delete against Azurite.
            String url = container.getBlobClient(location.key()).getBlobUrl();
            responses.add(batch.deleteBlob(url, DeleteSnapshotsOptionType.INCLUDE, null));
        }
        try {
            batchClient.submitBatchWithResponse(batch, false, null, Context.NONE);
            batchRequests.incrementAndGet();
        } catch (RuntimeException e) {
            int status = AzureErrors.status(e);
            if (status == 400 || status == 404 || status == 405 || status == 501) {
                // A service or emulator without Blob Batch: delete one by one, still reporting each failure.
                return deleteOneByOne(locations, failures);
            }
            throw AzureErrors.translate(e, locations.get(0).containerRoot(), "blob batch delete of " + locations.size() + " blobs");
        }
        long deleted = 0;
        for (int i = 0; i < locations.size(); i++) {
            try {
                responses.get(i).getStatusCode();
                deleted++;
            } catch (RuntimeException e) {
                if (!BlobErrorCode.BLOB_NOT_FOUND.equals(AzureErrors.errorCode(e))) {
                    failures.add(new DeleteResult.Failure(locations.get(i),
                            AzureErrors.translate(e, locations.get(i), "batch delete").getMessage()));
                }
            }
        }
        return deleted;
    }

    private long deleteOneByOne(List<Location> locations, List<DeleteResult.Failure> failures) {
        long deleted = 0;
        for (Location location : locations) {
            try {
                delete(location);
                singleDeletes.incrementAndGet();
                deleted++;
            } catch (IOException e) {
                failures.add(new DeleteResult.Failure(location, e.getMessage()));
            }
        }
        return deleted;
    }

    // ---- copy and rename -----------------------------------------------------------------------------

    @Override
    public void copy(Location source, Location target) throws IOException {
        BlobClient from = blob(source);
        BlobClient to = blob(target);
        String sourceUrl = from.getBlobUrl();
        if (config.authentication() == AzureConfig.Authentication.SAS_TOKEN) {
            // The copy source is read by the service, so it needs its own authorization.
            sourceUrl += (sourceUrl.contains("?") ? "&" : "?") + config.sasToken().orElseThrow();
        }
        PollResponse<BlobCopyInfo> done;
        try {
            SyncPoller<BlobCopyInfo, Void> poller = to.beginCopy(sourceUrl, Duration.ofMillis(250));
            done = poller.waitForCompletion();
        } catch (RuntimeException e) {
            IOException translated = AzureErrors.translate(e, target, "copy from " + source);
            if (translated instanceof ObjectNotFoundException) {
                // 404 on a copy means the source (CannotVerifyCopySource / BlobNotFound); a missing target
                // container is reported as ContainerNotFound instead.
                throw new ObjectNotFoundException(source, e);
            }
            throw translated;
        }
        BlobCopyInfo info = done.getValue();
        if (info == null || info.getCopyStatus() != CopyStatusType.SUCCESS) {
            throw new StorageException(target, "copy from " + source + " ended with status "
                    + (info == null ? "unknown" : info.getCopyStatus() + ": " + info.getError()));
        }
    }

    @Override
    public void rename(Location source, Location target) throws IOException {
        requireObject(source);
        requireObject(target);
        if (source.equals(target)) {
            stat(source); // renaming onto itself changes nothing, but the source must exist
            return;
        }
        copy(source, target);
        delete(source);
    }

    // ---- containers ----------------------------------------------------------------------------------

    @Override
    public void createContainer(Location container) throws IOException {
        BlobContainerClient client = container(container);
        try {
            client.createIfNotExists();
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, container.containerRoot(), "create container");
        }
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        BlobContainerClient client = container(container);
        Location root = container.containerRoot();
        try {
            Iterator<PagedResponse<BlobItem>> first = client.listBlobs(new ListBlobsOptions().setMaxResultsPerPage(1), null)
                    .iterableByPage().iterator();
            if (first.hasNext()) {
                List<BlobItem> items = first.next().getValue();
                if (!items.isEmpty()) {
                    // Azure deletes non-empty containers; the contract (and safety) says refuse.
                    throw new StorageException(root, "container is not empty (it holds '" + items.get(0).getName()
                            + "' and maybe more); delete its objects first");
                }
            }
            client.deleteIfExists();
        } catch (RuntimeException e) {
            if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(AzureErrors.errorCode(e))) {
                return;
            }
            throw AzureErrors.translate(e, root, "delete container");
        }
    }

    @Override
    public Stream<Location> listContainers(Location scope) throws IOException {
        requireScheme(scope, schemes());
        String account = scope.account();
        if (account.isEmpty()) {
            throw new IllegalArgumentException(scope + " names no storage account; use az://account");
        }
        Location accountRoot = new Location("az", account, "", "");
        Iterator<PagedResponse<BlobContainerItem>> pages;
        try {
            pages = clients.forLocation(accountRoot).sync().listBlobContainers().iterableByPage().iterator();
            pages.hasNext();
        } catch (RuntimeException e) {
            throw AzureErrors.translate(e, accountRoot, "list containers");
        }
        return flatten(accountRoot, pages, item -> new Location("az", account, item.getName(), ""));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            clients.close();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** Drops a body we will not read, so its connection is released. */
    private static void closeQuietly(BlobDownloadAsyncResponse response) {
        try {
            response.close();
        } catch (IOException | RuntimeException e) {
            // The body is being discarded anyway; the caller reports the real problem.
        }
    }

    static Optional<String> etag(String etag) {
        if (etag == null || etag.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1) : etag);
    }

    private static Optional<Instant> instant(OffsetDateTime time) {
        return Optional.ofNullable(time).map(OffsetDateTime::toInstant);
    }

    @Override
    public String toString() {
        return "AzureObjectStore[" + config + "]";
    }
}
