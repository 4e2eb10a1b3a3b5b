package io.s3dlio.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * deletePrefix's batching, which LocalStorageHelper cannot show (it has no batch endpoint). The sender here is
 * a hand-written stand-in for one batch request that records what it was given and fails on command.
 */
class BatchDeletesTest {
    private static final Location PREFIX = Location.parse("gs://bucket/data/");

    private static List<Location> keys(int count) {
        return IntStream.range(0, count).mapToObj(i -> PREFIX.withKey(String.format(Locale.ROOT, "data/key-%04d", i))).toList();
    }

    /** Records batches; fails the keys it is told to, and whole batches by index. */
    private static final class RecordingSender implements BatchDeletes.Sender {
        final List<List<Location>> batches = new ArrayList<>();
        final java.util.Set<String> failingKeys = new java.util.HashSet<>();
        final java.util.Set<Integer> failingBatches = new java.util.HashSet<>();

        @Override
        public List<BatchDeletes.Outcome> send(List<Location> batch) throws IOException {
            batches.add(batch);
            if (failingBatches.contains(batches.size() - 1)) {
                throw new IOException("HTTP 503 backend unavailable");
            }
            return batch.stream().map(key -> failingKeys.contains(key.key())
                    ? BatchDeletes.Outcome.failed(key, key + ": delete failed: HTTP 403 forbidden")
                    : BatchDeletes.Outcome.deleted(key)).toList();
        }
    }

    @Test
    void splitsIntoBatchesOfAtMostTheBatchSizeInOrder() {
        RecordingSender sender = new RecordingSender();
        List<Location> keys = keys(250);
        DeleteResult result = BatchDeletes.deleteAll(PREFIX, keys.iterator(), 100, sender);
        assertThat(sender.batches).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(sender.batches.stream().flatMap(List::stream).toList()).isEqualTo(keys);
        assertThat(result.deleted()).isEqualTo(250);
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void exactMultipleSendsNoEmptyBatch() {
        RecordingSender sender = new RecordingSender();
        BatchDeletes.deleteAll(PREFIX, keys(200).iterator(), 100, sender);
        assertThat(sender.batches).extracting(List::size).containsExactly(100, 100);
    }

    @Test
    void nothingToDeleteSendsNothing() {
        RecordingSender sender = new RecordingSender();
        DeleteResult result = BatchDeletes.deleteAll(PREFIX, List.<Location>of().iterator(), 100, sender);
        assertThat(sender.batches).isEmpty();
        assertThat(result.deleted()).isZero();
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void perKeyFailuresBecomeDataNamingTheKey() {
        RecordingSender sender = new RecordingSender();
        sender.failingKeys.add("data/key-0007");
        sender.failingKeys.add("data/key-0142");
        DeleteResult result = BatchDeletes.deleteAll(PREFIX, keys(150).iterator(), 100, sender);
        assertThat(result.deleted()).isEqualTo(148);
        assertThat(result.failures()).extracting(failure -> failure.location().key())
                .containsExactly("data/key-0007", "data/key-0142");
        assertThat(result.failures().get(0).cause()).contains("gs://bucket/data/key-0007").contains("403");
    }

    @Test
    void aBatchThatFailsAsAWholeFailsEachOfItsKeysAndLaterBatchesStillRun() {
        RecordingSender sender = new RecordingSender();
        sender.failingBatches.add(1);
        DeleteResult result = BatchDeletes.deleteAll(PREFIX, keys(250).iterator(), 100, sender);
        assertThat(sender.batches).hasSize(3);
        assertThat(result.deleted()).isEqualTo(150);
        assertThat(result.failures()).hasSize(100).allSatisfy(failure -> assertThat(failure.cause())
                .contains("batch delete of 100 objects failed").contains("503"));
        assertThat(result.failures().get(0).location().key()).isEqualTo("data/key-0100");
    }

    @Test
    void smallerConfiguredBatchesAreHonoured() {
        RecordingSender sender = new RecordingSender();
        BatchDeletes.deleteAll(PREFIX, keys(25).iterator(), 10, sender);
        assertThat(sender.batches).extracting(List::size).containsExactly(10, 10, 5);
    }

    @Test
    void aBatchSizeBelowOneIsRefused() {
        assertThatThrownBy(() -> BatchDeletes.deleteAll(PREFIX, keys(1).iterator(), 0, new RecordingSender()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aListingThatBreaksPartWayIsReportedAsDataAfterDeletingWhatWasListed() {
        RecordingSender sender = new RecordingSender();
        java.util.Iterator<Location> listed = keys(150).iterator();
        java.util.Iterator<Location> breaking = new java.util.Iterator<>() {
            int given;

            @Override
            public boolean hasNext() {
                if (given == 120) {
                    throw new java.io.UncheckedIOException(new IOException("gs://bucket/data/: next page: HTTP 503"));
                }
                return listed.hasNext();
            }

            @Override
            public Location next() {
                given++;
                return listed.next();
            }
        };
        DeleteResult result = BatchDeletes.deleteAll(PREFIX, breaking, 100, sender);
        assertThat(sender.batches).extracting(List::size).containsExactly(100, 20);
        assertThat(result.deleted()).isEqualTo(120);
        assertThat(result.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.location()).isEqualTo(PREFIX);
            assertThat(failure.cause()).contains("listing stopped after 120 deletes").contains("HTTP 503");
        });
    }

    @Test
    void aSenderThatLosesOutcomesIsABug() {
        BatchDeletes.Sender lossy = batch -> List.of(BatchDeletes.Outcome.deleted(batch.get(0)));
        assertThatThrownBy(() -> BatchDeletes.deleteAll(PREFIX, keys(3).iterator(), 100, lossy))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("3 deletes produced 1 outcomes");
    }

    @Test
    void anExplicitListIsGroupedByContainerAndEachBatchLiesInOne() {
        RecordingSender sender = new RecordingSender();
        List<Location> first = keys(250);
        Location other = Location.parse("gs://other/x");
        List<Location> mixed = new ArrayList<>(first.subList(0, 120));
        mixed.add(other);
        mixed.addAll(first.subList(120, 250));
        DeleteResult result = BatchDeletes.deleteAll(mixed, 100, sender);
        assertThat(sender.batches).extracting(List::size).containsExactly(100, 100, 50, 1);
        assertThat(sender.batches.subList(0, 3).stream().flatMap(List::stream).toList()).isEqualTo(first);
        assertThat(sender.batches.get(3)).containsExactly(other);
        assertThat(result.deleted()).isEqualTo(251);
        assertThat(result.isComplete()).isTrue();
    }

    @Test
    void anExplicitListKeepsGoingPastARefusedBatchAndReportsEachKey() {
        RecordingSender sender = new RecordingSender();
        sender.failingBatches.add(1);
        sender.failingKeys.add("data/key-0003");
        DeleteResult result = BatchDeletes.deleteAll(keys(250), 100, sender);
        assertThat(sender.batches).hasSize(3);
        assertThat(result.deleted()).isEqualTo(149);
        assertThat(result.failures()).hasSize(101);
        assertThat(result.failures().getFirst().location().key()).isEqualTo("data/key-0003");
        assertThat(result.failures().get(1).location().key()).isEqualTo("data/key-0100");
        assertThat(result.failures().get(1).cause()).contains("batch delete of 100 objects failed", "HTTP 503");
    }

    @Test
    void theArgumentCheckRefusesPrefixesAndOtherSchemesAndDropsRepeats() {
        Location object = PREFIX.withKey("data/a");
        assertThat(StoreChecks.requireObjects(List.of(object, object), java.util.Set.of("gs"))).containsExactly(object);
        assertThatThrownBy(() -> StoreChecks.requireObjects(List.of(object, PREFIX), java.util.Set.of("gs")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(PREFIX.toString());
        Location elsewhere = Location.parse("s3://bucket/a");
        assertThatThrownBy(() -> StoreChecks.requireObjects(List.of(elsewhere), java.util.Set.of("gs")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("s3://bucket/a");
    }
}
