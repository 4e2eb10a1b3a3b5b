package io.s3dlio.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.models.BlockList;
import com.azure.storage.blob.models.BlockListType;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.AzuriteServer;
import java.util.Map;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.upload.PartUploadTarget;
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.AzuriteServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract kit cannot see: block layout of large uploads, failure mid-upload, auth and container errors. */
class AzureStoreTest {
    static final AzuriteEnvironment ENVIRONMENT = new AzuriteEnvironment();
    private static final int MIB = 1024 * 1024;

    private final AzureObjectStore store = ENVIRONMENT.store();
    private Location prefix;

    @AfterAll
    static void closeEnvironment() {
        ENVIRONMENT.close();
    }

    @BeforeEach
    void freshPrefix() {
        prefix = ENVIRONMENT.newTestPrefix();
    }

    @Test
    void streamedUploadOf100MiBPlusOneByteCommitsSevenSixteenMiBBlocks() throws Exception {
        Location location = prefix.resolve("big.bin");
        int size = 100 * MIB + 1;
        byte[] data = TestData.bytes(size, 100);
        WriteResult result;
        try (var writer = store.newWriter(location, WriteOptions.DEFAULT)) {
            for (int offset = 0; offset < size; offset += 3 * MIB + 5) {
                writer.write(data, offset, Math.min(3 * MIB + 5, size - offset));
            }
            result = writer.finish();
        }
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(result.crc32c()).isEqualTo((int) crc.getValue());
        assertThat(result.bytesWritten()).isEqualTo(size);

        BlockList blocks = store.blockBlob(location).listBlocks(BlockListType.ALL);
        // Default policy, unknown length: 6 full 16 MiB blocks and a last block of 4 MiB + 1 byte, committed in
        // order, none left uncommitted.
        assertThat(blocks.getCommittedBlocks()).hasSize(7);
        assertThat(blocks.getUncommittedBlocks()).isEmpty();
        assertThat(blocks.getCommittedBlocks().subList(0, 6)).allMatch(block -> block.getSizeLong() == 16L * MIB);
        assertThat(blocks.getCommittedBlocks().get(6).getSizeLong()).isEqualTo(4L * MIB + 1);
        List<String> ids = blocks.getCommittedBlocks().stream().map(block -> block.getName()).toList();
        assertThat(ids).allMatch(id -> id.length() == ids.get(0).length());
        assertThat(ids.stream().map(id -> new String(Base64.getDecoder().decode(id), java.nio.charset.StandardCharsets.US_ASCII))
                .map(id -> id.substring(id.length() - 6)).toList())
                .containsExactly("000001", "000002", "000003", "000004", "000005", "000006", "000007");

        assertThat(store.stat(location).size()).isEqualTo(size);
        byte[] back = store.get(location).toArray();
        assertThat(back.length).isEqualTo(size);
        assertThat(Arrays.mismatch(back, data)).as("first differing byte").isEqualTo(-1);
        store.delete(location);
    }

    /** A block target that fails the Nth part upload, as a dropped connection would after the SDK's retries. */
    private static final class FailingPart implements PartUploadTarget<String> {
        private final PartUploadTarget<String> delegate;
        private final int failingPart;
        private final AtomicInteger uploaded = new AtomicInteger();
        private final AtomicInteger aborts = new AtomicInteger();

        FailingPart(PartUploadTarget<String> delegate, int failingPart) {
            this.delegate = delegate;
            this.failingPart = failingPart;
        }

        @Override
        public Optional<String> putWhole(ByteBuffer data) throws IOException {
            return delegate.putWhole(data);
        }

        @Override
        public void begin() throws IOException {
            delegate.begin();
        }

        @Override
        public String uploadPart(int partNumber, ByteBuffer data) throws IOException {
            if (partNumber == failingPart) {
                throw new StorageException(null, "injected failure of block " + partNumber);
            }
            String id = delegate.uploadPart(partNumber, data);
            uploaded.incrementAndGet();
            return id;
        }

        @Override
        public Optional<String> complete(List<String> parts) throws IOException {
            return delegate.complete(parts);
        }

        @Override
        public void abort() throws IOException {
            aborts.incrementAndGet();
            delegate.abort();
        }
    }

    @Test
    void failureMidUploadLeavesNoBlobUnderTheName() throws Exception {
        Location location = prefix.resolve("interrupted.bin");
        WriteOptions options = WriteOptions.DEFAULT.withPartSize(256 * 1024);
        FailingPart[] target = new FailingPart[1];
        byte[] data = TestData.bytes(12 * 256 * 1024, 7);
        // Part 9 is only submitted once one of the 8 in flight (UploadPolicy.DEFAULT_UPLOAD_CONCURRENCY) is done,
        // so real blocks are staged first.
        int failing = io.s3dlio.engine.tuning.UploadPolicy.DEFAULT_UPLOAD_CONCURRENCY + 1;
        target[0] = new FailingPart(new BlockUploadTarget(location, store.blockBlob(location), options), failing);
        PartedObjectWriter<String> writer = new PartedObjectWriter<>(location, options, target[0],
                new io.s3dlio.engine.upload.PartSizing.Fixed(256 * 1024), failing - 1);
        assertThatThrownBy(() -> {
            try (writer) {
                for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                    writer.write(data, offset, 64 * 1024);
                }
                writer.finish();
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("injected failure of block " + failing);

        assertThat(target[0].uploaded.get()).as("blocks staged before the failure").isPositive();
        assertThat(target[0].aborts.get()).isEqualTo(1);
        // The staged blocks exist on the service, uncommitted: nothing is readable under the name.
        assertThat(store.blockBlob(location).listBlocks(BlockListType.ALL).getCommittedBlocks()).isEmpty();
        assertThat(store.exists(location)).isFalse();
        try (var listing = store.list(prefix, ListMode.RECURSIVE)) {
            assertThat(listing.toList()).isEmpty();
        }
    }

    @Test
    void failureMidUploadKeepsThePreviousVersion() throws Exception {
        Location location = prefix.resolve("keep.bin");
        byte[] old = TestData.bytes(1000, 1);
        store.put(location, ByteBuffer.wrap(old), WriteOptions.DEFAULT);
        PartedObjectWriter<String> writer = new PartedObjectWriter<>(location, WriteOptions.DEFAULT,
                new FailingPart(new BlockUploadTarget(location, store.blockBlob(location), WriteOptions.DEFAULT), 2),
                new io.s3dlio.engine.upload.PartSizing.Fixed(128 * 1024), 8);
        assertThatThrownBy(() -> {
            try (writer) {
                writer.write(ByteBuffer.wrap(TestData.bytes(1024 * 1024, 2)));
                writer.finish();
            }
        }).isInstanceOf(IOException.class);
        assertThat(store.get(location).toArray()).isEqualTo(old);
    }

    @Test
    void wrongAccountKeyIsAccessDeniedNamingTheUri() throws Exception {
        String wrongKey = Base64.getEncoder().encodeToString(TestData.bytes(64, 3));
        Map<String, String> settings = Map.of(
                "AZURE_STORAGE_ACCOUNT", "devstoreaccount1",
                "AZURE_STORAGE_KEY", wrongKey,
                "AZURE_STORAGE_ENDPOINT", ENVIRONMENT.server().blobEndpoint(),
                "S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION,
                "S3DLIO_AZURE_MAX_TRIES", "1");
        Location location = prefix.resolve("secret.bin");
        store.put(location, ByteBuffer.wrap(new byte[] {1, 2, 3}), WriteOptions.DEFAULT);
        try (ObjectStore intruder = new AzureStoreProvider().create(ConfigSource.of(settings))) {
            // Azure answers a bad signature with AuthenticationFailed (INVALID_CREDENTIALS); Azurite answers
            // AuthorizationFailure, which on Azure means a permission or network rule (PERMISSION).
            assertThatThrownBy(() -> intruder.get(location))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining(location.toString())
                    .hasMessageContaining("HTTP 403");
            assertThatThrownBy(() -> intruder.put(prefix.resolve("nope"), ByteBuffer.allocate(1), WriteOptions.DEFAULT))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining(prefix.resolve("nope").toString());
        }
    }

    /** put, get, list, copy and batch delete through a store with the given credential settings. */
    private void roundTrip(Map<String, String> credentials) throws Exception {
        Map<String, String> settings = new java.util.HashMap<>(credentials);
        settings.put("S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
        try (ObjectStore other = new AzureStoreProvider().create(ConfigSource.of(settings))) {
            Location location = prefix.resolve("cred/a.bin");
            byte[] data = TestData.bytes(3000, 4);
            other.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            assertThat(other.get(location).toArray()).isEqualTo(data);
            other.copy(location, prefix.resolve("cred/b.bin"));
            assertThat(store.get(prefix.resolve("cred/b.bin")).toArray()).isEqualTo(data);
            try (var listing = other.list(prefix.resolve("cred/"), ListMode.RECURSIVE)) {
                assertThat(listing.count()).isEqualTo(2);
            }
            DeleteResult deleted = other.deletePrefix(prefix.resolve("cred/"));
            assertThat(deleted.failures()).isEmpty();
            assertThat(deleted.deleted()).isEqualTo(2);
        }
    }

    @Test
    void accountNameAndKeyWork() throws Exception {
        roundTrip(Map.of("AZURE_STORAGE_ACCOUNT", AzuriteServer.ACCOUNT, "AZURE_STORAGE_KEY", AzuriteServer.ACCOUNT_KEY,
                "AZURE_STORAGE_ENDPOINT", ENVIRONMENT.server().blobEndpoint()));
    }

    @Test
    void sasTokenWorksIncludingServerSideCopy() throws Exception {
        com.azure.storage.blob.BlobServiceClient admin = new com.azure.storage.blob.BlobServiceClientBuilder()
                .endpoint(ENVIRONMENT.server().blobEndpoint())
                .credential(new com.azure.storage.common.StorageSharedKeyCredential(AzuriteServer.ACCOUNT, AzuriteServer.ACCOUNT_KEY))
                .serviceVersion(AzureConfig.serviceVersion(AzuriteServer.SERVICE_VERSION))
                .httpClient(new com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder().build())
                .buildClient();
        String sas = admin.generateAccountSas(new com.azure.storage.common.sas.AccountSasSignatureValues(
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).plusHours(1),
                com.azure.storage.common.sas.AccountSasPermission.parse("rwdlacup"),
                new com.azure.storage.common.sas.AccountSasService().setBlobAccess(true),
                new com.azure.storage.common.sas.AccountSasResourceType().setService(true).setContainer(true).setObject(true)));
        roundTrip(Map.of("AZURE_STORAGE_ACCOUNT", AzuriteServer.ACCOUNT, "AZURE_STORAGE_SAS_TOKEN", sas,
                "AZURE_STORAGE_ENDPOINT", ENVIRONMENT.server().blobEndpoint()));
    }

    @Test
    void absentContainerIsContainerNotFoundNamingTheUri() {
        Location location = Location.parse("az://devstoreaccount1/no-such-container-" + System.nanoTime() + "/key.bin");
        assertThatThrownBy(() -> store.get(location)).isInstanceOf(ContainerNotFoundException.class)
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> store.stat(location)).isInstanceOf(ContainerNotFoundException.class)
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> store.put(location, ByteBuffer.allocate(3), WriteOptions.DEFAULT))
                .isInstanceOf(ContainerNotFoundException.class).hasMessageContaining(location.toString());
        assertThatThrownBy(() -> store.list(location.withKey(""), ListMode.RECURSIVE))
                .isInstanceOf(ContainerNotFoundException.class);
    }

    /** A store on Azurite through {@code proxy}, with {@code extra} settings. */
    private static ObjectStore throughProxy(LatencyProxy proxy, Map<String, String> extra) throws IOException {
        Map<String, String> settings = new java.util.HashMap<>(extra);
        settings.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName="
                + AzuriteServer.ACCOUNT + ";AccountKey=" + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint="
                + proxy.endpoint() + "/" + AzuriteServer.ACCOUNT + ";");
        settings.put("S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
        return new AzureStoreProvider().create(ConfigSource.of(settings));
    }

    @Test
    void deletePrefixWhoseListingBreaksPartWayReturnsTheBreakAsData() throws Exception {
        Location broken = prefix.resolve("broken/");
        for (int i = 0; i < 5; i++) {
            store.put(broken.resolve("item-" + i), ByteBuffer.wrap(new byte[] {(byte) i}), WriteOptions.DEFAULT);
        }
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", ENVIRONMENT.server().port(),
                LatencyProxy.Options.passThrough());
                ObjectStore paged = throughProxy(proxy, Map.of("S3DLIO_AZURE_LIST_PAGE_SIZE", "2",
                        "S3DLIO_AZURE_MAX_TRIES", "1"))) {
            proxy.cutRequests("comp=list", 2); // the first page arrives, every later page request is cut
            DeleteResult result = paged.deletePrefix(broken);
            assertThat(result.deleted()).as("the first page was deleted").isEqualTo(2);
            assertThat(result.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.location()).isEqualTo(broken);
                assertThat(failure.cause()).contains("listing stopped after 2 deletes");
            });
        }
        try (var left = store.list(broken, ListMode.RECURSIVE)) {
            assertThat(left.count()).isEqualTo(3);
        }
    }

    @Test
    void copyIsServerSideNoBodyPassesThroughTheClient() throws Exception {
        Location source = prefix.resolve("server-side/source.bin");
        store.put(source, ByteBuffer.wrap(TestData.bytes(200_000, 5)), WriteOptions.DEFAULT);
        assertThat(store.capabilities()).contains(io.s3dlio.api.Capability.SERVER_SIDE_COPY);
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", ENVIRONMENT.server().port(),
                LatencyProxy.Options.passThrough());
                ObjectStore counted = throughProxy(proxy, Map.of())) {
            counted.copy(source, prefix.resolve("server-side/target.bin"));
            // Copy Blob is a PUT with no body, then HEADs to poll; a client-side copy would GET the bytes.
            assertThat(proxy.methodCounts()).doesNotContainKey("GET");
        }
        assertThat(store.get(prefix.resolve("server-side/target.bin")).size()).isEqualTo(200_000);
    }

    @Test
    void deletePrefixUsesBlobBatchInRequestsOf256() throws Exception {
        int count = 300;
        for (int i = 0; i < count; i++) {
            store.put(prefix.resolve("d/" + i), ByteBuffer.wrap(new byte[] {(byte) i}), WriteOptions.DEFAULT);
        }
        // Counted on the wire, through a proxy: Blob Batch is one POST per batch, a one-by-one fallback a DELETE each.
        try (LatencyProxy proxy = LatencyProxy.start("127.0.0.1", ENVIRONMENT.server().port(),
                LatencyProxy.Options.passThrough());
                ObjectStore counted = throughProxy(proxy, Map.of())) {
            DeleteResult result = counted.deletePrefix(prefix.resolve("d/"));
            assertThat(result.failures()).isEmpty();
            assertThat(result.deleted()).isEqualTo(count);
            assertThat(proxy.methodCounts().getOrDefault("POST", 0L)).as("batch requests").isEqualTo(2);
            assertThat(proxy.methodCounts().getOrDefault("DELETE", 0L)).as("single deletes").isZero();
        }
        try (var left = store.list(prefix, ListMode.RECURSIVE)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void statReportsAzureProperties() throws Exception {
        Location location = prefix.resolve("props.json");
        WriteResult written = store.put(location, ByteBuffer.wrap(new byte[] {'{', '}'}),
                WriteOptions.DEFAULT.withContentType("application/json").withMetadata(Map.of("epoch", "7")));
        ObjectInfo info = store.stat(location);
        assertThat(info.size()).isEqualTo(2);
        assertThat(info.etag()).isPresent().isEqualTo(written.etag());
        assertThat(info.etag().orElseThrow()).doesNotStartWith("\"");
        assertThat(info.contentType()).hasValue("application/json");
        assertThat(info.metadata()).containsEntry("epoch", "7");
        assertThat(info.storageClass()).as("access tier").isPresent();
        assertThat(info.lastModified()).isPresent();
    }

    @Test
    void positionalReadTakesTheTotalSizeFromContentRange() throws Exception {
        Location location = prefix.resolve("sized.bin");
        byte[] data = TestData.bytes(10_000, 9);
        store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        ByteBuffer target = ByteBuffer.allocate(100);
        ReadResult result = store.read(location, 5000, target);
        assertThat(result.bytesRead()).isEqualTo(100);
        assertThat(result.objectSize()).hasValue(10_000);
        assertThat(target.array()).isEqualTo(Arrays.copyOfRange(data, 5000, 5100));
    }

    @Test
    void httpsLocationsAndListingsUseTheAzForm() throws Exception {
        Location location = prefix.resolve("via-https.txt");
        store.put(location, ByteBuffer.wrap(new byte[] {42}), WriteOptions.DEFAULT);
        Location https = Location.parse("https://devstoreaccount1.blob.core.windows.net/" + location.container() + "/"
                + location.key());
        assertThat(https).isEqualTo(location);
        assertThat(store.get(https).toArray()).containsExactly(42);
        try (var listing = store.list(prefix, ListMode.ONE_LEVEL)) {
            assertThat(listing.map(ListEntry::location).map(Location::toString).toList())
                    .containsExactly("az://devstoreaccount1/" + location.container() + "/" + location.key());
        }
    }

    @Test
    void anotherAccountThanTheEndpointsIsRefusedClearly() {
        Location elsewhere = Location.parse("az://otheraccount/container/key");
        assertThatThrownBy(() -> store.get(elsewhere)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("az://otheraccount/").hasMessageContaining("devstoreaccount1");
    }
}
