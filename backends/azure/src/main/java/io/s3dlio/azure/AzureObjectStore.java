package io.s3dlio.azure;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;
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
import io.s3dlio.spi.BodyDigest;
import io.s3dlio.spi.ContentRange;
import io.s3dlio.spi.Crc32c;
import io.s3dlio.spi.ETags;
import io.s3dlio.spi.PagedListing;
import io.s3dlio.spi.Puts;
import io.s3dlio.spi.StoreChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Azure Blob Storage behind {@code az://account/container/key}, on the Azure SDK for Java with the JDK
 * HttpClient transport. Streaming writes go through the shared upload engine as staged blocks; reads land
 * straight in one buffer sized from the response's Content-Length; listings page lazily, one-level listings
 * through the service's delimiter (hierarchy) API.
 */
final class AzureObjectStore extends AbstractObjectStore {
    static final int MAX_BATCH = 256;
    private static final Set<String> SCHEMES = Set.of("az");
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(
            Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE, Capability.MULTIPART_UPLOAD,
            Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST, Capability.CONDITIONAL_WRITE,
            Capability.FULL_OBJECT_CRC32C));

    private final AzureClients clients;
    private final AzureConfig config;
    private final AtomicBoolean closed = new AtomicBoolean();

    AzureObjectStore(AzureConfig config) {
        super(SCHEMES, CAPABILITIES);
        this.config = requireNonNull(config, "config is null");
        this.clients = new AzureClients(config);
    }

    // ---- clients -------------------------------------------------------------------------------------

    private BlobContainerClient container(Location location) {
        requireScheme(location, SCHEMES);
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
        requireScheme(location, SCHEMES);
        return clients.forLocation(location).async().getBlobContainerAsyncClient(location.container())
                .getBlobAsyncClient(location.key());
    }

    // ---- reads ---------------------------------------------------------------------------------------

    @Override
    public ObjectBytes get(Location location) throws IOException {
        BlobAsyncClient client = asyncBlob(location);
        try {
            long deadline = deadline();
            BlobDownloadAsyncResponse response = requireNonNull(client.downloadStreamWithResponse(null, null, null, false)
                    .block(left(location, deadline)), "no response");
            return ObjectBytes.wrap(intoNewBuffer(location, response, wholeBlobMd5(response, 0), deadline));
        } catch (RuntimeException e) {
            throw translateRead(location, "get", e);
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
            long deadline = deadline();
            BlobDownloadAsyncResponse response = requireNonNull(client.downloadStreamWithResponse(range, null, null, false)
                    .block(left(location, deadline)), "no response");
            return ObjectBytes.wrap(intoNewBuffer(location, response, wholeBlobMd5(response, offset), deadline));
        } catch (RuntimeException e) {
            if (AzureErrors.statusCode(e) == 416) {
                // At or past the end (Azure refuses any range of an empty blob the same way).
                rangeLength(location, offset, length, stat(location).size());
                return ObjectBytes.empty();
            }
            throw translateRead(location, "get range at " + offset, e);
        }
    }

    private ByteBuffer intoNewBuffer(Location location, BlobDownloadAsyncResponse response, BodyDigest digest,
            long deadline) throws StorageException {
        Long contentLength = response.getDeserializedHeaders().getContentLength();
        long size = contentLength == null ? 0 : contentLength;
        if (size > StoreChecks.MAX_BUFFER) {
            closeQuietly(response);
            StoreChecks.requireOneBuffer(location, size);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        drain(location, response, buffer, size, digest, deadline);
        return buffer.flip();
    }

    /**
     * Copies the body into {@code target}, refusing a body longer or shorter than announced, checking it against
     * the blob's stored MD5 when {@code digest} is given, and giving up at {@code deadline} (the SDK resumes a
     * failed body itself, within S3DLIO_AZURE_MAX_TRIES, but nothing of its own cuts one that stalls or drips).
     */
    private void drain(Location location, BlobDownloadAsyncResponse response, ByteBuffer target, long expected,
            BodyDigest digest, long deadline) throws StorageException {
        int start = target.position();
        response.getValue().doOnNext(chunk -> {
            if (chunk.remaining() > target.remaining()) {
                throw new IllegalStateException("the response body is longer than its Content-Length " + expected);
            }
            if (digest != null) {
                digest.update(chunk.duplicate());
            }
            target.put(chunk);
        }).blockLast(left(location, deadline));
        long received = (long) target.position() - start;
        if (received != expected) {
            throw new StorageException(location, "response ended after " + received + " of " + expected + " bytes", null,
                    StorageException.Retry.RETRYABLE);
        }
        if (digest != null) {
            digest.verify(location);
        }
    }

    /** When a read started now must end ({@code System.nanoTime()} based). */
    private long deadline() {
        return System.nanoTime() + config.requestTimeout().toNanos();
    }

    /** Time left before {@code deadline}; a read past it fails naming the setting. */
    private Duration left(Location location, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new DeadlineExceeded(location + ": read gave up after " + config.requestTimeout().toMillis()
                    + " ms (the request deadline, S3DLIO_AZURE_REQUEST_TIMEOUT)");
        }
        return Duration.ofNanos(left);
    }

    /** A read's deadline passed: {@link #translateRead} turns it into a retryable storage error. */
    private static final class DeadlineExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DeadlineExceeded(String message) {
            super(message);
        }
    }

    /** The SDK's errors, plus the deadline (Reactor's "Timeout on blocking read", or ours). */
    private IOException translateRead(Location location, String operation, RuntimeException e) {
        if (e instanceof DeadlineExceeded || (e instanceof IllegalStateException && e.getMessage() != null
                && e.getMessage().startsWith("Timeout on blocking read"))) {
            return new StorageException(location, operation + " gave up after " + config.requestTimeout().toMillis()
                    + " ms (the request deadline, S3DLIO_AZURE_REQUEST_TIMEOUT)", e, StorageException.Retry.RETRYABLE);
        }
        return AzureErrors.translate(location, operation, e);
    }

    /**
     * The blob's stored MD5 when this response carries the whole blob from {@code offset} 0: {@code Content-MD5}
     * on a whole-blob answer, {@code x-ms-blob-content-md5} (the whole blob's) on a ranged one. Null otherwise, or
     * when the blob has no MD5 (a block list committed without one).
     */
    private BodyDigest wholeBlobMd5(BlobDownloadAsyncResponse response, long offset) {
        if (offset != 0) {
            return null;
        }
        var headers = response.getDeserializedHeaders();
        Long length = headers.getContentLength();
        OptionalLong total = ContentRange.totalSize(headers.getContentRange());
        if (length == null || (total.isPresent() && total.getAsLong() != length)) {
            return null; // a part of the blob
        }
        byte[] md5 = total.isPresent() ? headers.getBlobContentMD5() : headers.getContentMd5();
        if (md5 == null && total.isEmpty()) {
            md5 = headers.getBlobContentMD5();
        }
        return md5 == null || md5.length != 16 ? null : BodyDigest.expecting(BodyDigest.Algorithm.MD5,
                Base64.getEncoder().encodeToString(md5), BodyDigest.Encoding.BASE64);
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
            long deadline = deadline();
            BlobDownloadAsyncResponse response = requireNonNull(client.downloadStreamWithResponse(range, null, null, false)
                    .block(left(location, deadline)), "no response");
            Long contentLength = response.getDeserializedHeaders().getContentLength();
            long length = contentLength == null ? 0 : contentLength;
            if (length > target.remaining()) {
                closeQuietly(response);
                throw new StorageException(location, "read at " + offset + ": the service sent " + length
                        + " bytes for a range of " + target.remaining());
            }
            OptionalLong size = ContentRange.totalSize(response.getDeserializedHeaders().getContentRange());
            if (size.isEmpty() && offset == 0) {
                size = OptionalLong.of(length); // a 200 without Content-Range carries the whole object
            }
            drain(location, response, target, length, wholeBlobMd5(response, offset), deadline);
            return new ReadResult((int) length, size);
        } catch (RuntimeException e) {
            if (AzureErrors.statusCode(e) == 416) {
                return new ReadResult(0, totalSizeOf416(e));
            }
            throw translateRead(location, "read at " + offset, e);
        }
    }

    private static OptionalLong totalSizeOf416(RuntimeException e) {
        if (e instanceof BlobStorageException blob && blob.getResponse() != null) {
            return ContentRange.totalSize(blob.getResponse().getHeaders().getValue(com.azure.core.http.HttpHeaderName.CONTENT_RANGE));
        }
        return OptionalLong.empty();
    }

    // ---- writes --------------------------------------------------------------------------------------

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        WriteOptions sized = options.withExpectedSizeIfAbsent(data.remaining());
        if (!Puts.needsWriter(options) && data.remaining() <= plan(sized).firstPartSize()) {
            // One Put Blob straight from the caller's bytes: no copy into a part buffer, no engine threads.
            BlockUploadTarget target = new BlockUploadTarget(location, blockBlob(location), options);
            return Puts.singleRequest(location, data, target::putWhole);
        }
        return Puts.throughWriter(this, location, data, sized);
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        requireNonNull(options, "options is null");
        BlockBlobClient client = blockBlob(location);
        return new PartedObjectWriter<>(location, options, new BlockUploadTarget(location, client, options), plan(options));
    }

    /** S3DLIO_AZURE_BLOCK_SIZE and S3DLIO_AZURE_BLOCKS_IN_FLIGHT are this backend's own upload settings. */
    private UploadPlan plan(WriteOptions options) {
        return config.uploads().plan(options, UploadLimits.AZURE,
                new UploadPolicy.BackendOverride(config.blockSize(), config.blocksInFlight()));
    }

    // ---- metadata ------------------------------------------------------------------------------------

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        BlobClient client = blob(location);
        try {
            BlobProperties properties = client.getPropertiesWithResponse(null, null, Context.NONE).getValue();
            // The CRC32C our writers record (BlockUploadTarget) is the blob's checksum, not the caller's metadata.
            Map<String, String> metadata = new java.util.HashMap<>(
                    properties.getMetadata() == null ? Map.of() : properties.getMetadata());
            Optional<String> crc32c = Optional.ofNullable(metadata.remove(Crc32c.AZURE_METADATA))
                    .filter(value -> Crc32c.parseBase64(value).isPresent());
            return new ObjectInfo(location, properties.getBlobSize(), instant(properties.getLastModified()),
                    ETags.unquote(properties.getETag()), Optional.ofNullable(properties.getContentType()),
                    metadata,
                    Optional.ofNullable(properties.getAccessTier()).map(Object::toString),
                    Optional.ofNullable(properties.getVersionId()), crc32c);
        } catch (RuntimeException e) {
            throw AzureErrors.translate(location, "stat", e);
        }
    }

    @Override
    public boolean exists(Location location) throws IOException {
        BlobClient client = blob(location);
        try {
            client.getPropertiesWithResponse(null, null, Context.NONE);
            return true;
        } catch (RuntimeException e) {
            IOException translated = AzureErrors.translate(location, "exists", e);
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
        } catch (RuntimeException e) {
            throw AzureErrors.translate(prefix, "list", e);
        }
        return paged(prefix, "list", pages, item -> toEntry(prefix, item), entry -> entry.location().key());
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
                properties == null ? Optional.empty() : ETags.unquote(properties.getETag()));
    }

    /**
     * A lazy stream over the SDK's pages. The first page is fetched here, so a missing container fails on the
     * call, checked; later pages as the stream is consumed.
     */
    private static <T, R> Stream<R> paged(Location where, String operation, Iterator<PagedResponse<T>> pages,
            Function<T, R> mapper, Function<? super R, String> sortKey) throws IOException {
        PagedResponse<T> first;
        try {
            first = pages.hasNext() ? pages.next() : null;
        } catch (RuntimeException e) {
            throw AzureErrors.translate(where, operation, e);
        }
        if (first == null) {
            return Stream.empty();
        }
        return PagedListing.stream(first, new PagedListing.Pages<PagedResponse<T>, R>() {
            @Override
            public List<R> values(PagedResponse<T> page) {
                return page.getValue().stream().map(mapper).toList();
            }

            @Override
            public Optional<PagedResponse<T>> next(PagedResponse<T> page) throws IOException {
                try {
                    return pages.hasNext() ? Optional.of(pages.next()) : Optional.empty();
                } catch (RuntimeException e) {
                    throw AzureErrors.translate(where, operation + " (next page)", e);
                }
            }
        }, sortKey);
    }

    // ---- deletes -------------------------------------------------------------------------------------

    @Override
    public void delete(Location location) throws IOException {
        BlobClient client = blob(location);
        try {
            client.deleteWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null, Context.NONE);
        } catch (RuntimeException e) {
            if (!BlobErrorCode.BLOB_NOT_FOUND.equals(AzureErrors.errorCode(e))) {
                throw AzureErrors.translate(location, "delete", e);
            }
        }
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        BlobContainerClient client = container(prefix);
        try (Stream<ListEntry> entries = list(prefix, ListMode.RECURSIVE)) {
            return BatchDeletes.deleteAll(prefix, entries.map(ListEntry::location).iterator(), MAX_BATCH,
                    batch -> deleteBatch(client, batch));
        }
    }

    @Override
    public DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        List<Location> objects = StoreChecks.requireObjects(locations, SCHEMES);
        objects.forEach(this::container); // refuses, before any delete, a location naming no container
        return BatchDeletes.deleteAll(objects, MAX_BATCH, batch -> deleteBatch(container(batch.getFirst()), batch));
    }

    /** One Blob Batch request of up to 256 deletes; per-blob failures become outcomes. */
    private List<BatchDeletes.Outcome> deleteBatch(BlobContainerClient container, List<Location> locations)
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
        } catch (RuntimeException e) {
            int status = AzureErrors.statusCode(e);
            if (status == 400 || status == 404 || status == 405 || status == 501) {
                // A service or emulator without Blob Batch: delete one by one, still reporting each failure.
                return deleteOneByOne(locations);
            }
            throw AzureErrors.translate(locations.get(0).containerRoot(), "blob batch delete of " + locations.size() + " blobs", e);
        }
        List<BatchDeletes.Outcome> outcomes = new ArrayList<>(locations.size());
        for (int i = 0; i < locations.size(); i++) {
            Location location = locations.get(i);
            try {
                responses.get(i).getStatusCode();
                outcomes.add(BatchDeletes.Outcome.deleted(location));
            } catch (RuntimeException e) {
                outcomes.add(BlobErrorCode.BLOB_NOT_FOUND.equals(AzureErrors.errorCode(e))
                        ? BatchDeletes.Outcome.deleted(location)
                        : BatchDeletes.Outcome.failed(location, AzureErrors.translate(location, "batch delete", e).getMessage()));
            }
        }
        return outcomes;
    }

    private List<BatchDeletes.Outcome> deleteOneByOne(List<Location> locations) {
        List<BatchDeletes.Outcome> outcomes = new ArrayList<>(locations.size());
        for (Location location : locations) {
            try {
                delete(location);
                outcomes.add(BatchDeletes.Outcome.deleted(location));
            } catch (IOException e) {
                outcomes.add(BatchDeletes.Outcome.failed(location, e.getMessage()));
            }
        }
        return outcomes;
    }

    // ---- copy and rename -----------------------------------------------------------------------------

    @Override
    public void copy(Location source, Location target) throws IOException {
        if (sameObject(source, target)) {
            return;
        }
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
            IOException translated = AzureErrors.translate(target, "copy from " + source, e);
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

    // ---- containers ----------------------------------------------------------------------------------

    @Override
    public void createContainer(Location container) throws IOException {
        BlobContainerClient client = container(container);
        try {
            client.createIfNotExists();
        } catch (RuntimeException e) {
            throw AzureErrors.translate(container.containerRoot(), "create container", e);
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
            throw AzureErrors.translate(root, "delete container", e);
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
        } catch (RuntimeException e) {
            throw AzureErrors.translate(accountRoot, "list containers", e);
        }
        return paged(accountRoot, "list containers", pages, item -> new Location("az", account, item.getName(), ""),
                Location::container);
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

    private static Optional<Instant> instant(OffsetDateTime time) {
        return Optional.ofNullable(time).map(OffsetDateTime::toInstant);
    }

    @Override
    public String toString() {
        return "AzureObjectStore[" + config + "]";
    }
}
