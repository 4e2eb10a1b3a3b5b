package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.protocol.MarshallLocation;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.TimestampFormatTrait;
import software.amazon.awssdk.core.util.VersionInfo;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.utils.DateUtils;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * The lean request path of GetObject and HeadObject ({@code S3DLIO_S3_LEAN_GET}, default on for a configured
 * endpoint): the HTTP request is built here, signed with SigV4 as the SDK's own signer signs it ({@link LeanSigner})
 * with credentials from the store's provider (which caches and refreshes them), and executed on the store's one
 * Apache HTTP client (over plain http without a proxy on the store's own sockets instead, {@link PlainHttpBodies}); the
 * SDK's per-request pipeline (interceptors, auth-scheme and endpoint rules, execution attributes, reflective
 * marshalling, its own checksum stream over a body the store already verifies) is skipped. That pipeline was
 * about half of the client's Java CPU per GiB on 8 MiB ranged GETs and most of it on 64 KiB GETs
 * (docs/BENCHMARKS.md).
 *
 * <p>What callers see is what the SDK gives them: a {@link ResponseInputStream} of a {@link GetObjectResponse}
 * (or a {@link HeadObjectResponse}) whose header fields are filled through the SDK model's own field
 * descriptors, so every header the SDK would map (ETag, Content-Range, x-amz-checksum-*, metadata, ...) is
 * there, and the raw response as {@code sdkHttpResponse()}; failures are the SDK's exception types
 * ({@link S3Exception} with the S3 XML error's code and message and the raw response, {@link SdkClientException}
 * with the I/O cause, {@link AbortedException} when interrupted, {@link ApiCallAttemptTimeoutException}), so
 * {@link S3Errors}, {@link S3Reads} and {@link BalancedS3Client} classify and retry them exactly as before.
 *
 * <p>Requests it cannot build as the SDK would (no configured endpoint, i.e. AWS itself with its endpoint
 * rules; a virtual-host bucket name that is not one DNS label; request fields other than bucket, key, range,
 * If-Match and checksum mode) go to the SDK client instead; {@link #supports} decides.
 */
final class LeanRequests {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    private static final String USER_AGENT = "aws-sdk-java/" + VersionInfo.SDK_VERSION + " s3dlio-lean";
    private static final Headers<GetObjectResponse.Builder> GET_HEADERS = new Headers<>(GetObjectResponse::builder);
    private static final Headers<HeadObjectResponse.Builder> HEAD_HEADERS = new Headers<>(HeadObjectResponse::builder);
    private static final Headers<UploadPartResponse.Builder> PART_HEADERS = new Headers<>(UploadPartResponse::builder);
    private static final Headers<PutObjectResponse.Builder> PUT_HEADERS = new Headers<>(PutObjectResponse::builder);
    /** Metadata sent as-is in headers: printable ASCII only; anything else is left to the SDK's marshalling. */
    private static final Pattern HEADER_TEXT = Pattern.compile("[\\x20-\\x7e]*");

    private final SdkHttpClient http;
    private final AwsCredentialsProvider credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    /** Signs every lean request whose credentials have a key (the signing key cached per day). */
    private final LeanSigner leanSigner;
    private final String region;
    private final boolean pathStyle;
    private final ScheduledExecutorService timer;
    private final boolean gets;
    private final boolean parts;
    private final boolean unsignedPayload;
    /** UploadParts over plain http: their bodies straight from the part buffers (null: all on the Apache client). */
    private final PlainHttpBodies plainParts;
    /** GETs and HEADs over plain http on the same connections (null: all on the Apache client). */
    private final PlainHttpBodies plainGets;
    private final boolean lists;

    private LeanRequests(SdkHttpClient http, AwsCredentialsProvider credentials, String region, boolean pathStyle,
            ScheduledExecutorService timer, boolean gets, boolean parts, boolean unsignedPayload,
            PlainHttpBodies plainParts, PlainHttpBodies plainGets, boolean lists) {
        this.http = requireNonNull(http, "http is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.region = requireNonNull(region, "region is null");
        this.leanSigner = new LeanSigner(region, java.time.Clock.systemUTC());
        this.pathStyle = pathStyle;
        this.timer = requireNonNull(timer, "timer is null");
        this.gets = gets;
        this.parts = parts;
        this.unsignedPayload = unsignedPayload;
        this.plainParts = plainParts;
        this.plainGets = plainGets;
        this.lists = lists;
    }

    /**
     * The lean path for {@code config}, or empty when it is off for both GETs/HEADs ({@code
     * S3DLIO_S3_LEAN_GET=false}) and UploadParts ({@code S3DLIO_S3_LEAN_PUT=false}), or there is no configured
     * endpoint (AWS itself: its endpoint rules, FIPS, dual-stack and the like stay the SDK's). {@code timer} runs
     * attempt timeouts; it belongs to the caller.
     */
    static Optional<LeanRequests> create(S3Config config, AwsCredentialsProvider credentials, SdkHttpClient http,
            ScheduledExecutorService timer) {
        if ((!config.leanGet() && !config.leanPut() && !config.leanList()) || config.endpoints().uris().isEmpty()) {
            return Optional.empty();
        }
        // An http proxy (system properties or HTTP_PROXY, as the Apache client reads them) keeps every part on
        // the Apache client, which goes through it; the plain sockets do not.
        // GETs, HEADs and list pages share them (S3DLIO_S3_PLAIN_HTTP_GET): no Apache client is built for them.
        boolean plainGets = config.plainHttpGet() && (config.leanGet() || config.leanList());
        PlainHttpBodies plain = (config.leanPut() || plainGets) && ProxyConfiguration.builder().build().host() == null
                ? new PlainHttpBodies(config.connectTimeout(), config.readTimeout(), config.maxConnections()) : null;
        return Optional.of(new LeanRequests(http, credentials, S3Clients.region(config).id(),
                config.addressing() == S3Config.Addressing.PATH, timer, config.leanGet(), config.leanPut(),
                config.unsignedPayload(), config.leanPut() ? plain : null, plainGets ? plain : null,
                config.leanList()));
    }

    /** Closes the plain-http connections (the Apache client is the store's to close). */
    void close() {
        if (plainParts != null) {
            plainParts.close();
        }
        if (plainGets != null) {
            plainGets.close(); // the same connections as plainParts' when both are on: closing twice is harmless
        }
    }

    /** Requests sent on the plain-http sockets so far (tests). */
    long plainRequests() {
        return plainParts == null ? 0 : plainParts.sent();
    }

    /** Whether a GET can go this way: only the fields the store's reads set. */
    boolean supports(GetObjectRequest request) {
        return gets && addressable(request.bucket()) && request.equalsBySdkFields(GetObjectRequest.builder()
                .bucket(request.bucket()).key(request.key()).range(request.range()).ifMatch(request.ifMatch())
                .checksumMode(request.checksumModeAsString()).build());
    }

    /** Whether a HEAD can go this way: bucket, key and checksum mode only. */
    boolean supports(HeadObjectRequest request) {
        return gets && addressable(request.bucket()) && request.equalsBySdkFields(HeadObjectRequest.builder()
                .bucket(request.bucket()).key(request.key()).checksumMode(request.checksumModeAsString()).build());
    }

    /** Whether a HeadBucket can go this way (the GET/HEAD switch): the bucket name and nothing else. */
    boolean supports(HeadBucketRequest request) {
        return gets && addressable(request.bucket())
                && request.equalsBySdkFields(HeadBucketRequest.builder().bucket(request.bucket()).build());
    }

    /**
     * Whether an UploadPart can go this way: the fields {@link S3Uploads.Target} sets (bucket, key, upload id,
     * part number, length and, with checksums on, a CRC32C computed by the caller; one the SDK would have to
     * compute is not built here), no override configuration, and a body the caller can resend.
     */
    boolean supports(UploadPartRequest request, ContentStreamProvider body) {
        if (!parts || !addressable(request.bucket()) || request.overrideConfiguration().isPresent()
                || !(body instanceof S3Uploads.BufferContent) || request.uploadId() == null || request.partNumber() == null
                || request.contentLength() == null) {
            return false;
        }
        String algorithm = request.checksumAlgorithmAsString();
        if (algorithm != null && !(algorithm.equals("CRC32C") && request.checksumCRC32C() != null)) {
            return false;
        }
        return request.equalsBySdkFields(UploadPartRequest.builder().bucket(request.bucket()).key(request.key())
                .uploadId(request.uploadId()).partNumber(request.partNumber()).contentLength(request.contentLength())
                .checksumAlgorithm(algorithm).checksumCRC32C(request.checksumCRC32C()).build());
    }

    /**
     * One UploadPart attempt on {@code endpoint}, no retries: a plain body of {@code contentLength} bytes (no
     * aws-chunked encoding), its SHA-256 signed over http as the SDK signs it ({@code UNSIGNED-PAYLOAD} over
     * https, or over http with {@code S3DLIO_S3_UNSIGNED_PAYLOAD}), the caller's CRC32C in
     * {@code x-amz-checksum-crc32c} for the server to check. {@code bytes} is told the body's length.
     */
    UploadPartResponse uploadPart(URI endpoint, UploadPartRequest request, ContentStreamProvider body,
            LongConsumer bytes) {
        SdkHttpFullRequest.Builder http = request(endpoint, SdkHttpMethod.PUT, request.bucket(), request.key())
                .putRawQueryParameter("partNumber", Integer.toString(request.partNumber()))
                .putRawQueryParameter("uploadId", request.uploadId())
                .putHeader("Content-Length", Long.toString(request.contentLength()))
                .putHeader("Content-Type", "application/octet-stream");
        if (request.checksumCRC32C() != null) {
            http.putHeader("x-amz-sdk-checksum-algorithm", "CRC32C");
            http.putHeader("x-amz-checksum-crc32c", request.checksumCRC32C());
        }
        // Over http the part goes from its buffer to the socket in one gathering write (plainParts); the Apache
        // client's entity would copy it through 4 KiB reads into 8 KiB socket writes.
        Exchange exchange = execute(http.build(), body, null,
                plainParts != null && "http".equals(endpoint.getScheme()) ? plainParts : null);
        if (exchange.body != null) {
            drainQuietly(exchange.body);
        }
        bytes.accept(request.contentLength());
        UploadPartResponse.Builder response = PART_HEADERS.fill(exchange.response);
        response.sdkHttpResponse(exchange.response);
        return response.build();
    }

    /**
     * Whether a PutObject can go this way (the same switch as UploadParts): the fields {@link S3Uploads#putObject}
     * sets (bucket, key, length, content type, metadata in printable ASCII, If-None-Match, If-Match), no checksum
     * the SDK would have to compute (a CRC32C value given by the caller is sent as a header), no override
     * configuration, and a body the caller can resend (or an empty object, sent as a plain empty body).
     */
    boolean supports(PutObjectRequest request, ContentStreamProvider body) {
        if (!parts || !addressable(request.bucket()) || request.overrideConfiguration().isPresent()
                || request.contentLength() == null
                || !(body instanceof S3Uploads.BufferContent || request.contentLength() == 0)) {
            return false;
        }
        String algorithm = request.checksumAlgorithmAsString();
        if (algorithm != null && !(algorithm.equals("CRC32C") && request.checksumCRC32C() != null)) {
            return false;
        }
        PutObjectRequest.Builder known = PutObjectRequest.builder().bucket(request.bucket()).key(request.key())
                .contentLength(request.contentLength()).contentType(request.contentType())
                .ifNoneMatch(request.ifNoneMatch()).ifMatch(request.ifMatch())
                .checksumAlgorithm(algorithm).checksumCRC32C(request.checksumCRC32C());
        if (request.hasMetadata()) {
            for (Map.Entry<String, String> entry : request.metadata().entrySet()) {
                if (entry.getKey().isEmpty() || !HEADER_TEXT.matcher(entry.getKey()).matches()
                        || !HEADER_TEXT.matcher(entry.getValue()).matches()) {
                    return false;
                }
            }
            known.metadata(request.metadata());
        }
        return request.equalsBySdkFields(known.build());
    }

    /**
     * One PutObject attempt on {@code endpoint}, no retries: built as {@link #uploadPart} builds a part (plain
     * body, payload SHA-256 signed over http, the caller's CRC32C in {@code x-amz-checksum-crc32c} for the server
     * to check), with the object's content type (the SDK's default otherwise), {@code x-amz-meta-} headers and
     * conditions. {@code bytes} is told the body's length.
     */
    PutObjectResponse putObject(URI endpoint, PutObjectRequest request, ContentStreamProvider body,
            LongConsumer bytes) {
        SdkHttpFullRequest.Builder http = request(endpoint, SdkHttpMethod.PUT, request.bucket(), request.key())
                .putHeader("Content-Length", Long.toString(request.contentLength()))
                .putHeader("Content-Type", request.contentType() != null ? request.contentType()
                        : "application/octet-stream");
        if (request.checksumCRC32C() != null) {
            http.putHeader("x-amz-sdk-checksum-algorithm", "CRC32C");
            http.putHeader("x-amz-checksum-crc32c", request.checksumCRC32C());
        }
        if (request.ifNoneMatch() != null) {
            http.putHeader("If-None-Match", request.ifNoneMatch());
        }
        if (request.ifMatch() != null) {
            http.putHeader("If-Match", request.ifMatch());
        }
        if (request.hasMetadata()) {
            request.metadata().forEach((name, value) -> http.putHeader("x-amz-meta-" + name, value));
        }
        ContentStreamProvider content = request.contentLength() == 0
                ? new S3Uploads.BufferContent(java.nio.ByteBuffer.allocate(0)) : body;
        // Over http the object goes from its buffer to the socket in one gathering write, as the parts do.
        Exchange exchange = execute(http.build(), content, null,
                plainParts != null && "http".equals(endpoint.getScheme()) ? plainParts : null);
        if (exchange.body != null) {
            drainQuietly(exchange.body);
        }
        bytes.accept(request.contentLength());
        PutObjectResponse.Builder response = PUT_HEADERS.fill(exchange.response);
        response.sdkHttpResponse(exchange.response);
        return response.build();
    }

    /** Whether a ListObjectsV2 can go the {@link LeanListing} way ({@code S3DLIO_S3_LEAN_LIST}). */
    boolean supports(ListObjectsV2Request request) {
        return lists && addressable(request.bucket()) && LeanListing.supports(request);
    }

    /**
     * One GET of {@code bucket} itself (path {@code /bucket}, or {@code /} on the bucket's virtual host) with
     * {@code query}, no retries: the 2xx body, open, for {@link LeanListing} to parse; anything else is thrown.
     */
    AbortableInputStream getBucket(URI endpoint, String bucket, Map<String, String> query) {
        SdkHttpFullRequest.Builder http = request(endpoint, SdkHttpMethod.GET, bucket, ""); // "/bucket", as the SDK
        query.forEach(http::putRawQueryParameter);
        Exchange exchange = execute(http.build(), null, null, plainFor(endpoint));
        return exchange.body != null ? exchange.body : AbortableInputStream.create(InputStream.nullInputStream());
    }

    /** The plain-http connections for a GET or HEAD to {@code endpoint}, or null (https, a proxy, switched off). */
    private PlainHttpBodies plainFor(URI endpoint) {
        return plainGets != null && "http".equals(endpoint.getScheme()) ? plainGets : null;
    }

    private boolean addressable(String bucket) {
        return bucket != null && !bucket.isEmpty() && (pathStyle || DNS_LABEL.matcher(bucket).matches());
    }

    /**
     * One GetObject attempt on {@code endpoint}, no retries; {@code bytes} is told the body's length (the
     * endpoint pool's byte count).
     */
    ResponseInputStream<GetObjectResponse> get(URI endpoint, GetObjectRequest request, LongConsumer bytes) {
        SdkHttpFullRequest.Builder http = request(endpoint, SdkHttpMethod.GET, request.bucket(), request.key());
        if (request.range() != null) {
            http.putHeader("Range", request.range());
        }
        if (request.ifMatch() != null) {
            http.putHeader("If-Match", request.ifMatch());
        }
        if (request.checksumModeAsString() != null) {
            http.putHeader("x-amz-checksum-mode", request.checksumModeAsString());
        }
        // Headers put through the override configuration travel as on the SDK path: S3Reads asks for the stored
        // checksums that way (x-amz-checksum-mode), and without them the whole-object check falls back to MD5.
        request.overrideConfiguration().ifPresent(o -> o.headers().forEach(http::putHeader));
        Duration attemptTimeout = request.overrideConfiguration().flatMap(o -> o.apiCallAttemptTimeout()).orElse(null);
        Exchange exchange = execute(http.build(), null, attemptTimeout, plainFor(endpoint));
        GetObjectResponse.Builder response = GET_HEADERS.fill(exchange.response);
        response.sdkHttpResponse(exchange.response);
        GetObjectResponse built = response.build();
        if (built.contentLength() != null) {
            bytes.accept(built.contentLength());
        }
        AbortableInputStream body = exchange.body != null ? exchange.body
                : AbortableInputStream.create(InputStream.nullInputStream());
        ResponseInputStream<GetObjectResponse> stream = new ResponseInputStream<>(built, body);
        java.nio.channels.ReadableByteChannel channel = PlainHttpBodies.channel(body);
        if (channel != null) {
            CHANNELS.put(stream, channel);
        }
        return stream;
    }

    /**
     * The body of each plain-http GET's {@link ResponseInputStream} (which hides it) as a channel, until
     * {@link #channel} takes it; weak keys: an answer nobody asks about leaves with its stream.
     */
    private static final java.util.Map<InputStream, java.nio.channels.ReadableByteChannel> CHANNELS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * The body of {@code response}, a GET's answer on the plain-http connections, as a channel that reads straight
     * into the caller's buffer ({@link PlainHttpBodies#channel}), or null (another answer, or asked before). Reads
     * of the channel go past the SDK's stream: the caller counts and checks the bytes as it would the stream's.
     */
    static java.nio.channels.ReadableByteChannel channel(InputStream response) {
        return CHANNELS.remove(response);
    }

    /** One HeadObject attempt on {@code endpoint}, no retries. */
    HeadObjectResponse head(URI endpoint, HeadObjectRequest request) {
        SdkHttpFullRequest.Builder http = request(endpoint, SdkHttpMethod.HEAD, request.bucket(), request.key());
        if (request.checksumModeAsString() != null) {
            http.putHeader("x-amz-checksum-mode", request.checksumModeAsString());
        }
        request.overrideConfiguration().ifPresent(o -> o.headers().forEach(http::putHeader));
        Exchange exchange = execute(http.build(), null, null, plainFor(endpoint));
        if (exchange.body != null) {
            closeQuietly(exchange.body);
        }
        HeadObjectResponse.Builder response = HEAD_HEADERS.fill(exchange.response);
        response.sdkHttpResponse(exchange.response);
        return response.build();
    }

    /** One HeadBucket attempt on {@code endpoint}, no retries; a missing bucket is a bare 404 (HEAD has no body). */
    HeadBucketResponse headBucket(URI endpoint, HeadBucketRequest request) {
        Exchange exchange;
        try {
            exchange = execute(request(endpoint, SdkHttpMethod.HEAD, request.bucket(), "").build(), null, null,
                    plainFor(endpoint));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
            // As the SDK's ExceptionTranslationInterceptor names a HeadBucket's bare 404 (not NoSuchKey).
            throw NoSuchBucketException.builder().statusCode(404).message("The specified bucket does not exist.")
                    .awsErrorDetails(e.awsErrorDetails().toBuilder().errorCode("NoSuchBucket")
                            .errorMessage("The specified bucket does not exist.").build())
                    .requestId(e.requestId()).extendedRequestId(e.extendedRequestId()).build();
        }
        if (exchange.body != null) {
            closeQuietly(exchange.body);
        }
        HeadBucketResponse.Builder response = HeadBucketResponse.builder();
        response.sdkHttpResponse(exchange.response);
        return response.build();
    }

    /** The unsigned request: path-style or virtual-host addressing, as the SDK builds it for a custom endpoint. */
    private SdkHttpFullRequest.Builder request(URI endpoint, SdkHttpMethod method, String bucket, String key) {
        String base = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String host = endpoint.getHost();
        String path;
        if (pathStyle) {
            // An empty key is the bucket itself (HeadBucket): "/bucket", as the SDK sends it.
            path = base + "/" + SdkHttpUtils.urlEncode(bucket) + (key.isEmpty() ? "" : "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key));
        } else {
            host = bucket + "." + host;
            path = base + "/" + SdkHttpUtils.urlEncodeIgnoreSlashes(key);
        }
        return SdkHttpFullRequest.builder()
                .method(method)
                .protocol(endpoint.getScheme())
                .host(host)
                .port(endpoint.getPort())
                .encodedPath(path)
                .putHeader("User-Agent", USER_AGENT);
    }

    /**
     * Signs and sends, with {@code payload} as the body when there is one; a 2xx answer comes back with its body
     * open, anything else is thrown. With {@code plain}, a body from a part buffer or no body at all goes on its
     * sockets instead of the Apache client.
     */
    private Exchange execute(SdkHttpRequest request, ContentStreamProvider payload, Duration attemptTimeout,
            PlainHttpBodies plain) {
        if (Thread.currentThread().isInterrupted()) {
            throw AbortedException.builder().message("Thread was interrupted").build();
        }
        AwsCredentials identity = credentials.resolveCredentials();
        // Over http the signer hashes the payload (x-amz-content-sha256) whatever PAYLOAD_SIGNING_ENABLED says, as
        // on the SDK path; with S3DLIO_S3_UNSIGNED_PAYLOAD it signs UNSIGNED-PAYLOAD instead, the way
        // UnsignedPayloadSigning does for the SDK client (the canonical request holds no scheme).
        boolean unsigned = payload != null && unsignedPayload && "http".equals(request.protocol());
        SdkHttpRequest signed;
        if (LeanSigner.signs(identity)) {
            // The SDK signer's signature (LeanSignerTest), without its per-request key, Mac and date set-up.
            signed = leanSigner.sign(request, identity, payloadHash(request, payload, unsigned));
        } else {
            signed = sdkSigned(request, identity, payload, unsigned); // anonymous: the SDK's way
        }
        if (plain != null && attemptTimeout == null && payload instanceof S3Uploads.BufferContent buffer) {
            PlainHttpBodies.Answer answer;
            try {
                answer = plain.send(signed, buffer.view());
            } catch (IOException | RuntimeException e) {
                throw failure(e, false, null);
            }
            if (answer.response().isSuccessful()) {
                return new Exchange(answer.response(), answer.body());
            }
            throw serviceError(request.method(), answer.response(), answer.body());
        }
        if (plain != null && payload == null) {
            return plainExchange(plain, signed, request.method(), attemptTimeout); // a GET or HEAD
        }
        ExecutableHttpRequest call = http.prepareRequest(HttpExecuteRequest.builder().request(signed)
                .contentStreamProvider(payload).build());
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadline(attemptTimeout, timedOut, call::abort);
        HttpExecuteResponse response;
        try {
            response = call.call();
        } catch (IOException | RuntimeException e) {
            throw failure(e, timedOut.get(), attemptTimeout);
        } finally {
            cancel(deadline);
        }
        if (timedOut.get()) {
            response.responseBody().ifPresent(LeanRequests::abortQuietly);
            throw ApiCallAttemptTimeoutException.create(attemptTimeout.toMillis());
        }
        SdkHttpResponse head = response.httpResponse();
        AbortableInputStream body = response.responseBody().orElse(null);
        if (head.isSuccessful()) {
            return new Exchange(head, body);
        }
        throw serviceError(request.method(), head, body);
    }

    /**
     * The x-amz-content-sha256 the SDK's signer puts on a lean request: over https, with
     * S3DLIO_S3_UNSIGNED_PAYLOAD ({@code unsigned}) and for a request without a body, UNSIGNED-PAYLOAD; over http
     * the body's SHA-256, hashed straight from its buffer.
     */
    static String payloadHash(SdkHttpRequest request, ContentStreamProvider payload, boolean unsigned) {
        if (unsigned || payload == null || !"http".equals(request.protocol())) {
            return LeanSigner.UNSIGNED_PAYLOAD;
        }
        return LeanSigner.sha256Hex(payload);
    }

    /** Signed by the SDK's signer (for credentials {@link LeanSigner} does not sign). */
    private SdkHttpRequest sdkSigned(SdkHttpRequest request, AwsCredentials identity, ContentStreamProvider payload,
            boolean unsigned) {
        SdkHttpRequest toSign = unsigned ? request.toBuilder().protocol("https").port(request.port()).build() : request;
        SignRequest.Builder<AwsCredentials> sign = SignRequest.builder(identity)
                .request(toSign)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false);
        if (payload != null) {
            sign.payload(payload);
        }
        SdkHttpRequest signed = signer.sign(sign.build()).request();
        if (unsigned) {
            signed = signed.toBuilder().protocol("http").port(request.port()).build();
        }
        return signed;
    }

    /**
     * A signed GET or HEAD on the plain-http connections: the attempt timeout closes the connection as the Apache
     * path aborts its call, and answers and failures come back as there (a 2xx with its body open, the rest
     * thrown as {@link #serviceError} or {@link #failure} name them).
     */
    private Exchange plainExchange(PlainHttpBodies plain, SdkHttpRequest signed, SdkHttpMethod method,
            Duration attemptTimeout) {
        PlainHttpBodies.Call call = plain.call(signed);
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> deadline = deadline(attemptTimeout, timedOut, call::abort);
        PlainHttpBodies.Answer answer;
        try {
            answer = call.execute();
        } catch (IOException | RuntimeException e) {
            throw failure(e, timedOut.get(), attemptTimeout);
        } finally {
            cancel(deadline);
        }
        if (timedOut.get()) {
            if (answer.body() != null) {
                abortQuietly(answer.body());
            }
            throw ApiCallAttemptTimeoutException.create(attemptTimeout.toMillis());
        }
        if (answer.response().isSuccessful()) {
            return new Exchange(answer.response(), answer.body());
        }
        throw serviceError(method, answer.response(), answer.body());
    }

    /** Runs {@code abort} once {@code attemptTimeout} has passed, setting {@code timedOut} first; null without one. */
    private ScheduledFuture<?> deadline(Duration attemptTimeout, AtomicBoolean timedOut, Runnable abort) {
        return attemptTimeout == null ? null : timer.schedule(() -> {
            timedOut.set(true);
            abort.run();
        }, attemptTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void cancel(ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false); // met in time: out of the timer's queue at once
        }
    }

    private static SdkException failure(Exception e, boolean timedOut, Duration attemptTimeout) {
        if (timedOut) {
            return ApiCallAttemptTimeoutException.create(attemptTimeout.toMillis());
        }
        if (Thread.currentThread().isInterrupted() || (e instanceof InterruptedIOException
                && !(e instanceof java.net.SocketTimeoutException))) {
            return AbortedException.builder().message("Thread was interrupted").cause(e).build();
        }
        if (e instanceof SdkException sdk) {
            return sdk;
        }
        return SdkClientException.builder().message("Unable to execute HTTP request: " + e.getMessage()).cause(e)
                .build();
    }

    /** The S3 error of a non-2xx answer: its XML body's Code and Message, or the status alone (HEAD). */
    private static S3Exception serviceError(SdkHttpMethod method, SdkHttpResponse response, AbortableInputStream body) {
        String xml = "";
        if (body != null && method != SdkHttpMethod.HEAD) {
            xml = readError(body);
        } else if (body != null) {
            closeQuietly(body);
        }
        int status = response.statusCode();
        String code = element(xml, "Code");
        String message = element(xml, "Message");
        if (method == SdkHttpMethod.HEAD) {
            // A HEAD's error has no body; the S3 client's ExceptionTranslationInterceptor names it as here.
            if (status == 404) {
                code = "NoSuchKey";
                message = "The specified key does not exist.";
            } else if (status == 503 && "Slow Down".equals(response.statusText().orElse(null))) {
                code = "SlowDown";
                message = "Please reduce your request rate.";
            } else if (message == null) {
                message = response.statusText().orElse(null);
            }
        }
        AwsErrorDetails details = AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage(message)
                .serviceName("S3")
                .sdkHttpResponse(response)
                .build();
        S3Exception.Builder error = "NoSuchKey".equals(code) ? NoSuchKeyException.builder() : "NoSuchBucket".equals(code) ? NoSuchBucketException.builder()
                : S3Exception.builder();
        error.awsErrorDetails(details)
                .statusCode(status)
                .requestId(response.firstMatchingHeader("x-amz-request-id").orElse(element(xml, "RequestId")))
                .extendedRequestId(response.firstMatchingHeader("x-amz-id-2").orElse(null))
                .message(message);
        return (S3Exception) error.build();
    }

    /** At most {@link #MAX_ERROR_BODY} bytes of an error body; a longer one is cut, not drained. */
    private static String readError(AbortableInputStream body) {
        byte[] buffer = new byte[MAX_ERROR_BODY];
        int filled = 0;
        try {
            while (filled < buffer.length) {
                int n = body.read(buffer, filled, buffer.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            if (filled == buffer.length) {
                body.abort();
            }
        } catch (IOException e) {
            abortQuietly(body); // the status still says what happened
        } finally {
            closeQuietly(body);
        }
        return new String(buffer, 0, filled, StandardCharsets.UTF_8);
    }

    /** The text of the first {@code <name>} element, unescaped, or null. */
    static String element(String xml, String name) {
        int open = xml.indexOf("<" + name + ">");
        if (open < 0) {
            return null;
        }
        int from = open + name.length() + 2;
        int close = xml.indexOf("</" + name + ">", from);
        if (close < 0) {
            return null;
        }
        return xml.substring(from, close).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&apos;", "'").replace("&amp;", "&");
    }

    private static void abortQuietly(AbortableInputStream body) {
        try {
            body.abort();
        } catch (RuntimeException ignored) {
            // already broken
        }
    }

    /** Reads a (short) success body to its end, so the connection goes back to the pool, and closes it. */
    private static void drainQuietly(AbortableInputStream body) {
        try (body) {
            body.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            abortQuietly(body); // the answer's headers are what counts
        }
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException | RuntimeException ignored) {
            // nothing more to read from it
        }
    }

    private record Exchange(SdkHttpResponse response, AbortableInputStream body) {}

    /**
     * Response headers into a response builder through the SDK model's own header fields (name, type,
     * timestamp format), so the lean path maps exactly the headers the SDK maps; looked up once per type.
     */
    private static final class Headers<B extends SdkPojo> {
        private final Supplier<B> builder;
        /**
         * Looked up on first use, not when the class is initialised: a {@code stat} (one HEAD) then does not
         * initialise the GET, UploadPart and PutObject response models (issue 16). A race builds it twice, alike.
         */
        private volatile Index index;

        private record Index(Map<String, SdkField<?>> byName, List<SdkField<?>> prefixed) {}

        Headers(Supplier<B> builder) {
            this.builder = builder;
        }

        private Index index() {
            Index built = index;
            if (built != null) {
                return built;
            }
            Map<String, SdkField<?>> byName = new HashMap<>();
            List<SdkField<?>> maps = new java.util.ArrayList<>();
            for (SdkField<?> field : builder.get().sdkFields()) {
                if (field.location() != MarshallLocation.HEADER) {
                    continue;
                }
                if (field.marshallingType() == MarshallingType.MAP) {
                    maps.add(field);
                } else {
                    byName.put(field.locationName().toLowerCase(Locale.ROOT), field);
                }
            }
            built = new Index(Map.copyOf(byName), List.copyOf(maps));
            index = built;
            return built;
        }

        B fill(SdkHttpResponse response) {
            Index fields = index();
            B into = builder.get();
            Map<SdkField<?>, Map<String, String>> maps = null;
            for (Map.Entry<String, List<String>> header : response.headers().entrySet()) {
                if (header.getValue().isEmpty()) {
                    continue;
                }
                String name = header.getKey().toLowerCase(Locale.ROOT);
                String value = header.getValue().get(0);
                SdkField<?> field = fields.byName().get(name);
                if (field != null) {
                    Object typed = convert(field, value);
                    if (typed != null) {
                        field.set(into, typed);
                    }
                    continue;
                }
                for (SdkField<?> map : fields.prefixed()) {
                    String prefix = map.locationName().toLowerCase(Locale.ROOT);
                    if (name.startsWith(prefix)) {
                        if (maps == null) {
                            maps = new HashMap<>();
                        }
                        maps.computeIfAbsent(map, m -> new TreeMap<>())
                                .put(header.getKey().substring(prefix.length()), value);
                    }
                }
            }
            if (maps != null) {
                maps.forEach((field, values) -> field.set(into, values));
            }
            return into;
        }

        /** A header's text as the field's type; null (left unset) when it does not parse, as the SDK skips it. */
        private static Object convert(SdkField<?> field, String value) {
            MarshallingType<?> type = field.marshallingType();
            try {
                if (type == MarshallingType.STRING) {
                    return value;
                }
                if (type == MarshallingType.LONG) {
                    return Long.parseLong(value.trim());
                }
                if (type == MarshallingType.INTEGER) {
                    return Integer.parseInt(value.trim());
                }
                if (type == MarshallingType.BOOLEAN) {
                    return Boolean.parseBoolean(value.trim());
                }
                if (type == MarshallingType.INSTANT) {
                    TimestampFormatTrait.Format format = field.getOptionalTrait(TimestampFormatTrait.class)
                            .map(TimestampFormatTrait::format).orElse(TimestampFormatTrait.Format.RFC_822);
                    return instant(format, value.trim());
                }
            } catch (RuntimeException e) {
                return null;
            }
            return null; // no other header types in GetObject/HeadObject/UploadPart/PutObject
        }

        private static Instant instant(TimestampFormatTrait.Format format, String value) {
            return switch (format) {
                case ISO_8601 -> DateUtils.parseIso8601Date(value);
                case UNIX_TIMESTAMP -> DateUtils.parseUnixTimestampInstant(value);
                case UNIX_TIMESTAMP_MILLIS -> DateUtils.parseUnixTimestampMillisInstant(value);
                default -> {
                    Instant fast = imfFixdate(value);
                    yield fast != null ? fast : DateUtils.parseRfc822Date(value);
                }
            };
        }
    }

    private static final String WEEKDAYS = "MonTueWedThuFriSatSun";
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * {@code Last-Modified} and the like in the one form servers send (RFC 9110's IMF-fixdate, {@code Thu, 03 Dec
     * 2026 03:30:00 GMT}), without the SDK's {@code DateTimeFormatter}: that parse was 2.6 % of a 64 KiB download's
     * CPU (one per GET). Null for anything else (other forms, a weekday that does not match, out-of-range fields),
     * which then goes the SDK's way, so the result is the same either way.
     */
    static Instant imfFixdate(String value) {
        if (value.length() != 29 || value.charAt(3) != ',' || value.charAt(4) != ' ' || value.charAt(7) != ' '
                || value.charAt(11) != ' ' || value.charAt(16) != ' ' || value.charAt(19) != ':'
                || value.charAt(22) != ':' || value.charAt(25) != ' ' || !value.endsWith("GMT")) {
            return null;
        }
        int day = digits(value, 5, 2);
        int month = MONTHS.indexOf(value.substring(8, 11));
        int year = digits(value, 12, 4);
        int hour = digits(value, 17, 2);
        int minute = digits(value, 20, 2);
        int second = digits(value, 23, 2);
        if (day < 1 || month < 0 || month % 3 != 0 || year < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return null;
        }
        int monthNumber = month / 3 + 1;
        if (day > java.time.YearMonth.of(year, monthNumber).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, monthNumber, day).toEpochDay();
        int weekday = WEEKDAYS.indexOf(value.substring(0, 3));
        // 1970-01-01 was a Thursday (index 3 from Monday)
        if (weekday < 0 || weekday % 3 != 0 || weekday / 3 != (int) Math.floorMod(epochDay + 3, 7L)) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600L + minute * 60L + second);
    }

    /** The decimal number of {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String value, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
