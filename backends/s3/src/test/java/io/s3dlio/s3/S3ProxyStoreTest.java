package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.upload.PartSizing;
import io.s3dlio.engine.upload.PartUploadTarget;
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.engine.upload.UploadLimits;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/** What the contract kit does not cover, on S3Proxy: big multipart objects, injected failures, auth errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ProxyStoreTest {
    private static final int MIB = 1024 * 1024;
    private S3ProxyServer server;
    private S3Environment environment;
    private final AtomicInteger counter = new AtomicInteger();

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

    private Location at(String key) {
        return environment.bucket().withKey("extra-" + counter.incrementAndGet() + "/" + key);
    }

    private ObjectStore storeWith(Map<String, String> changes) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.putAll(changes);
        settings.values().removeIf(String::isEmpty);
        return new S3StoreProvider().create(ConfigSource.of(settings));
    }

    @Test
    void copyIsServerSideNoBodyPassesThroughTheClient() throws Exception {
        Location source = at("server-side/source.bin");
        environment.store().put(source, ByteBuffer.wrap(TestData.bytes(300_000, 9)), WriteOptions.DEFAULT);
        assertThat(environment.store().capabilities()).contains(io.s3dlio.api.Capability.SERVER_SIDE_COPY);
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.passThrough());
                ObjectStore counted = storeWith(Map.of("AWS_ENDPOINT_URL", proxy.endpoint()))) {
            counted.copy(source, at("server-side/target.bin"));
            // A HEAD for the size, then CopyObject (a PUT without a body); a client-side copy would GET the bytes.
            assertThat(proxy.methodCounts()).containsEntry("HEAD", 1L).containsEntry("PUT", 1L).doesNotContainKey("GET");
        }
    }

    @Test
    void copyOntoItselfSendsNoCopyRequest() throws Exception {
        Location location = at("self.bin");
        environment.store().put(location, ByteBuffer.wrap(TestData.bytes(1000, 3)), WriteOptions.DEFAULT);
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.passThrough());
                ObjectStore counted = storeWith(Map.of("AWS_ENDPOINT_URL", proxy.endpoint()))) {
            counted.rename(location, location);
            // Only the existence check: AWS refuses a self-copy, and a delete would lose the object.
            assertThat(proxy.methodCounts()).containsOnlyKeys("HEAD");
        }
        assertThat(environment.store().exists(location)).isTrue();
    }

    @Test
    void hundredMebibytesPlusOneByteRoundTripThroughMultipart() throws Exception {
        Location location = at("big.bin");
        byte[] data = TestData.bytes(100 * MIB + 1, 42);
        WriteResult result;
        try (ObjectWriter writer = environment.store().newWriter(location, WriteOptions.DEFAULT)) {
            for (int offset = 0; offset < data.length; offset += 3 * MIB) {
                writer.write(data, offset, Math.min(3 * MIB, data.length - offset));
            }
            result = writer.finish();
        }
        // Default policy, unknown length: 16 MiB parts, so 6 full parts and one of 4 MiB + 1 byte; a multipart
        // ETag ends in -<parts>.
        assertThat(result.etag()).hasValueSatisfying(etag -> assertThat(etag).endsWith("-7"));
        ObjectInfo info = environment.store().stat(location);
        assertThat(info.size()).isEqualTo(data.length);
        assertThat(info.etag()).isEqualTo(result.etag());
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(result.crc32c()).isEqualTo((int) crc.getValue());
        assertThat(environment.store().get(location).buffer()).isEqualTo(ByteBuffer.wrap(data));
        assertThat(environment.store().getRange(location, data.length - 1, OptionalLong.empty()).toArray())
                .containsExactly(data[data.length - 1]);
    }

    @Test
    void writeOptionsPartSizeWins() throws Exception {
        Location location = at("parts.bin");
        byte[] data = TestData.bytes(12 * MIB, 7);
        try (ObjectWriter writer = environment.store().newWriter(location, WriteOptions.DEFAULT.withPartSize(5 * MIB))) {
            writer.write(ByteBuffer.wrap(data));
            assertThat(writer.finish().etag()).hasValueSatisfying(etag -> assertThat(etag).endsWith("-3"));
        }
        assertThat(environment.store().get(location).toArray()).isEqualTo(data);
    }

    /** Fails part 3 of an upload, as a dropped connection would after the SDK's retries. */
    private static final class FailingTarget implements PartUploadTarget<CompletedPart> {
        private final S3Uploads.Target delegate;
        final AtomicInteger aborts = new AtomicInteger();

        FailingTarget(S3Uploads.Target delegate) {
            this.delegate = delegate;
        }

        @Override public Optional<String> putWhole(ByteBuffer data) throws IOException { return delegate.putWhole(data); }
        @Override public void begin() throws IOException { delegate.begin(); }
        @Override public CompletedPart uploadPart(int partNumber, ByteBuffer data) throws IOException {
            if (partNumber == 3) {
                throw new StorageException(null, "injected failure in part 3");
            }
            return delegate.uploadPart(partNumber, data);
        }
        @Override public Optional<String> complete(List<CompletedPart> parts) throws IOException { return delegate.complete(parts); }
        @Override public void abort() throws IOException {
            aborts.incrementAndGet();
            delegate.abort();
        }
    }

    @Test
    void failureInTheMiddleOfAMultipartUploadLeavesNoUploadAndNoObject() throws Exception {
        Location location = at("fails-midway.bin");
        S3Uploads.Target real = new S3Uploads.Target(environment.s3Store().client(), location, WriteOptions.DEFAULT,
                environment.s3Store().config().requestChecksum());
        FailingTarget failing = new FailingTarget(real);
        byte[] data = TestData.bytes(6 * 5 * MIB, 9);
        ObjectWriter writer = new PartedObjectWriter<>(location, WriteOptions.DEFAULT, failing,
                new PartSizing.Fixed(5 * MIB), 2);
        assertThatThrownBy(() -> {
            try (writer) {
                for (int offset = 0; offset < data.length; offset += MIB) {
                    writer.write(data, offset, MIB);
                }
                writer.finish();
            }
        }).isInstanceOf(IOException.class).hasStackTraceContaining("injected failure in part 3");
        assertThat(real.uploadId()).as("the upload had begun").isPresent();
        assertThat(failing.aborts).hasValue(1);
        var uploads = environment.s3Store().client().listMultipartUploads(b -> b.bucket(location.container())
                .prefix(location.key()));
        assertThat(uploads.uploads()).as("no orphaned multipart upload").isEmpty();
        assertThat(environment.store().exists(location)).isFalse();
        try (var listing = environment.store().list(location, ListMode.RECURSIVE)) {
            assertThat(listing.toList()).isEmpty();
        }
    }

    @Test
    void closeWithoutFinishAbortsTheMultipartUpload() throws Exception {
        Location location = at("closed.bin");
        try (ObjectWriter writer = environment.store().newWriter(location, WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(20 * MIB, 3))); // two parts already uploading
        }
        var uploads = environment.s3Store().client().listMultipartUploads(b -> b.bucket(location.container())
                .prefix(location.key()));
        assertThat(uploads.uploads()).isEmpty();
        assertThat(environment.store().exists(location)).isFalse();
    }

    @Test
    void statReportsEtagContentTypeAndMetadata() throws Exception {
        Location location = at("meta.bin");
        WriteResult written = environment.store().put(location, ByteBuffer.wrap(new byte[] {1, 2, 3}),
                WriteOptions.DEFAULT.withContentType("application/x-s3dlio").withMetadata(Map.of("k", "v")));
        ObjectInfo info = environment.store().stat(location);
        assertThat(info.etag()).isEqualTo(written.etag()).hasValueSatisfying(etag -> assertThat(etag).doesNotContain("\""));
        assertThat(info.contentType()).hasValue("application/x-s3dlio");
        assertThat(info.metadata()).containsEntry("k", "v");
    }

    @Test
    void wrongSecretIsAccessDeniedNamingTheUri() throws Exception {
        Location location = at("secret.bin");
        environment.store().put(location, ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT);
        try (ObjectStore wrong = storeWith(Map.of("AWS_SECRET_ACCESS_KEY", "not-the-secret", "S3DLIO_S3_MAX_RETRIES", "0"))) {
            assertThatThrownBy(() -> wrong.get(location))
                    .isInstanceOfSatisfying(AccessDeniedException.class,
                            e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.INVALID_CREDENTIALS))
                    .hasMessageContaining(location.toString());
            assertThatThrownBy(() -> wrong.stat(location))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining(location.toString());
            assertThatThrownBy(() -> wrong.put(location, ByteBuffer.wrap(new byte[] {2}), WriteOptions.DEFAULT))
                    .isInstanceOf(AccessDeniedException.class);
        }
        assertThat(environment.store().get(location).toArray()).containsExactly(1);
    }

    @Test
    void missingCredentialsSayWhatToSet() throws Exception {
        Location location = at("anything.bin");
        // No keys, and a profile that no shared file holds: the SDK finds no credentials at all.
        try (ObjectStore none = storeWith(Map.of("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "",
                "AWS_PROFILE", "s3dlio-test-no-such-profile"))) {
            assertThatThrownBy(() -> none.get(location))
                    .isInstanceOfSatisfying(AccessDeniedException.class,
                            e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_CREDENTIALS))
                    .hasMessageContaining(location.toString())
                    .hasMessageContaining("AWS_ACCESS_KEY_ID")
                    .hasMessageContaining("AWS_SECRET_ACCESS_KEY")
                    .hasMessageContaining("AWS_PROFILE");
        }
    }

    @Test
    void absentBucketIsContainerNotFound() throws Exception {
        Location location = Location.parse("s3://s3dlio-no-such-bucket-" + counter.incrementAndGet() + "/key.bin");
        ObjectStore store = environment.store();
        assertThatThrownBy(() -> store.get(location))
                .isInstanceOf(ContainerNotFoundException.class)
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT))
                .isInstanceOf(ContainerNotFoundException.class)
                .hasMessageContaining(location.toString());
        // The listing fails on the call itself, checked, as on every store (the contract kit checks it too).
        assertThatThrownBy(() -> store.list(location.containerRoot(), ListMode.RECURSIVE))
                .isInstanceOf(ContainerNotFoundException.class);
    }

    @Test
    void multipartCopyJoinsRangesAndKeepsMetadata() throws Exception {
        // The path copy takes above CopyObject's 5 GiB limit, run here with 5 MiB parts on a small object.
        Location source = at("copy-source.bin");
        Location target = at("copy-target.bin");
        byte[] data = TestData.bytes(11 * MIB + 5, 8);
        environment.store().put(source, ByteBuffer.wrap(data),
                WriteOptions.DEFAULT.withContentType("application/x-copy").withMetadata(Map.of("origin", "test")));
        environment.s3Store().multipartCopy(source, target, data.length, 5 * MIB);
        assertThat(environment.store().get(target).toArray()).isEqualTo(data);
        ObjectInfo info = environment.store().stat(target);
        assertThat(info.etag()).hasValueSatisfying(etag -> assertThat(etag).endsWith("-3"));
        assertThat(info.contentType()).hasValue("application/x-copy");
        assertThat(info.metadata()).containsEntry("origin", "test");
    }

    @Test
    void contentRangeTotalIsParsed() {
        assertThat(io.s3dlio.spi.ContentRange.totalSize("bytes 0-99/100")).hasValue(100);
        assertThat(io.s3dlio.spi.ContentRange.totalSize("bytes */100")).hasValue(100);
        assertThat(io.s3dlio.spi.ContentRange.totalSize("bytes 0-99/*")).isEmpty();
        assertThat(io.s3dlio.spi.ContentRange.totalSize(null)).isEmpty();
    }

    @Test
    void limitsAreTheS3Ones() {
        PartSizing sizing = environment.s3Store().config().uploads()
                .partSizing(io.s3dlio.api.WriteOptions.DEFAULT.withExpectedSize(10_000L * 16 * MIB + 1), UploadLimits.S3);
        assertThat(sizing.partSize(1)).isGreaterThan(16L * MIB);
    }

    /**
     * The listing fetches one page ahead of its reader, never more: a reader that takes one entry of a two-page
     * listing and closes it has cost the first page and at most the one fetched ahead; a full read still gets
     * every key, in order, across the pages.
     */
    @Test
    void listingFetchesAtMostOnePageAheadAndStopsOnClose() throws Exception {
        Location prefix = at("ahead/");
        int count = 1_001; // two pages of ListObjectsV2 (1,000 keys each)
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.concurrent.Semaphore limit = new java.util.concurrent.Semaphore(16);
            List<java.util.concurrent.Future<?>> puts = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                Location location = prefix.withKey(prefix.key() + String.format(java.util.Locale.ROOT, "key-%05d", i));
                puts.add(executor.submit(() -> {
                    limit.acquire();
                    try {
                        environment.store().put(location, ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT);
                    } finally {
                        limit.release();
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> put : puts) {
                put.get();
            }
        }
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.passThrough());
                ObjectStore counted = storeWith(Map.of("AWS_ENDPOINT_URL", proxy.endpoint()))) {
            try (var entries = counted.list(prefix, ListMode.RECURSIVE)) {
                assertThat(entries.iterator().next().location().key()).isEqualTo(prefix.key() + "key-00000");
            }
            assertThat(proxy.methodCounts().getOrDefault("GET", 0L)).isBetween(1L, 2L);
            try (var entries = counted.list(prefix, ListMode.RECURSIVE)) {
                List<String> keys = entries.map(entry -> entry.location().key()).toList();
                assertThat(keys).hasSize(count).isSorted();
                assertThat(keys.getLast()).isEqualTo(prefix.key() + "key-01000");
            }
        }
    }
}
