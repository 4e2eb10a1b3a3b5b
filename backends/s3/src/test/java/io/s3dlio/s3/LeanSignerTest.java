package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;

/**
 * {@link LeanSigner} against the SDK's own SigV4 signer, with the properties {@link LeanRequests} gave that signer
 * and the same clock: the headers that go out (Authorization, X-Amz-Date, x-amz-content-sha256, Host, the
 * session token) are the same for the requests the lean path builds, across a change of date (the cached signing
 * key is derived again), a change of secret, and many requests in a row on one signer.
 */
class LeanSignerTest {
    private static final AwsCredentials KEYS =
            AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now;

        MovingClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** What the SDK's signer puts on {@code request} (the properties of LeanRequests' SDK path). */
    private static SdkHttpRequest sdk(SdkHttpRequest request, AwsCredentials credentials, ContentStreamProvider payload,
            String region, Clock clock) {
        SignRequest.Builder<AwsCredentials> sign = SignRequest.builder(credentials)
                .request(request)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock);
        if (payload != null) {
            sign.payload(payload);
        }
        return AwsV4HttpSigner.create().sign(sign.build()).request();
    }

    private static SdkHttpRequest lean(LeanSigner signer, SdkHttpRequest request, AwsCredentials credentials,
            ContentStreamProvider payload) {
        return signer.sign(request, credentials, LeanRequests.payloadHash(request, payload, false));
    }

    private static void assertSame(SdkHttpRequest lean, SdkHttpRequest sdk) {
        assertThat(lean.headers()).isEqualTo(sdk.headers());
        assertThat(lean.getUri()).isEqualTo(sdk.getUri());
        assertThat(lean.firstMatchingHeader("Authorization")).isPresent();
    }

    private static S3Uploads.BufferContent body(int length, boolean direct, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length + 16).position(16);
        buffer.put(bytes).flip();
        if (!direct) {
            buffer.position(16);
        }
        return new S3Uploads.BufferContent(buffer.slice());
    }

    /** The requests LeanRequests builds: an UploadPart, a PutObject with metadata, a GET, a HEAD, a LIST. */
    private static List<SdkHttpRequest> requests(String protocol, int port) {
        List<SdkHttpRequest> requests = new ArrayList<>();
        SdkHttpRequest.Builder base = SdkHttpRequest.builder().method(SdkHttpMethod.GET).protocol(protocol).host("127.0.0.1").port(port)
                .putHeader("User-Agent", "aws-sdk-java/2 s3dlio-lean");
        requests.add(base.copy().method(SdkHttpMethod.PUT).encodedPath("/bucket/dir/a%20b%2Bc%25d%3De%26f~g%20%C3%A9.bin")
                .putRawQueryParameter("partNumber", "3").putRawQueryParameter("uploadId", "a+b/c=d~e f")
                .putHeader("Content-Length", "1048583").putHeader("Content-Type", "application/octet-stream")
                .putHeader("x-amz-sdk-checksum-algorithm", "CRC32C").putHeader("x-amz-checksum-crc32c", "AAAAAA==")
                .build());
        requests.add(base.copy().method(SdkHttpMethod.PUT).encodedPath("/bucket/small/0001.bin")
                .putHeader("Content-Length", "1048583").putHeader("Content-Type", "application/x-test")
                .putHeader("x-amz-meta-origin", "  lean   test \t here  ").putHeader("x-amz-meta-n", "1")
                .putHeader("If-None-Match", "*").build());
        requests.add(base.copy().method(SdkHttpMethod.GET).encodedPath("/bucket/key").putHeader("Range", "bytes=0-99")
                .putHeader("If-Match", "\"abc\"").putHeader("x-amz-checksum-mode", "ENABLED").build());
        requests.add(base.copy().method(SdkHttpMethod.HEAD).encodedPath("/bucket").build());
        requests.add(base.copy().method(SdkHttpMethod.GET).encodedPath("/bucket").putRawQueryParameter("list-type", "2")
                .putRawQueryParameter("prefix", "").putRawQueryParameter("max-keys", "1000")
                .putRawQueryParameter("continuation-token", "1/2+3=").build());
        requests.add(base.copy().method(SdkHttpMethod.GET).host("bucket.s3.example.com").encodedPath("").build());
        return requests;
    }

    @Test
    void signsEveryLeanRequestAsTheSdkSignerDoes() {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-03T07:45:12.345Z"));
        for (String region : List.of("us-east-1", "eu-central-1")) {
            LeanSigner signer = new LeanSigner(region, clock);
            for (AwsCredentials credentials : List.of(KEYS,
                    AwsSessionCredentials.create("ASIAEXAMPLE", "secret/with+chars", "token=="))) {
                for (String protocol : List.of("http", "https")) {
                    for (int port : new int[] {80, 443, 9000}) {
                        long seed = 0;
                        for (SdkHttpRequest request : requests(protocol, port)) {
                            ContentStreamProvider payload = request.method() == SdkHttpMethod.PUT
                                    ? body(1_048_583, seed % 2 == 0, seed) : null;
                            seed++;
                            assertSame(lean(signer, request, credentials, payload),
                                    sdk(request, credentials, payload, region, clock));
                        }
                    }
                }
            }
        }
    }

    @Test
    void theCachedSigningKeyFollowsTheDateAndTheSecret() {
        MovingClock clock = new MovingClock(Instant.parse("2026-12-31T23:59:58.900Z"));
        LeanSigner signer = new LeanSigner("us-east-1", clock);
        SdkHttpRequest request = requests("http", 9000).get(2);
        SdkHttpRequest before = lean(signer, request, KEYS, null);
        assertSame(before, sdk(request, KEYS, null, "us-east-1", clock));
        assertThat(before.firstMatchingHeader("Authorization").orElseThrow()).contains("/20261231/us-east-1/s3/");
        // A second later it is the next day (and year): a key for the new date, not the cached one.
        clock.set(Instant.parse("2027-01-01T00:00:00.100Z"));
        SdkHttpRequest after = lean(signer, request, KEYS, null);
        assertSame(after, sdk(request, KEYS, null, "us-east-1", clock));
        assertThat(after.firstMatchingHeader("Authorization").orElseThrow()).contains("/20270101/us-east-1/s3/");
        assertThat(after.firstMatchingHeader("X-Amz-Date")).contains("20270101T000000Z");
        // Rotated credentials on the same day: a key from the new secret.
        AwsCredentials rotated = AwsBasicCredentials.create("AKIDEXAMPLE", "another-secret");
        assertSame(lean(signer, request, rotated, null), sdk(request, rotated, null, "us-east-1", clock));
        // And back on the first ones, many times over (each signature from a clone of the one keyed Mac).
        for (int i = 0; i < 1_000; i++) {
            clock.set(Instant.parse("2027-01-01T00:00:00Z").plusMillis(i * 997L));
            assertSame(lean(signer, request, KEYS, null), sdk(request, KEYS, null, "us-east-1", clock));
        }
    }

    @Test
    void hashesAPayloadFromItsBufferWithoutMovingIt() {
        for (int length : new int[] {0, 1, 4095, 65_536, 65_537, 3 * 1024 * 1024 + 5}) {
            for (boolean direct : new boolean[] {true, false}) {
                S3Uploads.BufferContent content = body(length, direct, length);
                ByteBuffer view = content.view();
                SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT).protocol("http")
                        .host("127.0.0.1").port(9000).encodedPath("/bucket/key")
                        .putHeader("Content-Length", Integer.toString(length)).build();
                Clock clock = Clock.fixed(Instant.parse("2026-12-03T07:45:12Z"), ZoneOffset.UTC);
                assertSame(lean(new LeanSigner("us-east-1", clock), request, KEYS, content),
                        sdk(request, KEYS, content, "us-east-1", clock));
                assertThat(view.position()).isZero();
                assertThat(LeanSigner.sha256Hex(view)).isEqualTo(LeanSigner.sha256Hex(content));
            }
        }
    }
}
