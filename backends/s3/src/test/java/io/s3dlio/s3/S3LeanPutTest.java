package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.WriteCondition;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lean UploadPart and PutObject paths (S3DLIO_S3_LEAN_PUT) against S3Proxy, which checks SigV4 and the
 * payload's SHA-256, through a fault proxy that records what was sent: the parts (with their CRC32C) and the
 * single PUTs without a checksum to compute are signed and accepted; one the server fails with a 5xx is sent again from its buffer; one corrupted on
 * the way is refused and fails with the same exception as on the SDK path (a multipart upload is aborted); a
 * conditional PUT that finds its condition false fails as on the SDK path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LeanPutTest {
    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 12 * MIB + 12_345; // three 5 MiB parts, the last one short

    private S3ProxyServer server;
    private S3Environment direct;
    private FaultProxy proxy;
    private final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    void start() throws IOException {
        server = S3ProxyServer.start();
        direct = new S3Environment(server.storeSettings(), server.description(), server);
    }

    @AfterAll
    void stop() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }

    @BeforeEach
    void startProxy() throws IOException {
        proxy = FaultProxy.startFor(server.endpoint());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private S3ObjectStore store(boolean leanPut, String checksums) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        settings.put("S3DLIO_S3_MAX_RETRIES", "2");
        settings.put("S3DLIO_PART_SIZE", "5MiB");
        settings.put("S3DLIO_UPLOAD_CONCURRENCY", "2");
        settings.put("S3DLIO_S3_CHECKSUM", checksums);
        settings.put(S3Config.LEAN_PUT, Boolean.toString(leanPut));
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
    }

    private Location next(String name) {
        return direct.bucket().withKey("lean-put-" + counter.incrementAndGet() + "/" + name);
    }

    private static void upload(S3ObjectStore store, Location location, byte[] data) throws IOException {
        try (ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT)) {
            for (int offset = 0; offset < data.length; offset += MIB) {
                writer.write(ByteBuffer.wrap(data, offset, Math.min(MIB, data.length - offset)));
            }
            writer.finish();
        }
    }

    /** Requests the store sent on its own plain-http sockets (PlainHttpBodies), not the Apache client. */
    private static long plainRequests(S3ObjectStore store) {
        return LeanS3Client.of(store.client()).plainRequests();
    }

    private List<FaultProxy.Request> sent(Operation operation) {
        return proxy.requests().stream().filter(r -> r.operation() == operation).toList();
    }

    private void assertNoUploadAndNoObject(Location location) throws IOException {
        var uploads = direct.s3Store().client().listMultipartUploads(b -> b.bucket(location.container())
                .prefix(location.key()));
        assertThat(uploads.uploads()).as("no orphaned multipart upload").isEmpty();
        assertThat(direct.store().exists(location)).isFalse();
    }

    @Test
    void leanPartsAreSignedCarryTheirCrc32cAndAreAccepted() throws IOException {
        byte[] data = TestData.bytes(SIZE, 31);
        for (String checksums : List.of("when_supported", "when_required")) {
            proxy.resetCounts();
            Location location = next("dir/a b+c%d=e&f~g é " + checksums + ".bin");
            try (S3ObjectStore lean = store(true, checksums)) {
                upload(lean, location, data);
            }
            List<FaultProxy.Request> parts = sent(Operation.UPLOAD_PART);
            assertThat(parts).hasSize(3);
            for (FaultProxy.Request part : parts) {
                assertThat(part.headers().get("user-agent")).contains("s3dlio-lean");
                assertThat(part.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=test/");
                // Over http the payload is hashed and signed, as the SDK and the peers do.
                assertThat(part.headers().get("x-amz-content-sha256")).matches("[0-9a-f]{64}");
                if (checksums.equals("when_supported")) {
                    assertThat(part.headers().get("x-amz-checksum-crc32c")).isNotBlank();
                } else {
                    assertThat(part.headers()).doesNotContainKey("x-amz-checksum-crc32c");
                }
            }
            // CreateMultipartUpload and CompleteMultipartUpload stay the SDK's.
            assertThat(sent(Operation.CREATE_MULTIPART_UPLOAD).get(0).headers().get("user-agent"))
                    .doesNotContain("s3dlio-lean");
            assertThat(direct.store().get(location).toArray()).isEqualTo(data);
            if (checksums.equals("when_supported")) {
                // The full-object CRC32C combined from the parts' values was accepted and is what a read checks.
                assertThat(direct.s3Store().client().headObject(b -> b.bucket(location.container()).key(location.key())
                        .checksumMode("ENABLED")).checksumCRC32C()).isNotBlank();
            }
        }
    }

    @Test
    void aPartTheServerFailsIsSentAgainFromItsBuffer() throws IOException {
        byte[] data = TestData.bytes(SIZE, 32);
        Location location = next("retried.bin");
        proxy.first(1, on(Operation.UPLOAD_PART), Fault.status(503));
        try (S3ObjectStore lean = store(true, "when_supported")) {
            upload(lean, location, data);
        }
        assertThat(sent(Operation.UPLOAD_PART)).hasSize(4);
        assertThat(direct.store().get(location).toArray()).isEqualTo(data);
    }

    @Test
    void aCorruptedPartFailsTheUploadAsOnTheSdkPathAndAbortsIt() throws IOException {
        byte[] data = TestData.bytes(SIZE, 33);
        proxy.always(on(Operation.UPLOAD_PART), Fault.flipRequestBit(1_000, 3));
        String[] outcomes = new String[2];
        for (boolean leanPut : new boolean[] {true, false}) {
            Location location = next("corrupted-" + leanPut + ".bin");
            proxy.resetCounts();
            try (S3ObjectStore store = store(leanPut, "when_supported")) {
                IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> upload(store, location, data));
                outcomes[leanPut ? 0 : 1] = failure.getClass().getName();
                assertThat(failure).hasMessageContaining("UploadPart");
            }
            assertThat(sent(Operation.UPLOAD_PART)).isNotEmpty().allSatisfy(part -> assertThat(
                    part.headers().get("user-agent").contains("s3dlio-lean")).isEqualTo(leanPut));
            assertThat(proxy.count(Operation.ABORT_MULTIPART_UPLOAD)).as("aborted").isEqualTo(1);
            assertNoUploadAndNoObject(location);
        }
        assertThat(outcomes[0]).isEqualTo(outcomes[1]);
    }

    @Test
    void aPartThatKeepsFailingEndsTheUploadAfterTheConfiguredAttempts() throws IOException {
        byte[] data = TestData.bytes(SIZE, 34);
        Location location = next("keeps-failing.bin");
        proxy.always(on(Operation.UPLOAD_PART), Fault.status(500));
        try (S3ObjectStore lean = store(true, "when_supported")) {
            assertThatThrownBy(() -> upload(lean, location, data)).isInstanceOf(IOException.class)
                    .hasMessageContaining("UploadPart");
        }
        // The failing part is tried 1 + S3DLIO_S3_MAX_RETRIES times (a part still in flight when the upload is
        // aborted may be cut short); no part is sent more often.
        assertThat(proxy.count(Operation.UPLOAD_PART)).isBetween(3L, 9L);
        assertThat(proxy.count(Operation.ABORT_MULTIPART_UPLOAD)).isEqualTo(1);
        assertNoUploadAndNoObject(location);
    }

    @Test
    void leanPutObjectsAreSignedCarryTheirCrc32cContentTypeAndMetadataAndAreAccepted() throws IOException {
        byte[] data = TestData.bytes(300_000, 41);
        WriteOptions options = WriteOptions.DEFAULT.withContentType("application/x-test")
                .withMetadata(Map.of("origin", "lean test", "n", "1"));
        for (String checksums : List.of("when_supported", "when_required")) {
            proxy.resetCounts();
            Location viaPut = next("dir/a b+c%d=e&f~g é " + checksums + ".bin");
            Location viaWriter = next("writer-" + checksums + ".bin");
            WriteResult put;
            try (S3ObjectStore lean = store(true, checksums)) {
                put = lean.put(viaPut, ByteBuffer.wrap(data), options);
                try (ObjectWriter writer = lean.newWriter(viaWriter, options)) {
                    writer.write(ByteBuffer.wrap(data));
                    writer.finish();
                }
                // Over http the lean PutObjects go on the store's own sockets, from their buffers.
                assertThat(plainRequests(lean)).isEqualTo(checksums.equals("when_required") ? 2 : 0);
            }
            List<FaultProxy.Request> puts = sent(Operation.PUT_OBJECT);
            assertThat(puts).hasSize(2);
            for (FaultProxy.Request request : puts) {
                assertThat(request.headers().get("authorization")).startsWith("AWS4-HMAC-SHA256 Credential=test/");
                if (checksums.equals("when_supported")) {
                    // A CRC32C the SDK computes into its aws-chunked trailer (which S3Mock keeps): the SDK's.
                    assertThat(request.headers().get("user-agent")).doesNotContain("s3dlio-lean");
                } else {
                    assertThat(request.headers().get("user-agent")).contains("s3dlio-lean");
                    assertThat(request.headers().get("x-amz-content-sha256")).matches("[0-9a-f]{64}");
                    assertThat(request.headers()).doesNotContainKey("x-amz-checksum-crc32c");
                }
            }
            assertThat(sent(Operation.CREATE_MULTIPART_UPLOAD)).isEmpty();
            for (Location location : List.of(viaPut, viaWriter)) {
                assertThat(direct.store().get(location).toArray()).isEqualTo(data);
                var head = direct.s3Store().client().headObject(b -> b.bucket(location.container())
                        .key(location.key()).checksumMode("ENABLED"));
                assertThat(head.contentType()).isEqualTo("application/x-test");
                assertThat(head.metadata()).containsEntry("origin", "lean test").containsEntry("n", "1");
                assertThat(head.eTag()).contains(put.etag().orElseThrow());
            }
        }
    }

    @Test
    void putObjectsTheLeanPathDoesNotBuildGoThroughTheSdk() throws IOException {
        byte[] data = TestData.bytes(1_000, 42);
        Location location = next("non-ascii-metadata.bin");
        try (S3ObjectStore lean = store(true, "when_required")) {
            lean.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT.withMetadata(Map.of("name", "caf\u00e9")));
            assertThat(plainRequests(lean)).isZero();
        }
        assertThat(sent(Operation.PUT_OBJECT)).hasSize(1).allSatisfy(request ->
                assertThat(request.headers().get("user-agent")).doesNotContain("s3dlio-lean"));
        assertThat(direct.store().get(location).toArray()).isEqualTo(data);
    }

    @Test
    void anEmptyObjectGoesTheLeanWayAsAPlainEmptyBody() throws IOException {
        Location location = next("empty.bin");
        WriteResult written;
        try (S3ObjectStore lean = store(true, "when_required")) {
            written = lean.put(location, ByteBuffer.allocate(0), WriteOptions.DEFAULT);
            assertThat(plainRequests(lean)).isEqualTo(1);
        }
        List<FaultProxy.Request> puts = sent(Operation.PUT_OBJECT);
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).headers().get("user-agent")).contains("s3dlio-lean");
        assertThat(puts.get(0).headers().get("content-length")).isEqualTo("0");
        // The SHA-256 of no bytes, signed (radosgw refuses a streamed empty body; this is a plain one).
        assertThat(puts.get(0).headers().get("x-amz-content-sha256"))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(direct.store().get(location).toArray()).isEmpty();
        assertThat(direct.store().stat(location).size()).isZero();
        assertThat(written.etag()).isPresent();
    }

    @Test
    void aPutObjectToAMissingBucketFailsAsOnTheSdkPath() throws IOException {
        byte[] data = TestData.bytes(2_000, 48);
        Location missing = Location.parse("s3://no-such-bucket-" + counter.incrementAndGet() + "/key.bin");
        String[] outcomes = new String[2];
        for (boolean leanPut : new boolean[] {true, false}) {
            proxy.resetCounts();
            try (S3ObjectStore store = store(leanPut, "when_required")) {
                IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> store.put(missing, ByteBuffer.wrap(data), WriteOptions.DEFAULT));
                assertThat(failure).isInstanceOf(io.s3dlio.api.ContainerNotFoundException.class)
                        .hasMessageContaining(missing.container());
                outcomes[leanPut ? 0 : 1] = failure.getClass().getName();
                assertThat(plainRequests(store)).isEqualTo(leanPut ? 1 : 0); // a 404 is not retried
            }
            assertThat(sent(Operation.PUT_OBJECT)).hasSize(1).allSatisfy(put -> assertThat(
                    put.headers().get("user-agent").contains("s3dlio-lean")).isEqualTo(leanPut));
        }
        assertThat(outcomes[0]).isEqualTo(outcomes[1]);
    }

    @Test
    void aPutObjectTheServerFailsIsSentAgainFromItsBuffer() throws IOException {
        byte[] data = TestData.bytes(200_000, 43);
        Location location = next("put-retried.bin");
        proxy.first(1, on(Operation.PUT_OBJECT), Fault.status(503));
        try (S3ObjectStore lean = store(true, "when_required")) {
            lean.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            // Both attempts on the store's own plain-http sockets (the 503's connection kept or replaced).
            assertThat(plainRequests(lean)).isEqualTo(2);
        }
        assertThat(sent(Operation.PUT_OBJECT)).hasSize(2).allSatisfy(put ->
                assertThat(put.headers().get("user-agent")).contains("s3dlio-lean"));
        assertThat(direct.store().get(location).toArray()).isEqualTo(data);
    }

    @Test
    void aCorruptedPutObjectFailsAsOnTheSdkPathAndWritesNothing() throws IOException {
        byte[] data = TestData.bytes(200_000, 44);
        proxy.always(on(Operation.PUT_OBJECT), Fault.flipRequestBit(1_000, 3));
        // Both paths sign the whole payload's SHA-256 (checksums when_required: the PUTs the lean path sends), and
        // the server's answer, and so the exception, is the same.
        for (String checksums : List.of("when_required")) {
            String[] outcomes = new String[2];
            for (boolean leanPut : new boolean[] {true, false}) {
                Location location = next("put-corrupted-" + leanPut + "-" + checksums + ".bin");
                proxy.resetCounts();
                try (S3ObjectStore store = store(leanPut, checksums)) {
                    IOException failure = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                            () -> store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT));
                    outcomes[leanPut ? 0 : 1] = failure.getClass().getName();
                    assertThat(failure).isInstanceOf(io.s3dlio.api.StorageException.class);
                }
                assertThat(sent(Operation.PUT_OBJECT)).isNotEmpty().allSatisfy(put -> assertThat(
                        put.headers().get("user-agent").contains("s3dlio-lean")).isEqualTo(leanPut));
                assertThat(direct.store().exists(location)).isFalse();
            }
            assertThat(outcomes[0]).isEqualTo(outcomes[1]);
        }
    }

    @Test
    void aPutObjectThatKeepsFailingIsTriedTheConfiguredNumberOfTimes() throws IOException {
        byte[] data = TestData.bytes(10_000, 45);
        Location location = next("put-keeps-failing.bin");
        proxy.always(on(Operation.PUT_OBJECT), Fault.status(500));
        try (S3ObjectStore lean = store(true, "when_required")) {
            assertThatThrownBy(() -> lean.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT))
                    .isInstanceOf(IOException.class);
        }
        assertThat(proxy.count(Operation.PUT_OBJECT)).isEqualTo(3); // 1 + S3DLIO_S3_MAX_RETRIES
        assertThat(direct.store().exists(location)).isFalse();
    }

    @Test
    void conditionalPutObjectsFailAsOnTheSdkPath() throws IOException {
        byte[] first = TestData.bytes(5_000, 46);
        byte[] second = TestData.bytes(5_000, 47);
        for (boolean leanPut : new boolean[] {true, false}) {
            Location location = next("conditional-" + leanPut + ".bin");
            try (S3ObjectStore store = store(leanPut, "when_required")) {
                WriteResult created = store.put(location, ByteBuffer.wrap(first),
                        WriteOptions.DEFAULT.withCondition(WriteCondition.IF_ABSENT));
                assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(second),
                        WriteOptions.DEFAULT.withCondition(WriteCondition.IF_ABSENT)))
                        .isInstanceOf(PreconditionFailedException.class);
                assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(second),
                        WriteOptions.DEFAULT.withCondition(WriteCondition.ifMatch("0123456789abcdef0123456789abcdef"))))
                        .isInstanceOf(PreconditionFailedException.class);
                store.put(location, ByteBuffer.wrap(second),
                        WriteOptions.DEFAULT.withCondition(WriteCondition.ifMatch(created.etag().orElseThrow())));
            }
            assertThat(direct.store().get(location).toArray()).isEqualTo(second);
            assertThat(sent(Operation.PUT_OBJECT)).isNotEmpty().allSatisfy(put -> assertThat(
                    put.headers().get("user-agent").contains("s3dlio-lean")).isEqualTo(leanPut));
            proxy.resetCounts();
        }
    }
}
