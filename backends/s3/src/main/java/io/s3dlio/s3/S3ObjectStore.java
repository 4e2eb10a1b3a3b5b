package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.engine.tuning.UploadPolicy;
import io.s3dlio.engine.upload.PartBufferPool;
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.engine.upload.UploadLimits;
import io.s3dlio.spi.AbstractObjectStore;
import io.s3dlio.spi.ArrayReads;
import io.s3dlio.spi.BufferReads;
import io.s3dlio.spi.BatchDeletes;
import io.s3dlio.spi.ContainerProbe;
import io.s3dlio.spi.ContentRange;
import io.s3dlio.spi.FullObjectCrc;
import io.s3dlio.spi.ETags;
import io.s3dlio.spi.Puts;
import io.s3dlio.spi.FirstByte;
import io.s3dlio.spi.StoreChecks;
import io.s3dlio.spi.StreamedRangeReads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.SdkAutoCloseable;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * s3:// on the AWS SDK for Java v2 with the sync Apache HTTP client, called from the caller's (usually
 * virtual) threads. Each call is one request except where noted (copy HEADs its source first to pick
 * CopyObject or multipart copy). Retries happen in one layer per request ({@link S3Config#maxRetries()}): the
 * SDK's for every request but GETs, {@link S3Reads} for GETs (whole request, body included, with resume).
 */
final class S3ObjectStore extends AbstractObjectStore implements StreamedRangeReads, ContainerProbe, ArrayReads,
        BufferReads {
    static final Set<String> SCHEMES = Set.of("s3");
    private static final Set<Capability> CAPABILITIES = Set.of(Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE,
            Capability.MULTIPART_UPLOAD, Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST,
            Capability.CONDITIONAL_WRITE);
    /** With checksums validated (the default): stat asks for the stored full-object CRC32C. */
    private static final Set<Capability> CAPABILITIES_VERIFIED = Set.copyOf(java.util.stream.Stream.concat(
            CAPABILITIES.stream(), Stream.of(Capability.FULL_OBJECT_CRC32C)).toList());
    /** ... and objects without one are checked by their MD5 ETag (S3DLIO_S3_VERIFY_CHUNKED_MD5, the default). */
    private static final Set<Capability> CAPABILITIES_VERIFIED_MD5 = Set.copyOf(java.util.stream.Stream.concat(
            CAPABILITIES_VERIFIED.stream(), Stream.of(Capability.FULL_OBJECT_MD5)).toList());
    /** CopyObject's limit; larger objects are copied with UploadPartCopy. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART_SIZE = 512L * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;

    private final S3Config config;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final S3Client s3;
    /** GETs: the retries of the whole read are S3Reads' (see there). */
    private final S3Client readClient;
    /** One thread, owned here: aborts reads whose deadline passed (S3DLIO_S3_REQUEST_TIMEOUT). */
    private final ScheduledExecutorService watchdog;
    private final S3Reads reads;
    /**
     * Part buffers of every multipart upload of this store, direct and reused across uploads, and bounded for
     * all of them together: at most S3DLIO_UPLOAD_CONCURRENCY parts (filling or uploading) at once, however many
     * objects upload concurrently, so the memory of uploads is that many parts, not that many per object.
     */
    private final PartBufferPool partBuffers;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The lean request path, whose plain-http connections of UploadParts this store closes. */
    private final Optional<LeanRequests> lean;
    /**
     * Body arrays of whole small objects read by {@link #readInto}, reused: a 64 KiB download allocated (and the
     * JVM zeroed) one array per object, a third of all it allocated. At most {@link #IDLE_BODIES} stay idle.
     */
    private final BlockingQueue<byte[]> bodies = new ArrayBlockingQueue<>(IDLE_BODIES);
    private static final int POOLED_BODY = 256 * 1024;
    private static final int IDLE_BODIES = 32;

    S3ObjectStore(S3Config config) {
        super(SCHEMES, requireNonNull(config, "config is null").responseChecksum() != S3Config.ChecksumMode.WHEN_SUPPORTED
                ? CAPABILITIES : config.verifyChunkedMd5() ? CAPABILITIES_VERIFIED_MD5 : CAPABILITIES_VERIFIED);
        this.config = config;
        this.credentials = S3Clients.credentials(config);
        this.http = S3Clients.httpClient(config);
        ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
                .name("s3dlio-s3-read-deadline-", 0).factory());
        // A deadline per read (and per lean attempt) is cancelled as soon as it is met: drop it from the queue
        // then, not minutes later when it would have fired.
        deadlines.setRemoveOnCancelPolicy(true);
        this.watchdog = deadlines;
        try {
            Optional<LeanRequests> lean = LeanRequests.create(config, credentials, http, watchdog);
            this.lean = lean;
            this.s3 = S3Clients.client(config, credentials, http, lean);
            this.readClient = S3Clients.readClient(config, credentials, http, s3, lean);
        } catch (RuntimeException e) {
            watchdog.shutdownNow();
            throw e;
        }
        this.reads = new S3Reads(readClient, config.maxRetries() + 1, readClient != s3, config.requestTimeout(),
                config.responseChecksum() == S3Config.ChecksumMode.WHEN_SUPPORTED, watchdog, System::nanoTime);
        this.partBuffers = PartBufferPool.bounded(config.uploads().uploadConcurrency(), true);
    }

    S3Config config() {
        return config;
    }

    /** The part buffers of this store's uploads, for tests that check their bound. */
    PartBufferPool partBuffers() {
        return partBuffers;
    }

    /** The SDK client, for tests that check the server side (e.g. ListMultipartUploads). */
    S3Client client() {
        return s3;
    }

    /** The client GETs go through, for tests. */
    S3Client readClient() {
        return readClient;
    }

    /** Whether the store's Apache HTTP client was built (for tests: plain-http GETs and HEADs never build it). */
    boolean httpClientBuilt() {
        return !(http instanceof S3Clients.LazyHttpClient lazy) || lazy.built();
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        return get(location, OptionalLong.empty(), size -> null); // no caller's array: one of the object's size
    }

    /**
     * ArrayReads: the whole-object GET of {@link #get}, its body read into the caller's array when it fits (the
     * whole-object checksum is checked by the body stream, whatever array the bytes land in), else into one of its
     * own size as {@code get} reads it. The size hint is not needed: one GET either way.
     */
    @Override
    public ObjectBytes get(Location location, OptionalLong size, IntFunction<byte[]> arrays) throws IOException {
        requireObject(location);
        requireNonNull(arrays, "arrays is null");
        try (S3Reads.Body in = reads.open(location,
                GetObjectRequest.builder().bucket(location.container()).key(location.key()).build())) {
            FirstByte.mark();
            long count = requireLength(location, in.response().contentLength());
            byte[] into = count <= StoreChecks.MAX_BUFFER ? arrays.apply((int) count) : null;
            if (into == null || into.length < count) {
                return readBody(location, in, 0, count);
            }
            readFully(location, in, into, 0, (int) count);
            return ObjectBytes.wrap(ByteBuffer.wrap(into, 0, (int) count));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET", e);
        }
    }

    /**
     * BufferReads: the whole-object GET of {@link #get}, its body read into the caller's buffer when it fits; over
     * plain http straight from the socket (no copy in Java into a direct buffer), the whole-object checksum checked
     * as for any read. Else as {@code get} reads it.
     */
    @Override
    public ObjectBytes getInto(Location location, OptionalLong size, IntFunction<ByteBuffer> buffers) throws IOException {
        requireObject(location);
        requireNonNull(buffers, "buffers is null");
        try (S3Reads.Body in = reads.open(location,
                GetObjectRequest.builder().bucket(location.container()).key(location.key()).build())) {
            FirstByte.mark();
            long count = requireLength(location, in.response().contentLength());
            ByteBuffer into = count <= StoreChecks.MAX_BUFFER ? buffers.apply((int) count) : null;
            if (into == null || into.remaining() < count) {
                return readBody(location, in, 0, count);
            }
            ByteBuffer target = into.slice(into.position(), (int) count);
            readFully(location, in, target);
            return ObjectBytes.wrap(target.flip());
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET", e);
        }
    }

    /**
     * A whole object of at most {@value #POOLED_BODY} bytes (the size listed) in one GET, read into a reused array
     * and handed to {@code sink} from it; the body is checked as {@link #get} checks it (the whole-object CRC32C
     * or MD5, when the response has one). Larger or unknown sizes read as the interface's default does.
     */
    @Override
    public long readInto(Location location, OptionalLong size, ObjectSink sink) throws IOException {
        if (size.isEmpty() || size.getAsLong() <= 0 || size.getAsLong() > POOLED_BODY) {
            return super.readInto(location, size, sink);
        }
        requireObject(location);
        byte[] body = bodies.poll();
        if (body == null) {
            body = new byte[POOLED_BODY];
        }
        try (S3Reads.Body in = reads.open(location,
                GetObjectRequest.builder().bucket(location.container()).key(location.key()).build())) {
            FirstByte.mark();
            long count = requireLength(location, in.response().contentLength());
            if (count > body.length) {
                // It grew since it was listed: one array of its size, as get reads it.
                ObjectBytes bytes = readBody(location, in, 0, count);
                sink.write(0, bytes.buffer());
                return bytes.size();
            }
            readFully(location, in, body, 0, (int) count);
            if (count > 0) {
                sink.write(0, ByteBuffer.wrap(body, 0, (int) count));
            }
            return count;
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET", e);
        } finally {
            bodies.offer(body);
        }
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        requireObject(location);
        StoreChecks.checkRange(location, offset, length);
        if (length.isPresent() && length.getAsLong() == 0) {
            // No Range header can ask for zero bytes; the HEAD still checks existence and the offset.
            StoreChecks.rangeLength(location, offset, length, stat(location).size());
            return ObjectBytes.empty();
        }
        OptionalLong last = length.isPresent() ? OptionalLong.of(offset + length.getAsLong() - 1) : OptionalLong.empty();
        try (S3Reads.Body in = rangedGet(location, offset, last)) {
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
            ObjectBytes bytes = readBody(location, in, skip, count);
            if (skip > 0 || length.isPresent()) {
                in.abort(); // do not drain the rest of a whole-object response
            }
            return bytes;
        } catch (SdkException e) {
            throw S3Errors.translate(location, "GET (range)", e);
        }
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        requireNonNull(target, "target is null");
        return read(location, offset, target.remaining(), target, null);
    }

    /**
     * StreamedRangeReads: true when GETs go on the plain-http connections, whose bodies are read into a direct
     * buffer straight from the socket ({@link S3Reads.Body#read(ByteBuffer)}); over https (the Apache client's
     * stream) a direct buffer would cost a copy from a heap array.
     */
    @Override
    public boolean readsIntoDirect() {
        return config.leanGet() && lean.map(l -> l.plainGets(config.endpoints().uris())).orElse(false);
    }

    /** One ranged GET whose body is handed to {@code sink} a buffer-full at a time (StreamedRangeReads). */
    @Override
    public ReadResult readStreamed(Location location, long offset, int length, ByteBuffer buffer, ObjectSink sink)
            throws IOException {
        requireNonNull(buffer, "buffer is null");
        requireNonNull(sink, "sink is null");
        if (length < 0 || buffer.capacity() == 0) {
            throw new IllegalArgumentException(location + ": negative length " + length + " or an empty buffer");
        }
        return read(location, offset, length, buffer, sink);
    }

    /**
     * One GET of {@code [offset, offset + length)}: into {@code target} when {@code sink} is null, else through
     * {@code target} (reused from index 0 for each piece) to {@code sink}.
     */
    private ReadResult read(Location location, long offset, int length, ByteBuffer target, ObjectSink sink)
            throws IOException {
        requireObject(location);
        if (offset < 0) {
            throw new IllegalArgumentException(location + ": negative offset " + offset);
        }
        if (length == 0) {
            return new ReadResult(0, OptionalLong.empty()); // nothing asked, nothing sent
        }
        S3Reads.Body ranged;
        try {
            ranged = reads.open(location, GetObjectRequest.builder().bucket(location.container()).key(location.key())
                    .range("bytes=" + offset + "-" + (offset + length - 1)).build());
        } catch (SdkException e) {
            if (S3Errors.statusCode(e) != 416 && !S3Errors.errorCode(e).equals("InvalidRange")) {
                throw S3Errors.translate(location, "GET (range)", e);
            }
            // At or past the end (or an empty object): a 416 carries "Content-Range: bytes */size", so the range
            // engine learns the size without a HEAD. Only a server that leaves it out costs a HEAD.
            OptionalLong total = ContentRange.totalSize(unsatisfiedContentRange(e));
            return new ReadResult(0, total.isPresent() ? total : OptionalLong.of(stat(location).size()));
        }
        try (S3Reads.Body in = ranged) {
            FirstByte.mark();
            GetObjectResponse response = in.response();
            long count = requireLength(location, response.contentLength());
            OptionalLong objectSize = ContentRange.totalSize(response.contentRange());
            if (response.contentRange() == null) {
                objectSize = OptionalLong.of(count);
                if (offset >= count) {
                    in.abort();
                    return new ReadResult(0, objectSize);
                }
                skipFully(location, in, offset);
                count = count - offset;
            }
            int n = (int) Math.min(count, length);
            if (sink != null) {
                streamTo(location, in, offset, n, target, sink);
            } else if (target.hasArray()) {
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
    private S3Reads.Body rangedGet(Location location, long first, OptionalLong last) throws IOException {
        String range = "bytes=" + first + "-" + (last.isPresent() ? Long.toString(last.getAsLong()) : "");
        try {
            return reads.open(location, GetObjectRequest.builder().bucket(location.container()).key(location.key())
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

    /**
     * {@code count} bytes of a response body after skipping {@code skip}, in one buffer; a count too large for
     * one buffer is refused before anything is read.
     */
    private static ObjectBytes readBody(Location location, S3Reads.Body in, long skip,
            long count) throws IOException {
        if (count > StoreChecks.MAX_BUFFER) {
            in.abort(); // do not drain a body we refuse
            StoreChecks.requireOneBuffer(location, count);
        }
        skipFully(location, in, skip);
        byte[] data = new byte[(int) count];
        readFully(location, in, data, 0, data.length);
        return ObjectBytes.wrap(data);
    }

    private static long requireLength(Location location, Long contentLength) throws StorageException {
        if (contentLength == null || contentLength < 0) {
            throw new StorageException(location, "response has no Content-Length");
        }
        return contentLength;
    }

    /**
     * {@code n} body bytes from {@code at} to {@code sink}, a buffer-full at a time. A direct buffer is filled
     * through the body's own {@link S3Reads.Body#read(ByteBuffer)}: on the plain-http connections straight from the
     * socket (the JDK's temporary direct buffer and its copy into an array skipped), else through a bounce array.
     */
    private static void streamTo(Location location, S3Reads.Body in, long at, int n, ByteBuffer buffer,
            ObjectSink sink) throws IOException {
        for (int done = 0; done < n; ) {
            int step = Math.min(n - done, buffer.capacity());
            if (buffer.hasArray()) {
                readFully(location, in, buffer.array(), buffer.arrayOffset(), step);
            } else {
                readFully(location, in, buffer.slice(0, step));
            }
            // A fresh view for each piece: the sink may move its position and the buffer's own stays untouched.
            sink.write(at + done, buffer.slice(0, step));
            done += step;
        }
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

    /** Fills {@code into} (position to limit) from the body; a body that ends first is a retryable failure. */
    private static void readFully(Location location, S3Reads.Body in, ByteBuffer into) throws IOException {
        int length = into.remaining();
        while (into.hasRemaining()) {
            if (in.read(into) < 0) {
                throw new StorageException(location, "connection ended after " + (length - into.remaining()) + " of "
                        + length + " bytes", null, StorageException.Retry.RETRYABLE);
            }
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
        requireObject(location);
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        if (Puts.needsWriter(options)) {
            return Puts.throughWriter(this, location, data, options);
        }
        return Puts.singleRequest(location, data, view -> S3Uploads.putObject(s3, location, view, options,
                config.requestChecksum()));
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        requireObject(location);
        requireNonNull(options, "options is null");
        return new PartedObjectWriter<>(location, options, new S3Uploads.Target(s3, location, options, config.requestChecksum()),
                config.uploads().plan(options, UploadLimits.S3, UploadPolicy.BackendOverride.NONE), partBuffers);
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        requireObject(location);
        try {
            boolean checksums = config.responseChecksum() == S3Config.ChecksumMode.WHEN_SUPPORTED;
            // x-amz-checksum-mode: ENABLED, or AWS leaves the stored checksums out of the HEAD.
            HeadObjectResponse head = s3.headObject(b -> b.bucket(location.container()).key(location.key())
                    .checksumMode(checksums ? software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED : null));
            return new ObjectInfo(location,
                    requireLength(location, head.contentLength()),
                    Optional.ofNullable(head.lastModified()),
                    ETags.unquote(head.eTag()),
                    Optional.ofNullable(head.contentType()),
                    head.metadata() == null ? Map.of() : head.metadata(),
                    Optional.ofNullable(head.storageClassAsString()),
                    Optional.ofNullable(head.versionId()).filter(v -> !v.equals("null")),
                    fullObjectCrc(head, FullObjectCrc.CRC32C, head.checksumCRC32C()),
                    S3Reads.md5ETag(head.eTag(), head.serverSideEncryptionAsString(), head.sseCustomerAlgorithm()),
                    fullObjectCrc(head, FullObjectCrc.CRC32, head.checksumCRC32()),
                    fullObjectCrc(head, FullObjectCrc.CRC64NVME, head.checksumCRC64NVME()));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "HEAD", e);
        }
    }

    /**
     * A stored CRC ({@code value}, from its {@code x-amz-checksum-<kind>} header) when it is of the whole object's
     * bytes; a composite one ("...-N", type COMPOSITE: a checksum of the parts' checksums) is not.
     */
    private static Optional<String> fullObjectCrc(HeadObjectResponse head, FullObjectCrc kind, String value) {
        if (head.checksumType() == software.amazon.awssdk.services.s3.model.ChecksumType.COMPOSITE) {
            return Optional.empty();
        }
        return Optional.ofNullable(value).filter(stored -> kind.parseBase64(stored).isPresent());
    }

    /**
     * Pages through ListObjectsV2 ({@link S3Listing}: one page fetched ahead of the caller). The first page is
     * fetched here, so a missing bucket fails on this call; later pages fail as the stream is consumed.
     */
    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        listablePrefix(prefix);
        requireNonNull(mode, "mode is null");
        return S3Listing.stream(s3, prefix, mode);
    }

    /**
     * One HeadBucket (the lean path where GETs go it, so a bulk upload of small files never builds the SDK client
     * for this check); a missing bucket fails naming it, as the listing did.
     */
    @Override
    public void requireContainer(Location container) throws IOException {
        Location bucket = bucket(container);
        try {
            s3.headBucket(software.amazon.awssdk.services.s3.model.HeadBucketRequest.builder()
                    .bucket(bucket.container()).build());
        } catch (SdkException e) {
            if (S3Errors.errorCode(e).equals("NoSuchBucket") || S3Errors.statusCode(e) == 404) {
                throw new ContainerNotFoundException(bucket, e);
            }
            throw S3Errors.translate(bucket, "HEAD bucket", e);
        }
    }

    @Override
    public void delete(Location location) throws IOException {
        requireObject(location);
        try {
            s3.deleteObject(b -> b.bucket(location.container()).key(location.key()));
        } catch (SdkException e) {
            throw S3Errors.translate(location, "DELETE", e);
        }
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        try (Stream<ListEntry> entries = list(prefix, ListMode.RECURSIVE)) {
            return BatchDeletes.deleteAll(prefix, entries.map(ListEntry::location).iterator(), DELETE_BATCH,
                    batch -> deleteBatch(prefix, batch));
        }
    }

    @Override
    public DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        return BatchDeletes.deleteAll(StoreChecks.requireObjects(locations, SCHEMES), DELETE_BATCH,
                batch -> deleteBatch(batch.getFirst().containerRoot(), batch));
    }

    private Location listablePrefix(Location prefix) {
        StoreChecks.requireScheme(requireNonNull(prefix, "prefix is null"), SCHEMES);
        if (prefix.container().isEmpty()) {
            throw new IllegalArgumentException(prefix + " names no bucket");
        }
        return prefix;
    }

    /**
     * One DeleteObjects request in the bucket of {@code prefix}; keys the service refuses become failures instead of
     * exceptions.
     */
    private List<BatchDeletes.Outcome> deleteBatch(Location prefix, List<Location> batch) throws IOException {
        List<ObjectIdentifier> ids = batch.stream().map(key -> ObjectIdentifier.builder().key(key.key()).build()).toList();
        DeleteObjectsResponse response;
        try {
            response = s3.deleteObjects(b -> b.bucket(prefix.container())
                    .delete(Delete.builder().objects(ids).quiet(true).build()));
        } catch (SdkException e) {
            throw S3Errors.translate(prefix, "DeleteObjects", e);
        }
        Map<String, String> refused = new java.util.HashMap<>();
        for (S3Error error : response.errors()) {
            refused.put(error.key(), error.code() + ": " + error.message());
        }
        return batch.stream().map(key -> refused.containsKey(key.key())
                ? BatchDeletes.Outcome.failed(key, key + ": " + refused.get(key.key()))
                : BatchDeletes.Outcome.deleted(key)).toList();
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        requireObject(source);
        requireObject(target);
        long size = stat(source).size();
        if (source.equals(target)) {
            return; // onto itself: the source exists, nothing changes (AWS refuses such a CopyObject)
        }
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
            watchdog.shutdownNow();
            if (readClient != s3) {
                readClient.close();
            }
            s3.close();
            lean.ifPresent(LeanRequests::close);
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
