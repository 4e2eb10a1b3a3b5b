package io.s3dlio.gcs;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.util.Arrays;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContainerContract;
import io.s3dlio.testkit.contract.CopyRenameContract;
import io.s3dlio.testkit.contract.DeleteContract;
import io.s3dlio.testkit.contract.ListContract;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import io.s3dlio.testkit.contract.StreamingWriterContract;
import io.s3dlio.testkit.contract.WriteContract;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The whole contract kit against gs:// on a <b>fake</b>: {@code LocalStorageHelper} from google-cloud-nio
 * replaces the client's RPC layer with an in-process map. No GCS server the Java client can write to is
 * obtainable on these machines; {@link GcsLiveContractTest} runs the same kit against real GCS.
 *
 * <p>What the fake cannot show, and where that code path is covered instead:
 * <ul>
 *   <li><b>Page sizes.</b> With a page size the fake truncates the listing and returns no next-page token, so
 *       this environment leaves the page size unset (one page). Paging: {@link GcsBlobPagesTest}; the page size and
 *       next-page tokens on the wire: {@link GcsWireTest}.</li>
 *   <li><b>Listing order.</b> The fake lists in hash order; the store sorts each page (GCS pages are already
 *       ordered). Covered here (every listing goes through the sort) and in io.s3dlio.spi.PagedListingTest.</li>
 *   <li><b>Batch delete.</b> The fake has no batch endpoint ("Not implemented yet"), so deletePrefix reports
 *       every key as failed: {@link Delete#deletePrefixRemovesOnlyWhatIsUnderIt} checks exactly that.
 *       Batch splitting (at most 100) and per-key failure mapping: io.s3dlio.spi.BatchDeletesTest; the real
 *       batch requests over HTTP: {@link GcsWireTest}.</li>
 *   <li><b>Buckets</b> (create, get, delete, list) are not implemented by the fake:
 *       {@link Containers#createListAndDeleteAContainer} checks the errors name the bucket; the project id
 *       mapping: {@link GcsConfigTest}; the requests (project, 409 handling, paged bucket listing):
 *       {@link GcsWireTest}.</li>
 *   <li><b>Unfinalized resumable sessions.</b> The fake records an object's metadata when a session opens
 *       (GCS shows nothing until it is finalized): {@link StreamingWriter#abortLeavesNothing} checks that an
 *       aborted upload was never finalized instead; {@link GcsWireTest} checks on the wire that abort and
 *       close never send the finalizing chunk, and finish sends it once.</li>
 *   <li><b>Ranges past the end.</b> The fake pads them with zeros where GCS cuts them:
 *       {@link RangeRead} checks in-bounds positional reads instead; the exact Range header and a short answer
 *       (what GCS sends at the end): {@link GcsWireTest}.</li>
 *   <li><b>ETags, CRC32C, metageneration</b> are not computed by the fake (stat leaves them empty);
 *       <b>multi-call rewrites</b> (the fake finishes a copy in one call; {@link GcsWireTest} continues one); <b>compose</b> (unused);
 *       <b>HTTP errors</b> other than 404 ({@link GcsErrorsTest} feeds the client's own exception type,
 *       {@link GcsWireTest} sends them over HTTP); <b>STORAGE_EMULATOR_HOST</b> and anonymous credentials on
 *       the wire ({@link GcsWireTest});
 *       <b>retries</b> (the client library's layer).</li>
 * </ul>
 */
class GcsFakeContractTest {
    static final FakeEnvironment ENVIRONMENT = new FakeEnvironment();
    /** What the gs:// store claims (checked here and by the live test). */
    static final java.util.Set<io.s3dlio.api.Capability> GCS_CAPABILITIES = java.util.Set.of(
            io.s3dlio.api.Capability.SERVER_SIDE_COPY, io.s3dlio.api.Capability.BULK_DELETE,
            io.s3dlio.api.Capability.USER_METADATA, io.s3dlio.api.Capability.KEY_AND_PREFIX_COEXIST,
            io.s3dlio.api.Capability.CONDITIONAL_WRITE, io.s3dlio.api.Capability.FULL_OBJECT_CRC32C);

    @Test
    void errorsNameTheLocationAsTyped() {
        Location typed = Location.parse("gcs://fake-bucket/typed/ghost.bin");
        assertThatThrownBy(() -> ENVIRONMENT.store().get(typed)).isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining("gcs://fake-bucket/typed/ghost.bin");
    }

    @Test
    void claimsExactlyTheGcsCapabilities() {
        assertThat(ENVIRONMENT.store().capabilities()).containsExactlyInAnyOrderElementsOf(GCS_CAPABILITIES);
    }

    @AfterAll
    static void closeEnvironment() throws IOException {
        ENVIRONMENT.close();
    }

    static final class FakeEnvironment implements StoreEnvironment {
        final Storage storage = LocalStorageHelper.customOptions(false).getService();
        // Small chunks, so the streaming-writer contracts go through the resumable session, not one PUT.
        final GcsConfig config = GcsConfig.defaults().withCredentials(GcsConfig.Credentials.ANONYMOUS)
                .withChunkSize(256 * 1024);
        private final ObjectStore store = GcsStoreProvider.create(storage, config);
        private final AtomicInteger counter = new AtomicInteger();
        private final Location bucket = Location.parse("gs://fake-bucket");

        @Override
        public ObjectStore store() {
            return store;
        }

        @Override
        public Location newTestPrefix() {
            return bucket.withKey("test-" + counter.incrementAndGet() + "/");
        }

        @Override
        public Location newContainerLocation() {
            return Location.parse("gs://fake-container-" + counter.incrementAndGet());
        }

        @Override
        public String description() {
            return "gs:// on google-cloud-nio LocalStorageHelper (an in-process fake of the RPC layer)";
        }

        @Override
        public void close() throws IOException {
            store.close();
        }
    }

    @Nested class Read extends ReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Write extends WriteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }

    @Nested
    class List extends ListContract {
        @Override
        protected StoreEnvironment environment() {
            return ENVIRONMENT;
        }

        /**
         * Fake gap: the fake has no buckets, so listing any bucket succeeds. What matters, that a missing bucket
         * fails on the list call itself as ContainerNotFoundException and deletePrefix cannot start:
         * GcsWireTest#listOfAMissingBucketFailsOnTheCallAndDeletePrefixCannotStart over HTTP.
         */
        @Override
        @Test
        protected void listOfAMissingContainerFailsOnTheCall() throws Exception {
            try (var entries = store().list(environment().newContainerLocation(), ListMode.RECURSIVE)) {
                assertThat(entries.count()).isZero();
            }
        }
    }

    @Nested
    class CopyRename extends CopyRenameContract {
        @Override
        protected StoreEnvironment environment() {
            return ENVIRONMENT;
        }

        /**
         * Fake gap: the fake's rewrite copies the bytes but not the content type or metadata, which GCS's
         * rewrite keeps (the store asks for no change). What the fake can show: the bytes arrive.
         */
        @Override
        @Test
        protected void copyKeepsContentTypeAndMetadataWhereTheStoreKeepsThem() throws Exception {
            Location source = at("typed-source");
            byte[] data = putRandom(source, 3, 7);
            store().copy(source, at("typed-target"));
            assertThat(store().get(at("typed-target")).toArray()).isEqualTo(data);
        }
    }

    @Nested
    class RangeRead extends RangeReadContract {
        @Override
        protected StoreEnvironment environment() {
            return ENVIRONMENT;
        }

        /**
         * Fake gap: asked for bytes past the end, the fake pads the response with zeros (Arrays.copyOfRange in
         * FakeStorageRpc) where GCS cuts it at the end; GcsWireTest checks the store against such a short answer
         * over HTTP, and the live test against GCS. What the fake can
         * show: a positional read that ends exactly at the end of the object.
         */
        @Override
        @Test
        protected void positionalReadStopsAtTheEnd() throws Exception {
            Location location = at("positional-end");
            byte[] data = putRandom(location, 100, 18);
            ByteBuffer target = ByteBuffer.allocate(60);
            ReadResult result = store().read(location, 40, target);
            assertThat(result.bytesRead()).isEqualTo(60);
            assertThat(target.array()).isEqualTo(Arrays.copyOfRange(data, 40, 100));
        }

        /**
         * Fake gap: the same zero padding makes a read of an empty object return the target's size. What the
         * fake can show: the empty object reads as empty through getRange, and a read into a full buffer reads
         * nothing without a request.
         */
        @Override
        @Test
        protected void positionalReadOfEmptyObjectReportsZeroSize() throws Exception {
            Location location = at("positional-empty");
            putRandom(location, 0, 0);
            assertThat(store().getRange(location, 0, java.util.OptionalLong.of(64)).size()).isZero();
            assertThat(store().read(location, 0, ByteBuffer.allocate(0)).bytesRead()).isZero();
        }
    }

    @Nested
    class StreamingWriter extends StreamingWriterContract {
        @Override
        protected StoreEnvironment environment() {
            return ENVIRONMENT;
        }

        /**
         * Fake gap: the fake records an object's metadata as soon as a resumable session opens, so a listing
         * shows an aborted upload's name, which GCS never does. What matters, and what the fake can show: the
         * session was never finalized, so there are no bytes under the name (closing the WriteChannel would have
         * published them).
         */
        @Override
        @Test
        protected void abortLeavesNothing() throws Exception {
            Location location = at("aborted");
            try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT)) {
                writer.write(ByteBuffer.wrap(TestData.bytes(largeObjectSize(), 3)));
                writer.abort();
                writer.abort(); // idempotent
            }
            assertThatThrownBy(() -> store().get(location)).isInstanceOf(ObjectNotFoundException.class)
                    .hasMessageContaining(location.toString());
            assertThatThrownBy(() -> ENVIRONMENT.storage.readAllBytes(location.container(), location.key()))
                    .isInstanceOf(com.google.cloud.storage.StorageException.class);
        }
    }

    @Nested
    class Delete extends DeleteContract {
        @Override
        protected StoreEnvironment environment() {
            return ENVIRONMENT;
        }

        /**
         * Fake gap: the fake has no batch endpoint, so the batch request fails as a whole. What the fake can
         * show: deletePrefix does not throw, reports every key under the prefix as a failure that names it and
         * the cause, claims no deletions, and touches nothing. Splitting and per-key mapping: BatchDeletesTest.
         */
        @Override
        @Test
        protected void deletePrefixRemovesOnlyWhatIsUnderIt() throws Exception {
            for (int i = 0; i < 25; i++) {
                putRandom(at("batch/item-" + i), 5, i);
            }
            putRandom(at("batch-sibling"), 5, 99);
            DeleteResult result = store().deletePrefix(at("batch/"));
            assertThat(result.deleted()).isZero();
            assertThat(result.failures()).hasSize(25).allSatisfy(failure -> {
                assertThat(failure.location().key()).startsWith(at("batch/").key());
                assertThat(failure.cause()).contains("batch delete of 25 objects failed");
            });
            try (var left = store().list(prefix, ListMode.RECURSIVE)) {
                assertThat(left.count()).isEqualTo(26);
            }
        }

        /**
         * Fake gap, as above: every batch fails as a whole. What the fake can show: deleteAll does not throw,
         * reports each listed object once (the repeat and the absent one included) naming it, and touches nothing.
         */
        @Override
        @Test
        protected void deleteAllRemovesExactlyTheListedObjects() throws Exception {
            java.util.List<Location> listed = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                listed.add(at("all/item-" + i));
                putRandom(listed.getLast(), 5, i);
            }
            listed.add(at("all/never-there"));
            listed.add(listed.getFirst());
            DeleteResult result = store().deleteAll(listed);
            assertThat(result.deleted()).isZero();
            assertThat(result.failures()).hasSize(13).allSatisfy(failure ->
                    assertThat(failure.cause()).contains("batch delete of 13 objects failed"));
            assertThat(result.failures()).extracting(DeleteResult.Failure::location)
                    .containsExactlyElementsOf(listed.subList(0, 13));
            try (var left = store().list(prefix, ListMode.RECURSIVE)) {
                assertThat(left.count()).isEqualTo(12);
            }
        }

        /** Fake gap, as above: the object in the existing bucket is reported too, since its batch fails. */
        @Override
        @Test
        protected void deleteAllReportsAMissingContainerAsData() throws Exception {
            Location object = at("across/object");
            putRandom(object, 5, 2);
            Location missing = environment().newContainerLocation().withKey("nothing/here");
            DeleteResult result = store().deleteAll(java.util.List.of(missing, object));
            assertThat(result.deleted()).isZero();
            assertThat(result.failures()).extracting(DeleteResult.Failure::location).containsExactly(missing, object);
            assertThat(store().exists(object)).isTrue();
        }
    }

    @Nested
    class Containers extends ContainerContract {
        @Override
        protected StoreEnvironment environment() {
            return ENVIRONMENT;
        }

        /**
         * Fake gap: the fake implements no bucket operations. What it can show: the failures arrive as
         * StorageExceptions naming the gs:// bucket. The requests: GcsWireTest; against GCS: the live test.
         */
        @Override
        @Test
        protected void createListAndDeleteAContainer() {
            Location container = environment().newContainerLocation();
            assertThatThrownBy(() -> store().createContainer(container)).isInstanceOf(StorageException.class)
                    .hasMessageContaining(container.toString()).hasMessageContaining("create bucket failed");
            assertThatThrownBy(() -> store().listContainers(Location.parse("gs://")))
                    .isInstanceOf(StorageException.class).hasMessageContaining("gs://");
        }
    }
}
