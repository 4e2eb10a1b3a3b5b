package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.engine.upload.PartBufferPool;
import io.s3dlio.engine.upload.PartSizing;
import io.s3dlio.engine.upload.PartedObjectWriter;
import io.s3dlio.engine.upload.UploadLimits;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * The adaptive part-size policy reaches the wire: parts are counted where the server records them (the
 * multipart ETag's {@code -N} suffix after completion, ListParts during an upload), never taken from our
 * own bookkeeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3UploadPolicyWireTest {
    private static final long MIB = 1024L * 1024;
    private S3ProxyServer server;
    private S3Environment environment;
    private final AtomicInteger counter = new AtomicInteger();
    private final byte[] block = TestData.bytes((int) MIB, 7);

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

    private S3ObjectStore storeWith(Map<String, String> tuning) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.putAll(tuning);
        return (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
    }

    private Location next(String name) {
        return environment.bucket().withKey("policy-" + counter.incrementAndGet() + "/" + name);
    }

    private void writeMebibytes(ObjectWriter writer, long mebibytes) throws IOException {
        for (long i = 0; i < mebibytes; i++) {
            writer.write(ByteBuffer.wrap(block));
        }
    }

    /** Parts the server recorded for a completed object: the N of a multipart ETag, or 1 for a single PUT. */
    private static int recordedParts(S3ObjectStore store, Location location) throws IOException {
        String etag = store.stat(location).etag().orElseThrow();
        int dash = etag.lastIndexOf('-');
        return dash < 0 ? 1 : Integer.parseInt(etag.substring(dash + 1));
    }

    @ParameterizedTest(name = "{0} MiB at {1} Gb/s, floor {2}: {3} parts")
    @CsvSource({
        // size MiB, speed, min part, expected parts
        "20,  10,  '',     2",   // 16 MiB tier: 16 + 4
        "20,  10,  24MiB,  1",   // the floor lifts the part above the object: one PUT
        "300, 10,  '',     19",  // 16 MiB tier: 18 x 16 + 12
        "300, 100, '',     10",  // 64 MiB tier steps down to 32 MiB so 8 slots stay busy: 9 x 32 + 12
        "300, 100, 48MiB,  7",   // floor 48 MiB: 6 x 48 + 12
    })
    void knownSizesUseThePolicysPartSize(long mebibytes, String speed, String minPart, int expectedParts) throws Exception {
        Map<String, String> tuning = new HashMap<>(Map.of("S3DLIO_NETWORK_SPEED_GBPS", speed));
        if (!minPart.isEmpty()) {
            tuning.put("S3DLIO_MIN_PART_SIZE", minPart);
        }
        try (S3ObjectStore store = storeWith(tuning)) {
            Location location = next(mebibytes + "MiB.bin");
            try (ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT.withExpectedSize(mebibytes * MIB))) {
                writeMebibytes(writer, mebibytes);
                writer.finish();
            }
            assertThat(recordedParts(store, location)).isEqualTo(expectedParts);
            assertThat(store.stat(location).size()).isEqualTo(mebibytes * MIB);
            store.delete(location);
        }
    }

    @ParameterizedTest(name = "3 GiB at {0} Gb/s, floor {1}: {2} MiB parts")
    @CsvSource({
        "10,  '',    16",
        "25,  '',    32",
        "100, '',    64",
        "10,  48MiB, 48",
    })
    void aThreeGibibyteUploadStartsWithThePolicysPartSize(String speed, String minPart, long partMebibytes) throws Exception {
        Map<String, String> tuning = new HashMap<>(Map.of("S3DLIO_NETWORK_SPEED_GBPS", speed));
        if (!minPart.isEmpty()) {
            tuning.put("S3DLIO_MIN_PART_SIZE", minPart);
        }
        try (S3ObjectStore store = storeWith(tuning)) {
            Location location = next("three-gib.bin");
            // Two parts and a byte of a 3 GiB object: enough to see what goes over the wire, then abort.
            try (ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT.withExpectedSize(3L << 30))) {
                writeMebibytes(writer, 2 * partMebibytes);
                writer.write(ByteBuffer.wrap(new byte[] {1}));
                List<Part> parts = partsOnServer(store, location, 2);
                assertThat(parts).extracting(Part::size).containsOnly(partMebibytes * MIB);
            }
            assertThat(store.client().listMultipartUploads(b -> b.bucket(location.container()).prefix(location.key()))
                    .uploads()).as("closing without finish aborted the upload").isEmpty();
        }
    }

    private static List<Part> partsOnServer(S3ObjectStore store, Location location, int expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            var uploads = store.client().listMultipartUploads(b -> b.bucket(location.container()).prefix(location.key()))
                    .uploads();
            if (uploads.size() == 1) {
                List<Part> parts = store.client().listParts(b -> b.bucket(location.container()).key(location.key())
                        .uploadId(uploads.get(0).uploadId())).parts();
                if (parts.size() >= expected || Instant.now().isAfter(deadline)) {
                    return parts;
                }
            } else if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("expected one multipart upload for " + location + ", found " + uploads.size());
            }
            Thread.sleep(50); // polling the server for parts uploaded by the writer's threads, with a deadline
        }
    }

    @Test
    void aStreamOfUnknownLengthGrowsItsPartsInsteadOfHittingThePartLimit() throws Exception {
        // A stand-in limit of 4 parts: the part size doubles every part, so 60 MiB fits (5+10+20+25).
        UploadLimits fourParts = new UploadLimits(5 * MIB, 5L << 30, 4, 1);
        S3ObjectStore store = environment.s3Store();
        Location location = next("unknown-length.bin");
        try (ObjectWriter writer = new PartedObjectWriter<>(location, WriteOptions.DEFAULT,
                new S3Uploads.Target(store.client(), location, WriteOptions.DEFAULT, store.config().requestChecksum()), PartSizing.growing(5 * MIB, fourParts), 2)) {
            writeMebibytes(writer, 60);
            writer.finish();
        }
        assertThat(recordedParts(store, location)).isEqualTo(4);
        assertThat(store.stat(location).size()).isEqualTo(60 * MIB);
    }

    /**
     * Four files of three parts each, uploaded four at a time by the transfer engine's directory upload, share
     * the store's one budget of part buffers (S3DLIO_UPLOAD_CONCURRENCY of them: each file alone may hold all
     * of them, three uploading and one filling, so the four unbounded would hold up to 16), and arrive intact.
     * Not more files in flight than the budget: each upload may always hold one buffer (PartBufferPool).
     */
    @Test
    void concurrentUploadsOfSeveralPartsShareTheStoresPartBudget(@TempDir Path temp) throws Exception {
        int budget = 4;
        Map<String, String> tuning = Map.of("S3DLIO_PART_SIZE", "5MiB", "S3DLIO_UPLOAD_CONCURRENCY", String.valueOf(budget));
        try (S3ObjectStore store = storeWith(tuning);
                TransferEngine engine = TransferEngine.builder(location -> store).build()) {
            Path directory = Files.createDirectories(temp.resolve("four"));
            List<byte[]> contents = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] bytes = TestData.bytes((int) (12 * MIB + 1000L * i), 40 + i);
                contents.add(bytes);
                Files.write(directory.resolve("file-" + i + ".bin"), bytes);
            }
            Location prefix = next("four/");
            TransferResult result = engine.upload(List.of(directory), prefix, ListMode.RECURSIVE, TransferOptions.jobs(4),
                    TransferListener.NONE).await();
            assertThat(result.failures()).isEmpty();
            assertThat(result.objects()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                Location location = prefix.withKey(prefix.key() + "four/file-" + i + ".bin");
                assertThat(recordedParts(store, location)).as("file %d went up in parts", i).isEqualTo(3);
                assertThat(store.get(location).toArray()).as("file %d", i).isEqualTo(contents.get(i));
                store.delete(location);
            }
            assertThat(store.partBuffers().mostBuffersOut()).as("part buffers out at once, all four uploads together")
                    .isLessThanOrEqualTo(budget);
            assertThat(store.partBuffers().buffersOut()).isZero();
        }
    }

    /**
     * Many files smaller than a part, uploaded 16 at a time by the transfer engine's directory upload: each is
     * read into a buffer of about its own size taken from the store's pool of part buffers (not a heap buffer
     * outside the budget, as before), the bytes out never pass the budget (S3DLIO_UPLOAD_CONCURRENCY parts), the
     * buffers are reused (at most one per file in flight, not one per file), and every object arrives intact.
     */
    @Test
    void manySmallFilesTakeTheirBuffersFromTheStoresPartBudget(@TempDir Path temp) throws Exception {
        int jobs = 16;
        int files = 64;
        Map<String, String> tuning = Map.of("S3DLIO_PART_SIZE", "5MiB", "S3DLIO_UPLOAD_CONCURRENCY", "4");
        try (S3ObjectStore store = storeWith(tuning);
                TransferEngine engine = TransferEngine.builder(location -> store).build()) {
            Path directory = Files.createDirectories(temp.resolve("small"));
            List<byte[]> contents = new java.util.ArrayList<>();
            for (int i = 0; i < files; i++) {
                byte[] bytes = TestData.bytes(200_000 + i, 60 + i);
                contents.add(bytes);
                Files.write(directory.resolve(String.format(java.util.Locale.ROOT, "file-%02d.bin", i)), bytes);
            }
            Location prefix = next("small/");
            TransferResult result = engine.upload(List.of(directory), prefix, ListMode.RECURSIVE, TransferOptions.jobs(jobs),
                    TransferListener.NONE).await();
            assertThat(result.failures()).isEmpty();
            assertThat(result.objects()).isEqualTo(files);
            for (int i = 0; i < files; i++) {
                Location location = prefix.withKey(prefix.key() + String.format(java.util.Locale.ROOT, "small/file-%02d.bin", i));
                assertThat(store.get(location).toArray()).as("file %d", i).isEqualTo(contents.get(i));
                store.delete(location);
            }
            PartBufferPool pool = store.partBuffers();
            assertThat(pool.mostBuffersOut()).as("the small files' buffers came from the store's pool").isPositive();
            assertThat(pool.mostBytesOut()).as("bytes out at once against the budget of 4 parts of 5 MiB")
                    .isLessThanOrEqualTo(pool.budgetBytesNow().orElseThrow()).isLessThanOrEqualTo(4 * 5 * MIB);
            assertThat(pool.allocated()).as("buffers allocated for %d files, %d at a time", files, jobs)
                    .isLessThanOrEqualTo(jobs);
            assertThat(pool.buffersOut()).isZero();
        }
    }
}
