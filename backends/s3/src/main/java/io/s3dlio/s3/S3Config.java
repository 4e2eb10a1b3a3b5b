package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.tuning.TuningConfig;
import io.s3dlio.engine.tuning.UploadPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed settings of the s3:// store, mapped once from a {@link ConfigSource} by {@link #from}. Every variable
 * is listed in docs/CONFIGURATION.md, section "S3". Credentials not given here come from the AWS SDK's
 * default chain (environment, shared config and credentials files with {@code AWS_PROFILE}, container and
 * instance roles).
 *
 * @param endpoint a custom endpoint (S3-compatible servers, GCS's XML API); empty for AWS itself
 * @param region the signing region; empty means the SDK's own region chain decides
 * @param addressing path-style or virtual-host-style bucket addressing
 * @param credentials explicit static credentials; empty means the SDK's default chain
 * @param profile a named profile from the shared AWS files; used when no static credentials are given
 * @param caBundle PEM file of extra trusted certificate authorities (replaces the JDK's trust store)
 * @param requestChecksum when uploads carry a checksum
 * @param responseChecksum when downloads are validated against a checksum
 * @param connectTimeout TCP connect timeout
 * @param readTimeout socket read timeout (time without any byte arriving)
 * @param maxRetries retries after the first attempt; the SDK's retry layer is the only one that retries
 * @param maxConnections size of the HTTP connection pool
 * @param uploads part sizes and parts in flight for multipart uploads (the adaptive policy shared by every
 *        backend: {@code S3DLIO_NETWORK_SPEED_GBPS}, {@code S3DLIO_PART_SIZE}, {@code S3DLIO_MIN_PART_SIZE},
 *        {@code S3DLIO_UPLOAD_CONCURRENCY})
 * @param endpoints the endpoints requests are spread over ({@code S3DLIO_ENDPOINTS}); {@code endpoint} is the
 *        first of them
 * @param requestTimeout the most one read may take, all its attempts and its whole body together
 *        ({@code S3DLIO_S3_REQUEST_TIMEOUT}, default 10 minutes): a server dripping bytes cannot hold it longer
 * @param unsignedPayload opt-in ({@code S3DLIO_S3_UNSIGNED_PAYLOAD}): over plain http, sign requests without
 *        hashing their bodies ({@link UnsignedPayloadSigning}); for trusted networks only
 * @param verifyChunkedMd5 ({@code S3DLIO_S3_VERIFY_CHUNKED_MD5}, default true; only with {@code responseChecksum}
 *        {@code WHEN_SUPPORTED}) whole objects read in several ranged chunks that have no full-object CRC32C are
 *        checked against their MD5 ETag (single-part, not SSE-KMS/SSE-C) with an MD5 of the chunks in offset order
 * @param leanGet ({@code S3DLIO_S3_LEAN_GET}, default true) GETs and HEADs to a configured endpoint are built,
 *        signed (the SDK's SigV4 signer, the same credentials) and sent on the same HTTP client without the SDK's
 *        per-request pipeline; false sends them through the SDK client like every other request
 * @param leanPut ({@code S3DLIO_S3_LEAN_PUT}, default true) the UploadParts of multipart uploads and the single
 *        PutObjects of smaller objects without a checksum to compute to a configured endpoint go the same lean way
 *        (SigV4 as the SDK signs, the SDK's credentials, the payload hashed over http as the SDK does, a part's CRC32C sent for
 *        the server to check, retried from the caller's buffer); false sends them through the SDK client
 * @param leanList ({@code S3DLIO_S3_LEAN_LIST}, default {@code leanGet}'s value) ListObjectsV2 pages from a
 *        configured endpoint are requested the same lean way and parsed straight from the response stream
 *        ({@link LeanListing}) instead of the SDK's XML DOM; false sends them through the SDK client
 * @param plainHttpGet ({@code S3DLIO_S3_PLAIN_HTTP_GET}, default true) the lean GETs, HEADs and list pages to a plain
 *        http endpoint without a proxy go on the store's own keep-alive sockets ({@link PlainHttpBodies}, as the
 *        lean UploadParts do) instead of the Apache HTTP client; signing, retries, timeouts, errors and checksum
 *        checks are the same; false sends them through the Apache client
 */
public record S3Config(
        Optional<URI> endpoint,
        Optional<String> region,
        Addressing addressing,
        Optional<Credentials> credentials,
        Optional<String> profile,
        Optional<Path> caBundle,
        ChecksumMode requestChecksum,
        ChecksumMode responseChecksum,
        Duration connectTimeout,
        Duration readTimeout,
        int maxRetries,
        int maxConnections,
        UploadPolicy uploads,
        S3Endpoints endpoints,
        Duration requestTimeout,
        boolean unsignedPayload,
        boolean verifyChunkedMd5,
        boolean leanGet,
        boolean leanPut,
        boolean leanList,
        boolean plainHttpGet) {

    /** The variable behind {@link #leanGet()}. */
    public static final String LEAN_GET = "S3DLIO_S3_LEAN_GET";

    /** The variable behind {@link #leanPut()}. */
    public static final String LEAN_PUT = "S3DLIO_S3_LEAN_PUT";

    /** The variable behind {@link #leanList()}. */
    public static final String LEAN_LIST = "S3DLIO_S3_LEAN_LIST";

    /** The variable behind {@link #plainHttpGet()}. */
    public static final String PLAIN_HTTP_GET = "S3DLIO_S3_PLAIN_HTTP_GET";

    /** The variable behind {@link #verifyChunkedMd5()}. */
    public static final String VERIFY_CHUNKED_MD5 = "S3DLIO_S3_VERIFY_CHUNKED_MD5";

    /** The region used for custom endpoints when none is set; S3-compatible servers accept it. */
    public static final String DEFAULT_CUSTOM_ENDPOINT_REGION = "us-east-1";

    /** How buckets appear in request URLs. */
    public enum Addressing {
        /** {@code https://endpoint/bucket/key}: what S3-compatible servers need. */
        PATH,
        /** {@code https://bucket.endpoint/key}: AWS's default. */
        VIRTUAL_HOST
    }

    /** When a checksum is computed (uploads) or validated (downloads). */
    public enum ChecksumMode {
        /** Whenever the operation supports one (the SDK's default). */
        WHEN_SUPPORTED,
        /** Only when the operation requires one; older S3-compatible servers need this. */
        WHEN_REQUIRED
    }

    /** Static credentials. The secret never appears in {@link #toString()}. */
    public record Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {
        public Credentials {
            requireNonNull(accessKeyId, "accessKeyId is null");
            requireNonNull(secretAccessKey, "secretAccessKey is null");
            requireNonNull(sessionToken, "sessionToken is null");
        }

        @Override
        public String toString() {
            return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=<redacted>"
                    + (sessionToken.isPresent() ? ", sessionToken=<redacted>" : "") + "]";
        }
    }

    public S3Config {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(region, "region is null");
        requireNonNull(addressing, "addressing is null");
        requireNonNull(credentials, "credentials is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(caBundle, "caBundle is null");
        requireNonNull(requestChecksum, "requestChecksum is null");
        requireNonNull(responseChecksum, "responseChecksum is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requirePositive("S3DLIO_S3_CONNECT_TIMEOUT (connectTimeout)", connectTimeout);
        requirePositive("S3DLIO_S3_READ_TIMEOUT (readTimeout)", readTimeout);
        requireNonNull(requestTimeout, "requestTimeout is null");
        requirePositive("S3DLIO_S3_REQUEST_TIMEOUT (requestTimeout)", requestTimeout);
        if (maxRetries < 0 || maxRetries > 20) {
            throw new IllegalArgumentException("S3DLIO_S3_MAX_RETRIES (maxRetries) must be between 0 and 20: " + maxRetries);
        }
        if (maxConnections < 1 || maxConnections > 10_000) {
            throw new IllegalArgumentException("S3DLIO_S3_MAX_CONNECTIONS (maxConnections) must be between 1 and 10000: " + maxConnections);
        }
        requireNonNull(uploads, "uploads is null");
        requireNonNull(endpoints, "endpoints is null");
    }

    /** A config with {@link #verifyChunkedMd5()} on (its default), as before that setting existed. */
    public S3Config(Optional<URI> endpoint, Optional<String> region, Addressing addressing,
            Optional<Credentials> credentials, Optional<String> profile, Optional<Path> caBundle,
            ChecksumMode requestChecksum, ChecksumMode responseChecksum, Duration connectTimeout, Duration readTimeout,
            int maxRetries, int maxConnections, UploadPolicy uploads, S3Endpoints endpoints, Duration requestTimeout,
            boolean unsignedPayload) {
        this(endpoint, region, addressing, credentials, profile, caBundle, requestChecksum, responseChecksum,
                connectTimeout, readTimeout, maxRetries, maxConnections, uploads, endpoints, requestTimeout,
                unsignedPayload, true, true, true, true);
    }

    /** A config with {@link #leanGet()} on (its default), as before that setting existed. */
    public S3Config(Optional<URI> endpoint, Optional<String> region, Addressing addressing,
            Optional<Credentials> credentials, Optional<String> profile, Optional<Path> caBundle,
            ChecksumMode requestChecksum, ChecksumMode responseChecksum, Duration connectTimeout, Duration readTimeout,
            int maxRetries, int maxConnections, UploadPolicy uploads, S3Endpoints endpoints, Duration requestTimeout,
            boolean unsignedPayload, boolean verifyChunkedMd5) {
        this(endpoint, region, addressing, credentials, profile, caBundle, requestChecksum, responseChecksum,
                connectTimeout, readTimeout, maxRetries, maxConnections, uploads, endpoints, requestTimeout,
                unsignedPayload, verifyChunkedMd5, true, true, true);
    }

    /** A config with {@link #leanPut()} on (its default), as before that setting existed. */
    public S3Config(Optional<URI> endpoint, Optional<String> region, Addressing addressing,
            Optional<Credentials> credentials, Optional<String> profile, Optional<Path> caBundle,
            ChecksumMode requestChecksum, ChecksumMode responseChecksum, Duration connectTimeout, Duration readTimeout,
            int maxRetries, int maxConnections, UploadPolicy uploads, S3Endpoints endpoints, Duration requestTimeout,
            boolean unsignedPayload, boolean verifyChunkedMd5, boolean leanGet) {
        this(endpoint, region, addressing, credentials, profile, caBundle, requestChecksum, responseChecksum,
                connectTimeout, readTimeout, maxRetries, maxConnections, uploads, endpoints, requestTimeout,
                unsignedPayload, verifyChunkedMd5, leanGet, true, leanGet);
    }

    /** A config with {@link #leanList()} as {@link #leanGet()} (its default), as before that setting existed. */
    public S3Config(Optional<URI> endpoint, Optional<String> region, Addressing addressing,
            Optional<Credentials> credentials, Optional<String> profile, Optional<Path> caBundle,
            ChecksumMode requestChecksum, ChecksumMode responseChecksum, Duration connectTimeout, Duration readTimeout,
            int maxRetries, int maxConnections, UploadPolicy uploads, S3Endpoints endpoints, Duration requestTimeout,
            boolean unsignedPayload, boolean verifyChunkedMd5, boolean leanGet, boolean leanPut) {
        this(endpoint, region, addressing, credentials, profile, caBundle, requestChecksum, responseChecksum,
                connectTimeout, readTimeout, maxRetries, maxConnections, uploads, endpoints, requestTimeout,
                unsignedPayload, verifyChunkedMd5, leanGet, leanPut, leanGet);
    }

    /** A config with {@link #plainHttpGet()} on (its default), as before that setting existed. */
    public S3Config(Optional<URI> endpoint, Optional<String> region, Addressing addressing,
            Optional<Credentials> credentials, Optional<String> profile, Optional<Path> caBundle,
            ChecksumMode requestChecksum, ChecksumMode responseChecksum, Duration connectTimeout, Duration readTimeout,
            int maxRetries, int maxConnections, UploadPolicy uploads, S3Endpoints endpoints, Duration requestTimeout,
            boolean unsignedPayload, boolean verifyChunkedMd5, boolean leanGet, boolean leanPut, boolean leanList) {
        this(endpoint, region, addressing, credentials, profile, caBundle, requestChecksum, responseChecksum,
                connectTimeout, readTimeout, maxRetries, maxConnections, uploads, endpoints, requestTimeout,
                unsignedPayload, verifyChunkedMd5, leanGet, leanPut, leanList, true);
    }

    /** Defaults for AWS itself: no endpoint, the SDK's region and credential chains. */
    public static S3Config defaults() {
        return from(ConfigSource.empty());
    }

    /** Maps the S3 settings; bad values fail with a message naming the variable. */
    public static S3Config from(ConfigSource config) {
        requireNonNull(config, "config is null");
        S3Endpoints endpoints = S3Endpoints.from(config, config.first("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL")
                .map(text -> endpointUri("AWS_ENDPOINT_URL", text)));
        Optional<URI> endpoint = endpoints.uris().stream().findFirst();
        Optional<String> region = config.first("AWS_REGION", "AWS_DEFAULT_REGION");
        if (region.isEmpty() && endpoint.isPresent()) {
            region = Optional.of(DEFAULT_CUSTOM_ENDPOINT_REGION);
        }
        boolean pathStyle = config.booleanValue("S3DLIO_S3_PATH_STYLE").orElse(endpoint.isPresent());

        Optional<String> accessKey = config.get("AWS_ACCESS_KEY_ID");
        Optional<String> secretKey = config.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither "
                    + "(then the AWS default chain is used: AWS_PROFILE, shared files, container or instance role); "
                    + (accessKey.isPresent() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") + " is missing");
        }
        Optional<Credentials> credentials = accessKey.map(
                key -> new Credentials(key, secretKey.orElseThrow(), config.get("AWS_SESSION_TOKEN")));

        ChecksumMode both = config.get("S3DLIO_S3_CHECKSUM").map(value -> checksum("S3DLIO_S3_CHECKSUM", value))
                .orElse(null);
        ChecksumMode request = both != null ? both : config.get("AWS_REQUEST_CHECKSUM_CALCULATION")
                .map(value -> checksum("AWS_REQUEST_CHECKSUM_CALCULATION", value)).orElse(ChecksumMode.WHEN_SUPPORTED);
        ChecksumMode response = both != null ? both : config.get("AWS_RESPONSE_CHECKSUM_VALIDATION")
                .map(value -> checksum("AWS_RESPONSE_CHECKSUM_VALIDATION", value)).orElse(ChecksumMode.WHEN_SUPPORTED);

        boolean leanGet = config.booleanValue(LEAN_GET).orElse(true);
        return new S3Config(
                endpoint,
                region,
                pathStyle ? Addressing.PATH : Addressing.VIRTUAL_HOST,
                credentials,
                config.get("AWS_PROFILE"),
                config.get("AWS_CA_BUNDLE").map(Path::of),
                request,
                response,
                config.duration("S3DLIO_S3_CONNECT_TIMEOUT").orElse(Duration.ofSeconds(10)),
                config.duration("S3DLIO_S3_READ_TIMEOUT").orElse(Duration.ofSeconds(60)),
                config.intValue("S3DLIO_S3_MAX_RETRIES").orElse(3),
                config.intValue("S3DLIO_S3_MAX_CONNECTIONS").orElse(128),
                new UploadPolicy(TuningConfig.from(config)),
                endpoints,
                config.duration("S3DLIO_S3_REQUEST_TIMEOUT").orElse(Duration.ofMinutes(10)),
                config.booleanValue("S3DLIO_S3_UNSIGNED_PAYLOAD").orElse(false),
                config.booleanValue(VERIFY_CHUNKED_MD5).orElse(true),
                leanGet,
                config.booleanValue(LEAN_PUT).orElse(true),
                config.booleanValue(LEAN_LIST).orElse(leanGet),
                config.booleanValue(PLAIN_HTTP_GET).orElse(true));
    }

    /** A copy with other static credentials (tests, embedding). */
    public S3Config withCredentials(Credentials newCredentials) {
        return new S3Config(endpoint, region, addressing, Optional.of(newCredentials), profile, caBundle, requestChecksum,
                responseChecksum, connectTimeout, readTimeout, maxRetries, maxConnections, uploads, endpoints, requestTimeout,
                unsignedPayload, verifyChunkedMd5, leanGet, leanPut, leanList, plainHttpGet);
    }

    static URI endpointUri(String variable, String text) {
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw new IllegalArgumentException(variable + "='" + text
                        + "' is not valid: expected an http(s) URL such as http://127.0.0.1:9000");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(variable + "='" + text + "' is not valid: " + e.getMessage(), e);
        }
    }

    private static ChecksumMode checksum(String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "when_supported" -> ChecksumMode.WHEN_SUPPORTED;
            case "when_required" -> ChecksumMode.WHEN_REQUIRED;
            default -> throw new IllegalArgumentException(name + "='" + value
                    + "' is not valid: expected when_supported or when_required");
        };
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
