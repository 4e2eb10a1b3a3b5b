package io.s3dlio.s3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.net.Socket;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.ssl.SSLInitializationException;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SystemPropertyTlsKeyManagersProvider;
import software.amazon.awssdk.http.apache5.internal.conn.SdkTlsSocketFactory;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** Builds the SDK client an {@link S3ObjectStore} uses, from an {@link S3Config}. */
final class S3Clients {
    private S3Clients() {}

    /** The credentials provider the config asks for; the caller closes it. */
    static AwsCredentialsProvider credentials(S3Config config) {
        if (config.credentials().isPresent()) {
            S3Config.Credentials keys = config.credentials().get();
            return StaticCredentialsProvider.create(keys.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken().get())
                    : AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()));
        }
        if (config.profile().isPresent()) {
            return ProfileCredentialsProvider.builder().profileName(config.profile().get()).build();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * The store's Apache HTTP client, built on its first request: with the lean GETs and HEADs on the store's own
     * plain-http sockets ({@link PlainHttpBodies}) a {@code stat} or a {@code get} over http never needs it, and
     * its construction (the public-suffix list its cookie specs load, the connection manager, SLF4J's scan of
     * every jar for a binding) was about a third of a {@code stat} (issue 16). A bad {@code AWS_CA_BUNDLE}
     * still fails here.
     */
    static SdkHttpClient httpClient(S3Config config) {
        TrustManager[] trust = config.caBundle().isPresent() ? trustManagers(config) : null;
        return new LazyHttpClient(() -> apacheClient(config, trust));
    }

    private static SdkHttpClient apacheClient(S3Config config, TrustManager[] trust) {
        Apache5HttpClient.Builder http = Apache5HttpClient.builder()
                .maxConnections(config.maxConnections())
                .connectionTimeout(config.connectTimeout())
                .socketTimeout(config.readTimeout())
                // Expect: 100-continue costs a round trip per upload and trips some servers (G1).
                .expectContinueEnabled(false);
        // The TLS set-up (the JDK's trust store parsed, an SSLContext) is made on the first TLS connection, not
        // here: a plain-http endpoint never needs it, and it was about a sixth of `s3-cli stat` (issue 16). What
        // it builds is what the HTTP client builds by default: the SDK's socket strategy over an SSLContext with
        // the key managers of the javax.net.ssl.keyStore properties, the JDK's trust (or AWS_CA_BUNDLE's) and
        // the default host-name check. The bundle was read by httpClient, so that a bad one fails at once.
        http.tlsSocketStrategy(new LazyTls(() -> {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(SystemPropertyTlsKeyManagersProvider.create().keyManagers(), trust, null);
                return new SdkTlsSocketFactory(context, new DefaultHostnameVerifier());
            } catch (GeneralSecurityException e) {
                throw new SSLInitializationException(e.getMessage(), e);
            }
        }));
        return http.build();
    }

    /** An HTTP client built on its first use, once; closing it closes it only if it was built. */
    static final class LazyHttpClient implements SdkHttpClient {
        private final Supplier<SdkHttpClient> factory;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile SdkHttpClient client;
        private boolean closed;

        LazyHttpClient(Supplier<SdkHttpClient> factory) {
            this.factory = factory;
        }

        /** Whether it was built (for tests). */
        boolean built() {
            return client != null;
        }

        private SdkHttpClient client() {
            SdkHttpClient built = client;
            if (built != null) {
                return built;
            }
            lock.lock();
            try {
                if (client == null) {
                    if (closed) {
                        throw new IllegalStateException("the S3 store's HTTP client is closed");
                    }
                    client = factory.get();
                }
                return client;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return client().prepareRequest(request);
        }

        @Override
        public String clientName() {
            return client().clientName();
        }

        @Override
        public void close() {
            SdkHttpClient built;
            lock.lock();
            try {
                closed = true;
                built = client;
            } finally {
                lock.unlock();
            }
            if (built != null) {
                built.close();
            }
        }
    }

    /** A TLS socket strategy built on its first use, once, by whichever connection needs it first. */
    static final class LazyTls implements TlsSocketStrategy {
        private final Supplier<TlsSocketStrategy> factory;
        private final ReentrantLock lock = new ReentrantLock();
        private volatile TlsSocketStrategy strategy;

        LazyTls(Supplier<TlsSocketStrategy> factory) {
            this.factory = factory;
        }

        @Override
        public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
                throws IOException {
            TlsSocketStrategy built = strategy;
            if (built == null) {
                lock.lock();
                try {
                    built = strategy;
                    if (built == null) {
                        built = factory.get();
                        strategy = built;
                    }
                } finally {
                    lock.unlock();
                }
            }
            return built.upgrade(socket, target, port, attachment, context);
        }
    }

    /**
     * The store's client; with {@code lean} its GETs and HEADs go the {@link LeanRequests} way ({@link
     * LeanS3Client}), HEADs retried as the SDK client would retry them.
     */
    static S3Client client(S3Config config, AwsCredentialsProvider credentials, SdkHttpClient http,
            Optional<LeanRequests> lean) {
        if (config.endpoints().balanced()) {
            // One client per endpoint, none retrying: BalancedS3Client retries, on another endpoint.
            return BalancedS3Client.create(config, System::nanoTime, endpoint -> {
                Supplier<S3Client> sdk = () -> builder(config, credentials, http, 1, List.of(endpoint.counter()))
                        .endpointOverride(endpoint.uri()).build();
                return lean.map(l -> LeanS3Client.wrap(sdk, l, endpoint.uri(), 1, endpoint.bytes())).orElseGet(sdk);
            });
        }
        // With the lean path the SDK client (builder included: its configuration alone loads and initialises
        // hundreds of classes) is made by the first request that needs it, not a lean GET or HEAD: `s3-cli stat`
        // never makes it (issue 16, docs/BENCHMARKS.md "`s3-cli stat` start-up (issue 16, startup)").
        Supplier<S3Client> sdk = () -> build(builder(config, credentials, http, config.maxRetries() + 1, List.of()), config);
        return lean.map(l -> LeanS3Client.wrap(sdk, l, config.endpoint().orElseThrow(), config.maxRetries() + 1,
                bytes -> { })).orElseGet(sdk);
    }

    /**
     * The client GETs go through: without the SDK's retries, since {@link S3Reads} retries the whole read
     * (body included) in one layer. With several endpoints it is the balanced {@code client} itself, whose
     * own layer retries the opening on another endpoint; then {@link S3Reads} only resumes bodies.
     */
    static S3Client readClient(S3Config config, AwsCredentialsProvider credentials, SdkHttpClient http, S3Client client,
            Optional<LeanRequests> lean) {
        if (config.endpoints().balanced()) {
            return client;
        }
        Supplier<S3Client> sdk = () -> build(builder(config, credentials, http, 1, List.of()), config);
        return lean.map(l -> LeanS3Client.wrap(sdk, l, config.endpoint().orElseThrow(), 1, bytes -> { })).orElseGet(sdk);
    }

    private static S3Client build(S3ClientBuilder builder, S3Config config) {
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static S3ClientBuilder builder(S3Config config, AwsCredentialsProvider credentials, SdkHttpClient http,
            int maxAttempts, List<ExecutionInterceptor> interceptors) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .credentialsProvider(credentials)
                .region(region(config))
                .forcePathStyle(config.addressing() == S3Config.Addressing.PATH)
                .requestChecksumCalculation(config.requestChecksum() == S3Config.ChecksumMode.WHEN_SUPPORTED
                        ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(config.responseChecksum() == S3Config.ChecksumMode.WHEN_SUPPORTED
                        ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED)
                // One retry layer: the SDK's, or BalancedS3Client's when there are several endpoints (maxAttempts 1).
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(maxAttempts).build()).executionInterceptors(interceptors));
        if (config.unsignedPayload()) {
            builder.putAuthScheme(UnsignedPayloadSigning.create());
        }
        // The S3 client adds "Expect: 100-continue" to every PutObject/UploadPart by itself, whatever the HTTP
        // client's setting: off here too, as S3Clients.httpClient says (a round trip per upload, and seconds
        // behind a proxy that does not forward it).
        S3Configuration.Builder service = S3Configuration.builder().expectContinueEnabled(false);
        if (config.requestChecksum() == S3Config.ChecksumMode.WHEN_REQUIRED) {
            // Older servers (radosgw Pacific) insist on Content-MD5 for DeleteObjects rather than a CRC32.
            builder.addPlugin(LegacyMd5Plugin.create());
            // and radosgw Pacific refuses an aws-chunked signed empty body (XAmzContentSHA256Mismatch):
            // sign the whole payload instead (only plain-HTTP endpoints sign payloads at all).
            service.chunkedEncodingEnabled(false);
        }
        builder.serviceConfiguration(service.build());
        return builder;
    }

    static Region region(S3Config config) {
        if (config.region().isPresent()) {
            return Region.of(config.region().get());
        }
        try {
            return DefaultAwsRegionProviderChain.builder().build().getRegion();
        } catch (RuntimeException e) {
            // No region anywhere: us-east-1 works for every bucket (S3 redirects), as the AWS CLI does.
            return Region.US_EAST_1;
        }
    }

    private static TrustManager[] trustManagers(S3Config config) {
        var path = config.caBundle().orElseThrow();
        // Read whole first: the JDK's PEM parser reads one byte at a time, a system call each on a file stream;
        // a 220 KiB system bundle took about 0.5 CPU-s of a 1 GiB `s3-cli get` that way (issue 16).
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(path))) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("AWS_CA_BUNDLE=" + path + " holds no PEM certificates");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (IOException e) {
            throw new UncheckedIOException("AWS_CA_BUNDLE=" + path + " cannot be read: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AWS_CA_BUNDLE=" + path + " is not a PEM certificate bundle: " + e.getMessage(), e);
        }
    }
}
