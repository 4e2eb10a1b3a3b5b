package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * {@code S3DLIO_S3_UNSIGNED_PAYLOAD=true}: S3Proxy (which checks SigV4 signatures) still accepts every request,
 * single PUTs and multipart parts round-trip byte for byte, and the signed requests carry
 * {@code UNSIGNED-PAYLOAD} over http where the SDK's own signer carries the body's SHA-256.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3UnsignedPayloadTest {
    private static final int MIB = 1024 * 1024;
    private S3ProxyServer server;
    private S3Environment environment;

    @BeforeAll
    void start() throws IOException {
        server = S3ProxyServer.start();
        environment = new S3Environment(server.storeSettings(), server.description(), server);
    }

    @AfterAll
    void stop() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    private S3ObjectStore unsignedStore() {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("S3DLIO_S3_UNSIGNED_PAYLOAD", "true");
        settings.put("S3DLIO_PART_SIZE", "5MiB");
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
    }

    @Test
    void theOptionIsOffByDefaultAndReadFromItsVariable() {
        assertThat(S3Config.from(ConfigSource.empty()).unsignedPayload()).isFalse();
        assertThat(S3Config.from(ConfigSource.of(Map.of("S3DLIO_S3_UNSIGNED_PAYLOAD", "true"))).unsignedPayload()).isTrue();
    }

    @Test
    void singleAndMultipartUploadsRoundTripAgainstAServerThatChecksSignatures() throws IOException {
        try (S3ObjectStore store = unsignedStore()) {
            Location small = environment.bucket().withKey("unsigned/small.bin");
            byte[] smallBytes = TestData.bytes(MIB, 11);
            store.put(small, ByteBuffer.wrap(smallBytes), WriteOptions.DEFAULT);
            assertThat(store.get(small).toArray()).isEqualTo(smallBytes);

            Location big = environment.bucket().withKey("unsigned/big.bin");
            byte[] bigBytes = TestData.bytes(12 * MIB, 12);
            try (ObjectWriter writer = store.newWriter(big, WriteOptions.DEFAULT)) {
                writer.write(ByteBuffer.wrap(bigBytes));
                writer.finish();
            }
            assertThat(store.stat(big).etag().orElseThrow()).endsWith("-3"); // three parts went through the signer
            assertThat(store.get(big).toArray()).isEqualTo(bigBytes);
        }
    }

    @Test
    void overHttpTheBodyIsNotHashedAndOverHttpsTheSdkSignerIsUnchanged() {
        HttpSigner<AwsCredentialsIdentity> sdk = AwsV4AuthScheme.create().signer();
        HttpSigner<AwsCredentialsIdentity> unsigned = UnsignedPayloadSigning.create().signer();

        SignedRequest bySdk = sign(sdk, "http://127.0.0.1:9000/bucket/key");
        SignedRequest byOption = sign(unsigned, "http://127.0.0.1:9000/bucket/key");
        assertThat(bySdk.request().firstMatchingHeader("x-amz-content-sha256")).get().asString().hasSize(64);
        assertThat(byOption.request().firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
        assertThat(byOption.request().protocol()).isEqualTo("http");
        assertThat(byOption.request().port()).isEqualTo(9000);
        assertThat(byOption.request().firstMatchingHeader("Authorization")).get().asString().startsWith("AWS4-HMAC-SHA256 ");

        SignedRequest httpsBySdk = sign(sdk, "https://127.0.0.1:9443/bucket/key");
        SignedRequest httpsByOption = sign(unsigned, "https://127.0.0.1:9443/bucket/key");
        assertThat(httpsByOption.request().headers()).isEqualTo(httpsBySdk.request().headers());
    }

    private static SignedRequest sign(HttpSigner<AwsCredentialsIdentity> signer, String url) {
        byte[] body = TestData.bytes(4096, 3);
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).uri(URI.create(url)).build();
        return signer.sign(r -> r.identity(AwsCredentialsIdentity.create("test", "testtest"))
                .request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, java.time.Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC)));
    }
}
