package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Capability;
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
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.engine.upload.UploadLimits;
import io.s3dlio.spi.FirstByte;
import io.s3dlio.spi.StoreChecks;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
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
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.CRC32C;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * s3:// on the AWS SDK for Java v2 with the sync Apache HTTP client, called from the caller's (usually
 * virtual) threads. Each call is one request except where noted (copy HEADs its source first to pick
 * CopyObject or multipart copy). Retries happen only in the SDK's retry layer ({@link S3Config#maxRetries()}).
 */
final class S3ObjectStore implements ObjectStore {
    static final Set<String> SCHEMES = Set.of("s3");
    private static final Set<Capability> CAPABILITIES = Set.of(Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE,
            Capability.MULTIPART_UPLOAD, Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST);
    /** CopyObject's limit; larger objects are copied with UploadPartCopy. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART_SIZE = 512L * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;
    private static final int MAX_BUFFER = Integer.MAX_VALUE - 8;

    private final S3Config config;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final S3Client s3;
    private final AtomicBoolean closed = new AtomicBoolean();

    S3ObjectStore(S3Config config) {
        this.config = requireNonNull(config, "config is null");
        this.credentials = S3Clients.credentials(config);
        this.http = S3Clients.httpClient(config);
        this.s3 = S3Clients.client(config, credentials, http);
    }

    S3Config config() {
        return config;
    }

    /** The SDK client, for tests that check the server side (e.g. ListMultipartUploads). */
    S3Client client() {
        return s3;
    }

    @Override
    public Set<String> schemes() {
        return SCHEMES;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    private static Location object(Location location) {
        return StoreChecks.requireObject(StoreChecks.requireScheme(location, SCHEMES));
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        object(location);
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(
                GetObjectRequest.builder().bucket(location.container()).key(location.key()).build())) {
            FirstByte.mark();
            long size = requireLength(location, in.response().contentLength());
            if (size > MAX_BUFFER) {
                in.abort();
                throw new StorageException(location, "object is " + size
                        + " bytes, larger than one buffer can hold (2 GiB); read it with getRange in parts");
            }
            byte[] data = new byte[(int) size];
            readFully(location, in, data, 0, data.length);
            return ObjectBytes.wrap(data);
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET", e);
        }
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        object(location);
        StoreChecks.checkRange(location, offset, length);
        if (length.isPresent() && length.getAsLong() == 0) {
            // No Range header can ask for zero bytes; the HEAD still checks existence and the offset.
            StoreChecks.rangeLength(location, offset, length, stat(location).size());
            return ObjectBytes.empty();
        }
        OptionalLong last = length.isPresent() ? OptionalLong.of(offset + length.getAsLong() - 1) : OptionalLong.empty();
        try (ResponseInputStream<GetObjectResponse> in = rangedGet(location, offset, last)) {
            FirstByte.mark();
            if (in == null) {
                // 416: the offset is at or past the end; the size tells which.
                StoreChecks.rangeLength(location, offset, length, stat(location).size());
                return ObjectBytes.empty();
            }
            long count = requireLength(location, in.response().contentLength());
            long skip = 0;
            if (in.response().contentRange() == null) {
                // The server ignored the Range header and sent the whole object.
                skip = offset;
                count = StoreChecks.rangeLength(location, offset, length, count);
            }
            if (count > MAX_BUFFER) {
                in.abort();
                throw new StorageException(location, "range of " + count
                        + " bytes is larger than one buffer can hold (2 GiB); read it in smaller ranges");
            }
            skipFully(location, in, skip);
            byte[] data = new byte[(int) count];
            readFully(location, in, data, 0, data.length);
            if (skip > 0 || length.isPresent()) {
                in.abort(); // do not drain the rest of a whole-object response
            }
            return ObjectBytes.wrap(data);
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET (range)", e);
        }
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        object(location);
        requireNonNull(target, "target is null");
        if (offset < 0) {
            throw new IllegalArgumentException(location + ": negative offset " + offset);
        }
        if (!target.hasRemaining()) {
            return new ReadResult(0, OptionalLong.empty()); // nothing asked, nothing sent
        }
        ResponseInputStream<GetObjectResponse> ranged;
        try {
            ranged = s3.getObject(GetObjectRequest.builder().bucket(location.container()).key(location.key())
                    .range("bytes=" + offset + "-" + (offset + target.remaining() - 1)).build());
        } catch (SdkException e) {
            if (S3Errors.statusCode(e) != 416 && !S3Errors.errorCode(e).equals("InvalidRange")) {
                throw S3Errors.translate(location, "GET (range)", e);
            }
            // At or past the end (or an empty object): a 416 carries "Content-Range: bytes */size", so the range
            // engine learns the size without a HEAD. Only a server that leaves it out costs a HEAD.
            OptionalLong total = totalSize(unsatisfiedContentRange(e));
            return new ReadResult(0, total.isPresent() ? total : OptionalLong.of(stat(location).size()));
        }
        try (ResponseInputStream<GetObjectResponse> in = ranged) {
            FirstByte.mark();
            GetObjectResponse response = in.response();
            long count = requireLength(location, response.contentLength());
            OptionalLong objectSize = totalSize(response.contentRange());
            if (response.contentRange() == null) {
                objectSize = OptionalLong.of(count);
                if (offset >= count) {
                    in.abort();
                    return new ReadResult(0, objectSize);
                }
                skipFully(location, in, offset);
                count = count - offset;
            }
            int n = (int) Math.min(count, target.remaining());
            if (target.hasArray()) {
                readFully(location, in, target.array(), target.arrayOffset() + target.position(), n);
                target.position(target.position() + n);
            } else {
                byte[] chunk = new byte[Math.min(n, 256 * 1024)];
                int left = n;
                while (left > 0) {
                    int step = Math.min(left, chunk.length);
                    readFully(location, in, chunk, 0, step);
                    target.put(chunk, 0, step);
                    left -= step;
                }
            }
            if (count > n) {
                in.abort();
            }
            return new ReadResult(n, objectSize);
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET (range)", e);
        }
    }

    /** A ranged GET, or null when the server answers 416 (offset at or past the end). */
    private ResponseInputStream<GetObjectResponse> rangedGet(Location location, long first, OptionalLong last) {
        String range = "bytes=" + first + "-" + (last.isPresent() ? Long.toString(last.getAsLong()) : "");
        try {
            return s3.getObject(GetObjectRequest.builder().bucket(location.container()).key(location.key())
                    .range(range).build());
        } catch (SdkException e) {
            if (S3Errors.statusCode(e) == 416 || S3Errors.errorCode(e).equals("InvalidRange")) {
                return null;
            }
            throw e;
        }
    }

    /** The Content-Range header of a 416 answer, or null. */
    private static String unsatisfiedContentRange(SdkException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException service
                && service.awsErrorDetails() != null && service.awsErrorDetails().sdkHttpResponse() != null) {
            return service.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Content-Range").orElse(null);
        }
        return null;
    }

    /** The total from {@code Content-Range: bytes a-b/total}. */
    static OptionalLong totalSize(String contentRange) {
        if (contentRange == null) {
            return OptionalLong.empty();
        }
        int slash = contentRange.lastIndexOf('/');
        if (slash < 0 || slash == contentRange.length() - 1 || contentRange.charAt(slash + 1) == '*') {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(contentRange.substring(slash + 1).trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static long requireLength(Location location, Long contentLength) throws StorageException {
        if (contentLength == null || contentLength < 0) {
            throw new StorageException(location, "response has no Content-Length");
        }
        return contentLength;
    }

    private static void readFully(Location location, InputStream in, byte[] into, int offset, int length)
            throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) {
                throw new StorageException(location, "connection ended after " + done + " of " + length
                        + " bytes", null, StorageException.Retry.RETRYABLE);
            }
            done += n;
        }
    }

    private static void skipFully(Location location, InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long n = in.skip(left);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new StorageException(location, "connection ended while skipping to the range start",
                            null, StorageException.Retry.RETRYABLE);
                }
                n = 1;
            }
            left -= n;
        }
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        object(location);
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        if (options.compression().codec() != io.s3dlio.api.Compression.Codec.NONE) {
            // One code path compresses: the writer.
            WriteOptions sized = options.withExpectedSizeIfAbsent(data.remaining());
            try (ObjectWriter writer = newWriter(location, sized)) {
                writer.write(data.duplicate());
                return writer.finish();
            }
        }
        ByteBuffer view = data.duplicate();
        CRC32C crc = new CRC32C();
        crc.update(view.duplicate());
        Optional<String> etag = S3Uploads.putObject(s3, location, view, options);
        return new WriteResult(location, view.remaining(), view.remaining(), (int) crc.getValue(), etag);
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        object(location);
        requireNonNull(options, "options is null");
        PartSizing sizing = config.uploads().partSizing(options, UploadLimits.S3);
        return new PartedObjectWriter<>(location, options, new S3Uploads.Target(s3, location, options), sizing,
                config.uploads().uploadConcurrency());
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        object(location);
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(location.container()).key(location.key()));
            return new ObjectInfo(location,
                    requireLength(location, head.contentLength()),
                    Optional.ofNullable(head.lastModified()),
                    Optional.ofNullable(head.eTag()).map(S3ObjectStore::unquote),
                    Optional.ofNullable(head.contentType()),
                    head.metadata() == null ? Map.of() : head.metadata(),
                    Optional.ofNullable(head.storageClassAsString()),
                    Optional.ofNullable(head.versionId()).filter(v -> !v.equals("null")),
                    Optional.ofNullable(head.checksumCRC32C()));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "HEAD", e);
        }
    }

    static String unquote(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    @Override
    public boolean exists(Location location) throws IOException {
        try {
            stat(location);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        StoreChecks.requireScheme(requireNonNull(prefix, "prefix is null"), SCHEMES);
        requireNonNull(mode, "mode is null");
        if (prefix.container().isEmpty()) {
            throw new IllegalArgumentException(prefix + " names no bucket; list buckets with listContainers");
        }
        ListPages pages = new ListPages(prefix, mode);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Pages through ListObjectsV2 as the stream is consumed: one page in memory at a time. Within a page,
     * objects and common prefixes are merged in key order.
     */
    private final class ListPages implements Iterator<ListEntry> {
        private final Location prefix;
        private final ListMode mode;
        private Iterator<ListEntry> page = java.util.Collections.emptyIterator();
        private String continuation;
        private boolean lastPage;

        ListPages(Location prefix, ListMode mode) {
            this.prefix = prefix;
            this.mode = mode;
        }

        @Override
        public boolean hasNext() {
            while (!page.hasNext() && !lastPage) {
                fetch();
            }
            return page.hasNext();
        }

        @Override
        public ListEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return page.next();
        }

        private void fetch() {
            ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(prefix.container());
            if (!prefix.key().isEmpty()) {
                request.prefix(prefix.key());
            }
            if (mode == ListMode.ONE_LEVEL) {
                request.delimiter("/");
            }
            if (continuation != null) {
                request.continuationToken(continuation);
            }
            ListObjectsV2Response response;
            try {
                response = s3.listObjectsV2(request.build());
            } catch (SdkException e) {
                throw new UncheckedIOException(S3Errors.translate(prefix, "LIST", e));
            }
            List<ListEntry> entries = new ArrayList<>(response.contents().size() + response.commonPrefixes().size());
            for (S3Object object : response.contents()) {
                entries.add(new ListEntry.ObjectEntry(prefix.withKey(object.key()), object.size() == null ? 0 : object.size(),
                        Optional.ofNullable(object.lastModified()), Optional.ofNullable(object.eTag()).map(S3ObjectStore::unquote)));
            }
            for (CommonPrefix common : response.commonPrefixes()) {
                entries.add(new ListEntry.PrefixEntry(prefix.withKey(common.prefix())));
            }
            if (!response.commonPrefixes().isEmpty()) {
                entries.sort(java.util.Comparator.comparing(entry -> entry.location().key()));
            }
            page = entries.iterator();
            continuation = response.nextContinuationToken();
            lastPage = !Boolean.TRUE.equals(response.isTruncated()) || continuation == null;
        }
    }

    @Override
    public void delete(Location location) throws IOException {
        object(location);
        try {
            s3.deleteObject(b -> b.bucket(location.container()).key(location.key()));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "DELETE", e);
        }
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        long deleted = 0;
        List<DeleteResult.Failure> failures = new ArrayList<>();
        List<ObjectIdentifier> batch = new ArrayList<>(DELETE_BATCH);
        Iterator<ListEntry> entries = new ListPages(listablePrefix(prefix), ListMode.RECURSIVE);
        boolean started = false;
        try {
            while (entries.hasNext()) {
                started = true;
                batch.add(ObjectIdentifier.builder().key(entries.next().location().key()).build());
                if (batch.size() == DELETE_BATCH) {
                    deleted += deleteBatch(prefix, batch, failures);
                    batch.clear();
                }
            }
        } catch (UncheckedIOException e) {
            if (!started) {
                throw e.getCause(); // the listing could not start: nothing was deleted
            }
            failures.add(new DeleteResult.Failure(prefix, "listing stopped: " + e.getCause().getMessage()));
        }
        if (!batch.isEmpty()) {
            deleted += deleteBatch(prefix, batch, failures);
        }
        return new DeleteResult(deleted, failures);
    }

    private Location listablePrefix(Location prefix) {
        StoreChecks.requireScheme(requireNonNull(prefix, "prefix is null"), SCHEMES);
        if (prefix.container().isEmpty()) {
            throw new IllegalArgumentException(prefix + " names no bucket");
        }
        return prefix;
    }

    /** One DeleteObjects request; failed keys become failures instead of exceptions. */
    private long deleteBatch(Location prefix, List<ObjectIdentifier> batch, List<DeleteResult.Failure> failures) {
        try {
            DeleteObjectsResponse response = s3.deleteObjects(b -> b.bucket(prefix.container())
                    .delete(Delete.builder().objects(batch).quiet(true).build()));
            for (S3Error error : response.errors()) {
                failures.add(new DeleteResult.Failure(prefix.withKey(error.key()), error.code() + ": " + error.message()));
            }
            return batch.size() - response.errors().size();
        } catch (SdkException e) {
            String cause = S3Errors.translate(prefix, "DeleteObjects", e).getMessage();
            for (ObjectIdentifier id : batch) {
                failures.add(new DeleteResult.Failure(prefix.withKey(id.key()), cause));
            }
            return 0;
        }
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        object(source);
        object(target);
        long size = stat(source).size();
        try {
            if (size <= MAX_SINGLE_COPY) {
                s3.copyObject(b -> b.sourceBucket(source.container()).sourceKey(source.key())
                        .destinationBucket(target.container()).destinationKey(target.key()));
            } else {
                multipartCopy(source, target, size,
                        Math.max(COPY_PART_SIZE, (size + UploadLimits.S3.maxParts() - 1) / UploadLimits.S3.maxParts()));
            }
        } catch (SdkException e) {
            throw S3Errors.translate(target, "COPY from " + source, e);
        }
    }

    /** UploadPartCopy for objects above CopyObject's 5 GiB limit; aborts the upload on any failure. */
    void multipartCopy(Location source, Location target, long size, long partSize) {
        HeadObjectResponse head = s3.headObject(b -> b.bucket(source.container()).key(source.key()));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(target.container()).key(target.key())
                .contentType(head.contentType()).metadata(head.metadata())).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long first = 0; first < size; first += partSize, number++) {
                long last = Math.min(size, first + partSize) - 1;
                int partNumber = number;
                String range = "bytes=" + first + "-" + last;
                CopyPartResult result = s3.uploadPartCopy(b -> b.sourceBucket(source.container()).sourceKey(source.key())
                        .destinationBucket(target.container()).destinationKey(target.key()).uploadId(uploadId)
                        .partNumber(partNumber).copySourceRange(range)).copyPartResult();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(result.eTag()).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(target.container()).key(target.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(target.container()).key(target.key()).uploadId(uploadId));
            } catch (SdkException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
    }

    @Override
    public void rename(Location source, Location target) throws IOException {
        copy(source, target);
        delete(source);
    }

    @Override
    public void createContainer(Location container) throws IOException {
        Location bucket = bucket(container);
        try {
            s3.createBucket(b -> {
                b.bucket(bucket.container());
                String region = config.region().orElse("us-east-1");
                if (!region.equals("us-east-1")) {
                    b.createBucketConfiguration(c -> c.locationConstraint(region));
                }
            });
        } catch (SdkException e) {
            if (S3Errors.errorCode(e).equals("BucketAlreadyOwnedByYou")) {
                return;
            }
            if (S3Errors.errorCode(e).equals("BucketAlreadyExists")) {
                throw new StorageException(bucket, "bucket '" + bucket.container()
                        + "' already exists and belongs to another account", e);
            }
            throw S3Errors.translate(bucket, "CreateBucket", e);
        }
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        Location bucket = bucket(container);
        try {
            s3.deleteBucket(b -> b.bucket(bucket.container()));
        } catch (SdkException e) {
            String code = S3Errors.errorCode(e);
            if (code.equals("NoSuchBucket") || (code.isEmpty() && S3Errors.statusCode(e) == 404)) {
                return;
            }
            if (code.equals("BucketNotEmpty")) {
                throw new StorageException(bucket, "bucket '" + bucket.container() + "' is not empty", e);
            }
            throw S3Errors.translate(bucket, "DeleteBucket", e);
        }
    }

    private static Location bucket(Location container) {
        StoreChecks.requireScheme(requireNonNull(container, "container is null"), SCHEMES);
        if (container.container().isEmpty()) {
            throw new IllegalArgumentException(container + " names no bucket");
        }
        return container.containerRoot();
    }

    @Override
    public Stream<Location> listContainers(Location scope) throws IOException {
        StoreChecks.requireScheme(requireNonNull(scope, "scope is null"), SCHEMES);
        Location root = new Location("s3", "", "", "");
        try {
            return s3.listBuckets().buckets().stream().map(b -> new Location("s3", "", b.name(), ""));
        } catch (SdkException e) {
            throw S3Errors.translate(root, "ListBuckets", e);
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            s3.close();
            http.close();
            if (credentials instanceof SdkAutoCloseable closeable) {
                closeable.close(); // the default chain caches and refreshes credentials on its own threads
            }
        }
    }

    @Override
    public String toString() {
        return "S3ObjectStore[" + config.endpoint().map(Object::toString).orElse("AWS") + "]";
    }
}
