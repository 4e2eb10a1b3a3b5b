package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The loader's behaviour on one store; one small subclass per store. Each test writes its own objects under a
 * fresh prefix; object {@code i}'s bytes name its key, so a mixed-up item is caught.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed check: a stuck epoch fails, never blocks CI
abstract class DataLoaderBehaviour {
    static final int ITEMS = 50;

    private StoreEnvironment environment;
    private ObjectStore store;
    private Location prefix;
    private Dataset dataset;

    @TempDir
    Path tempDir;

    abstract StoreEnvironment createEnvironment();

    @BeforeAll
    void startEnvironment() {
        environment = createEnvironment();
        store = environment.store();
    }

    @AfterAll
    void stopEnvironment() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    @BeforeEach
    void writeDataset() throws IOException {
        prefix = environment.newTestPrefix();
        for (int i = 0; i < ITEMS; i++) {
            Location location = prefix.resolve(String.format(Locale.ROOT, "item-%03d.bin", i));
            store.put(location, ByteBuffer.wrap(contentOf(location, i)), WriteOptions.DEFAULT);
        }
        dataset = Dataset.fromPrefix(store, prefix);
        assertThat(dataset.size()).isEqualTo(ITEMS);
    }

    /** Distinct sizes (so byte totals catch a wrong item) and bytes that name the location. */
    static byte[] contentOf(Location location, int i) {
        String text = (location + "|").repeat(1 + i % 7);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private LoaderOptions.Builder options() {
        return LoaderOptions.builder(ConfigSource.empty()).batchSize(4).numWorkers(4).prefetch(2);
    }

    private static List<List<Sample>> drain(LoaderEpoch epoch) {
        List<List<Sample>> batches = new ArrayList<>();
        while (epoch.hasNext()) {
            batches.add(epoch.next());
        }
        return batches;
    }

    private static List<Location> locations(List<List<Sample>> batches) {
        return batches.stream().flatMap(List::stream).map(Sample::location).toList();
    }

    private static void assertContentMatches(List<List<Sample>> batches) {
        for (List<Sample> batch : batches) {
            for (Sample sample : batch) {
                String text = sample.bytes().toUtf8String();
                assertThat(text).startsWith(sample.location() + "|");
                assertThat(sample.bytes().buffer().isReadOnly()).isTrue();
            }
        }
    }

    @Test
    void everyItemExactlyOncePerEpochWithItsOwnBytes() {
        Set<Location> all = dataset.entries().stream().map(DatasetEntry::location).collect(Collectors.toSet());
        try (DataLoader loader = DataLoader.create(store, dataset, options().shuffle(7).build())) {
            for (int epoch = 0; epoch < 3; epoch++) {
                try (LoaderEpoch batches = loader.epoch(epoch)) {
                    List<List<Sample>> delivered = drain(batches);
                    List<Location> seen = locations(delivered);
                    assertThat(seen).hasSize(ITEMS).doesNotHaveDuplicates();
                    assertThat(new HashSet<>(seen)).isEqualTo(all);
                    assertContentMatches(delivered);
                    assertThat(delivered).allSatisfy(batch -> assertThat(batch).isInstanceOf(List.class));
                    LoaderStats stats = batches.stats();
                    assertThat(stats.items()).isEqualTo(ITEMS);
                    assertThat(stats.batches()).isEqualTo(delivered.size());
                    assertThat(stats.bytes()).isEqualTo(delivered.stream().flatMap(List::stream)
                            .mapToLong(Sample::size).sum());
                    assertThat(stats.utilisation()).isBetween(0.0, 1.0);
                }
            }
            assertThat(loader.stats().items()).isEqualTo(3L * ITEMS);
        }
    }

    @Test
    void sameSeedGivesSameOrderAndEachEpochANewOne() {
        List<Location> firstRun;
        List<Location> secondEpoch;
        try (DataLoader loader = DataLoader.create(store, dataset, options().shuffle(1234).build())) {
            firstRun = locations(drain(loader.epoch(0)));
            secondEpoch = locations(drain(loader.epoch(1)));
        }
        List<Location> secondRun;
        try (DataLoader loader = DataLoader.create(store, dataset, options().shuffle(1234).numWorkers(9).build())) {
            secondRun = locations(drain(loader.epoch(0)));
        }
        List<Location> otherSeed;
        try (DataLoader loader = DataLoader.create(store, dataset, options().shuffle(99).build())) {
            otherSeed = locations(drain(loader.epoch(0)));
        }
        assertThat(secondRun).isEqualTo(firstRun);
        assertThat(secondEpoch).isNotEqualTo(firstRun).containsExactlyInAnyOrderElementsOf(firstRun);
        assertThat(otherSeed).isNotEqualTo(firstRun);
        assertThat(firstRun).isNotEqualTo(dataset.entries().stream().map(DatasetEntry::location).toList());
    }

    @Test
    void sequentialOrderIsDatasetOrder() {
        try (DataLoader loader = DataLoader.create(store, dataset, options().build())) {
            assertThat(locations(drain(loader.epoch(0))))
                    .isEqualTo(dataset.entries().stream().map(DatasetEntry::location).toList());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8})
    void shardsAreDisjointAndCompleteForEveryWorldSize(int worldSize) {
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Location> union = new ArrayList<>();
            for (int rank = 0; rank < worldSize; rank++) {
                LoaderOptions options = options().shuffle(5).shard(rank, worldSize).build();
                try (DataLoader loader = DataLoader.create(store, dataset, options)) {
                    List<Location> mine = locations(drain(loader.epoch(epoch)));
                    assertThat(mine.size()).isBetween(ITEMS / worldSize, ITEMS / worldSize + 1);
                    union.addAll(mine);
                }
            }
            assertThat(union).hasSize(ITEMS).doesNotHaveDuplicates();
            assertThat(new HashSet<>(union)).isEqualTo(
                    dataset.entries().stream().map(DatasetEntry::location).collect(Collectors.toSet()));
        }
    }

    @Test
    void dropLastDropsOnlyTheShortFinalBatch() {
        // 50 items, batch 8: KEEP gives 6 full + one of 2; DROP gives the 6 full ones.
        try (DataLoader keep = DataLoader.create(store, dataset, options().batchSize(8).build());
                DataLoader drop = DataLoader.create(store, dataset,
                        options().batchSize(8).lastBatch(LastBatch.DROP).build())) {
            List<List<Sample>> kept = drain(keep.epoch(0));
            List<List<Sample>> dropped = drain(drop.epoch(0));
            assertThat(kept).extracting(List::size).containsExactly(8, 8, 8, 8, 8, 8, 2);
            assertThat(dropped).extracting(List::size).containsExactly(8, 8, 8, 8, 8, 8);
            assertThat(locations(dropped)).isEqualTo(locations(kept).subList(0, 48));
        }
        // Per shard: rank 1 of 3 holds 17 items -> 4 batches of 4 with DROP, the 17th item dropped.
        try (DataLoader loader = DataLoader.create(store, dataset,
                options().shard(1, 3).lastBatch(LastBatch.DROP).build())) {
            assertThat(drain(loader.epoch(0))).extracting(List::size).containsExactly(4, 4, 4, 4);
        }
    }

    @Test
    void batchSizeOneYieldsOneElementLists() {
        try (DataLoader loader = DataLoader.create(store, dataset, options().batchSize(1).build())) {
            List<List<Sample>> batches = drain(loader.epoch(0));
            assertThat(batches).hasSize(ITEMS).allSatisfy(batch -> assertThat(batch).hasSize(1));
        }
    }

    @Test
    void asyncFormDeliversTheSameBatchesInOrder() throws Exception {
        LoaderOptions options = options().shuffle(3).build();
        try (DataLoader loader = DataLoader.create(store, dataset, options)) {
            List<Location> blocking = locations(drain(loader.epoch(0)));
            List<Location> async = new ArrayList<>();
            try (LoaderEpoch epoch = loader.epoch(0)) {
                // Ask for several batches ahead of time: they still complete in order.
                List<java.util.concurrent.CompletableFuture<Optional<List<Sample>>>> futures = new ArrayList<>();
                for (int i = 0; i < epoch.plan().batchCount() + 1; i++) {
                    futures.add(epoch.nextAsync());
                }
                for (var future : futures.subList(0, futures.size() - 1)) {
                    async.addAll(future.get().orElseThrow().stream().map(Sample::location).toList());
                }
                assertThat(futures.getLast().get()).isEmpty();
            }
            assertThat(async).isEqualTo(blocking);
        }
    }

    @Test
    void missingObjectFailsFastNamingItsUri() {
        Location missing = prefix.resolve("missing.bin");
        List<Location> locations = new ArrayList<>(dataset.entries().stream().map(DatasetEntry::location).toList());
        locations.add(20, missing);
        try (DataLoader loader = DataLoader.create(store, Dataset.fromLocations(locations), options().build());
                LoaderEpoch epoch = loader.epoch(0)) {
            int delivered = 0;
            DataLoaderException failure = null;
            try {
                while (epoch.hasNext()) {
                    delivered += epoch.next().size();
                }
            } catch (DataLoaderException e) {
                failure = e;
            }
            assertThat(failure).as("the missing object must fail the epoch").isNotNull();
            assertThat(failure.getMessage()).contains(missing.toString());
            assertThat(failure.location()).contains(missing);
            assertThat(delivered).isEqualTo(20); // the five batches before the failing one
        }
    }

    @Test
    void aFailureInATinyEpochNeverLeavesTheConsumerWaiting() {
        // The first fetch may fail before the epoch's constructor has returned: repeat to give that race a chance.
        Location missing = prefix.resolve("missing.bin");
        Location present = dataset.entries().get(0).location();
        for (int round = 0; round < 50; round++) {
            List<Location> locations = round % 2 == 0 ? List.of(missing, present) : List.of(present, missing);
            try (DataLoader loader = DataLoader.create(store, Dataset.fromLocations(locations), options().build());
                    LoaderEpoch epoch = loader.epoch(0)) {
                assertThatThrownBy(epoch::next).isInstanceOf(DataLoaderException.class)
                        .hasMessageContaining(missing.toString());
            }
        }
    }

    @Test
    void missingObjectIsSkippedAndReportedInSkipMode() {
        Location missing = prefix.resolve("missing.bin");
        List<Location> locations = new ArrayList<>(dataset.entries().stream().map(DatasetEntry::location).toList());
        locations.add(5, missing);
        LoaderOptions options = options().errorPolicy(ErrorPolicy.SKIP_AND_REPORT).build();
        try (DataLoader loader = DataLoader.create(store, Dataset.fromLocations(locations), options);
                LoaderEpoch epoch = loader.epoch(0)) {
            List<List<Sample>> batches = drain(epoch);
            assertThat(locations(batches)).hasSize(ITEMS).doesNotContain(missing);
            assertThat(batches.get(1)).hasSize(3); // items 4..7, one of them missing
            assertThat(epoch.skipped()).singleElement().satisfies(skipped -> {
                assertThat(skipped.location()).isEqualTo(missing);
                assertThat(skipped.reason()).contains(missing.toString());
            });
            assertThat(epoch.stats().skipped()).isEqualTo(1);
        }
    }

    @Test
    void keysFromAKeyListFile() throws IOException {
        Path keyList = tempDir.resolve("keys.txt");
        List<String> lines = new ArrayList<>(List.of("# three items", ""));
        List<Location> wanted = dataset.entries().stream().map(DatasetEntry::location).toList().subList(10, 13);
        wanted.forEach(location -> lines.add("  " + location + "  "));
        Files.write(keyList, lines, StandardCharsets.UTF_8);
        try (DataLoader loader = DataLoader.create(store, Dataset.fromKeyList(keyList), options().build())) {
            List<List<Sample>> batches = drain(loader.epoch(0));
            assertThat(locations(batches)).isEqualTo(wanted);
            assertContentMatches(batches);
        }
    }

    @Test
    void listingOnceAndNoMetadataRequestsWhileLoading() throws IOException {
        FaultInjectingStore counted = new FaultInjectingStore(store);
        Dataset listed = Dataset.fromPrefix(counted, prefix);
        assertThat(listed.entries()).allSatisfy(entry -> assertThat(entry.size()).isPresent());
        assertThat(listed.knownBytes()).isEqualTo(sumOfSizes());
        try (DataLoader loader = DataLoader.create(counted, listed, options().build())) {
            drain(loader.epoch(0));
        }
        assertThat(counted.calls(FaultInjectingStore.Operation.LIST)).isEqualTo(1);
        assertThat(counted.metadataCalls()).isZero();
        assertThat(counted.reads()).isEqualTo(ITEMS);
    }

    private long sumOfSizes() {
        long total = 0;
        for (int i = 0; i < ITEMS; i++) {
            total += contentOf(prefix.resolve(String.format(Locale.ROOT, "item-%03d.bin", i)), i).length;
        }
        return total;
    }

    @Test
    void keepsNumWorkersInFlightAcrossBatchBoundaries() {
        // Batches of 2 with 6 workers: six reads at once are only possible when fetching runs ahead of the
        // batch the consumer waits for.
        FaultInjectingStore slow = new FaultInjectingStore(store);
        slow.holdReadsUntilInFlight(6);
        LoaderOptions options = options().batchSize(2).numWorkers(6).prefetch(4).build();
        try (DataLoader loader = DataLoader.create(slow, dataset, options)) {
            assertThat(locations(drain(loader.epoch(0)))).hasSize(ITEMS);
        }
        assertThat(slow.maxReadsInFlight()).isEqualTo(6);
    }

    @Test
    void prefetchWindowBoundsItemsAheadOfTheConsumer() throws Exception {
        FaultInjectingStore counted = new FaultInjectingStore(store);
        LoaderOptions options = options().batchSize(4).numWorkers(16).prefetch(2).build();
        try (DataLoader loader = DataLoader.create(counted, dataset, options);
                LoaderEpoch epoch = loader.epoch(0)) {
            epoch.next(); // take one batch, then stop consuming
            // Proving that something does not happen has no event to wait for: give the fetchers time to overrun.
            Thread.sleep(200);
            // taken (4) + window (prefetch 2 x batch 4)
            assertThat(counted.reads()).isLessThanOrEqualTo(4 + 8);
        }
    }

    @Test
    void itemTimeoutFailsTheItemNamingIt() {
        FaultInjectingStore slow = new FaultInjectingStore(store).delayReads(Duration.ofSeconds(30));
        LoaderOptions options = options().itemTimeout(Duration.ofMillis(50)).build();
        try (DataLoader loader = DataLoader.create(slow, dataset, options); LoaderEpoch epoch = loader.epoch(0)) {
            assertThatThrownBy(epoch::next).isInstanceOf(DataLoaderException.class)
                    .hasMessageContaining(dataset.entries().get(0).location().toString())
                    .hasMessageContaining("timed out");
        }
    }

    @Test
    void closeMidEpochCancelsFetchesAndLeavesNoThreads() throws Exception {
        FaultInjectingStore slow = new FaultInjectingStore(store).delayReads(Duration.ofSeconds(30));
        LoaderOptions options = options().numWorkers(8).build();
        DataLoader loader = DataLoader.create(slow, dataset, options);
        LoaderEpoch epoch = loader.epoch(0);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (slow.readsInFlight() < 8) {
            assertThat(System.nanoTime()).as("8 fetches in flight within 30 s (have %d)", slow.readsInFlight())
                    .isLessThan(deadline);
            Thread.sleep(5); // polling fetcher threads that start on their own, with a deadline
        }
        assertThat(liveThreadNames(loader.threadNamePrefix())).isNotEmpty();
        loader.close();
        loader.close(); // idempotent
        assertThat(slow.interrupted()).isEqualTo(8);
        assertThat(liveThreadNames(loader.threadNamePrefix())).isEmpty();
        assertThatThrownBy(epoch::next).isInstanceOf(DataLoaderException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> loader.epoch(1)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Names of live threads, virtual ones included, starting with {@code prefix}: from a JSON thread dump,
     * since {@link Thread#getAllStackTraces()} does not list virtual threads.
     */
    private List<String> liveThreadNames(String prefix) throws IOException {
        Path dump = tempDir.resolve("threads-" + System.nanoTime() + ".json");
        ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        String json = Files.readString(dump, StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        String marker = "\"name\": \"" + prefix;
        int at = json.indexOf(marker);
        while (at >= 0) {
            int end = json.indexOf('"', at + marker.length());
            names.add(json.substring(at + 9, end));
            at = json.indexOf(marker, end);
        }
        return names;
    }
}
