package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.format.ArraySpec;
import io.s3dlio.format.DType;
import io.s3dlio.format.Npy;
import io.s3dlio.format.NpyArray;
import io.s3dlio.format.NpzWriter;
import io.s3dlio.format.TfRecordIndex;
import io.s3dlio.format.TfRecordWriter;
import io.s3dlio.testkit.ReadCountingStore;
import io.s3dlio.testkit.StoreEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The loader over records of TFRecord files (and arrays of NPZ files) on one store: every record exactly once
 * per epoch with shuffling, drop-last and sharding, each read with one range request of the record's bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
abstract class RecordLoaderBehaviour {
    static final int FILES = 4;
    static final int RECORDS_PER_FILE = 25;
    static final int RECORDS = FILES * RECORDS_PER_FILE;

    private StoreEnvironment environment;
    private ReadCountingStore store;
    private Location prefix;
    private long fileBytes;
    private long recordBytes;

    abstract StoreEnvironment createEnvironment();

    /** GET requests the server saw since the last reset, where the environment can count them. */
    abstract OptionalLong serverGets();

    abstract void resetServerCounts();

    @BeforeAll
    void startEnvironment() {
        environment = createEnvironment();
        store = new ReadCountingStore(environment.store());
    }

    @AfterAll
    void stopEnvironment() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    @BeforeEach
    void writeFiles() throws IOException {
        prefix = environment.newTestPrefix();
        fileBytes = 0;
        recordBytes = 0;
        for (int f = 0; f < FILES; f++) {
            Location file = prefix.resolve("train-" + f + ".tfrecord");
            try (TfRecordWriter writer = TfRecordWriter.open(store, file, WriteOptions.DEFAULT)) {
                for (int r = 0; r < RECORDS_PER_FILE; r++) {
                    byte[] record = record(f, r);
                    writer.write(ByteBuffer.wrap(record));
                    recordBytes += record.length;
                    fileBytes += record.length + 16;
                }
                writer.finish();
                if (f % 2 == 0) {
                    writer.index().write(store, TfRecordIndex.defaultLocation(file)); // half indexed, half scanned
                }
            }
        }
    }

    /** Bytes that name the record, padded to a size that differs by record. */
    static byte[] record(int file, int index) {
        String id = "f" + file + "r" + index + "|";
        return (id + "x".repeat(500 + (file * 31 + index * 17) % 700)).getBytes(StandardCharsets.UTF_8);
    }

    static String idOf(Sample sample) {
        String text = sample.bytes().slice(0, Math.min(12, sample.size())).toUtf8String();
        return text.substring(0, text.indexOf('|'));
    }

    private Dataset records() throws IOException {
        return RecordDatasets.tfRecords(store, Dataset.fromPrefix(store, prefix));
    }

    private List<String> run(Dataset dataset, LoaderOptions options, int epoch) {
        List<String> ids = new ArrayList<>();
        try (DataLoader loader = DataLoader.create(store, dataset, options); LoaderEpoch batches = loader.epoch(epoch)) {
            while (batches.hasNext()) {
                List<Sample> batch = batches.next();
                assertThat(batch.size()).isLessThanOrEqualTo(options.batchSize());
                for (Sample sample : batch) {
                    ids.add(idOf(sample));
                }
            }
        }
        return ids;
    }

    private static Set<String> allIds() {
        Set<String> ids = new HashSet<>();
        for (int f = 0; f < FILES; f++) {
            for (int r = 0; r < RECORDS_PER_FILE; r++) {
                ids.add("f" + f + "r" + r);
            }
        }
        return ids;
    }

    @Test
    void everyRecordOnceInFileOrderAndEachWithOneRangeReadOfItsBytes() throws IOException {
        Dataset dataset = records();
        assertThat(dataset.size()).isEqualTo(RECORDS);
        assertThat(dataset.knownBytes()).isEqualTo(fileBytes);
        store.reset();
        resetServerCounts();
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(8).numWorkers(4).build();
        List<String> ids = run(dataset, options, 0);
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            for (int r = 0; r < RECORDS_PER_FILE; r++) {
                expected.add("f" + f + "r" + r);
            }
        }
        assertThat(ids).containsExactlyElementsOf(expected);
        // Consecutive records of one file in one batch come with ONE range read: one per batch and file (a
        // batch of 8 spans two files when it crosses a file's end), of exactly the records' framed bytes; no
        // whole-object read, no HEAD.
        EpochPlan plan = EpochPlan.of(dataset, options, 0);
        long expectedReads = 0;
        for (int b = 0; b < plan.batchCount(); b++) {
            expectedReads += plan.batch(b).stream().map(DatasetEntry::location).distinct().count();
        }
        assertThat(expectedReads).isLessThan(RECORDS / 4);
        assertThat(store.wholeReads.get()).isZero();
        assertThat(store.rangeReads.get()).isEqualTo(expectedReads);
        assertThat(store.bytesRead.get()).isEqualTo(fileBytes);
        assertThat(store.bytesRead.get() - recordBytes).isEqualTo(16L * RECORDS);
        long reads = expectedReads;
        serverGets().ifPresent(gets -> assertThat(gets).as("GET requests the server saw").isEqualTo(reads));
    }

    @Test
    void shuffledWithDropLastEachRecordAtMostOnceAndAllButTheDroppedTail() throws IOException {
        Dataset dataset = records();
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(7).shuffle(42)
                .lastBatch(LastBatch.DROP).numWorkers(4).build();
        store.reset();
        resetServerCounts();
        List<String> first = run(dataset, options, 0);
        // Shuffled records are rarely adjacent: about one range read each, never a whole file, never more
        // bytes than the records delivered.
        assertThat(store.wholeReads.get()).isZero();
        assertThat(store.rangeReads.get()).isBetween((long) RECORDS / 2, (long) first.size());
        serverGets().ifPresent(gets -> assertThat(gets).isEqualTo(store.rangeReads.get()));
        List<String> second = run(dataset, options, 1);
        for (List<String> epoch : List.of(first, second)) {
            assertThat(epoch).hasSize(RECORDS - RECORDS % 7).doesNotHaveDuplicates();
            assertThat(allIds()).containsAll(epoch);
        }
        assertThat(first).isNotEqualTo(second);
        LoaderOptions keep = LoaderOptions.builder(ConfigSource.empty()).batchSize(7).shuffle(42).build();
        List<String> all = run(dataset, keep, 0);
        assertThat(all).hasSize(RECORDS).containsExactlyInAnyOrderElementsOf(allIds());
        assertThat(all.subList(0, first.size())).isEqualTo(first);
    }

    @Test
    void shardsSplitTheRecordsWithoutOverlap() throws IOException {
        Dataset dataset = records();
        List<String> union = new ArrayList<>();
        for (int rank = 0; rank < 3; rank++) {
            LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(5).shuffle(7).shard(rank, 3).build();
            List<String> mine = run(dataset, options, 2);
            assertThat(mine.size()).isBetween(RECORDS / 3, RECORDS / 3 + 1);
            union.addAll(mine);
        }
        assertThat(union).hasSize(RECORDS).containsExactlyInAnyOrderElementsOf(allIds());
    }

    @Test
    void indexedAndScannedFilesGiveTheSameRecords() throws IOException {
        store.reset();
        Dataset withIndexes = records();
        // Files 0 and 2 have a listed index: one whole read of each .idx, no range read of their data.
        assertThat(store.wholeReads.get()).isEqualTo(FILES / 2);
        long scanReads = store.rangeReads.get();
        assertThat(scanReads).isEqualTo(FILES / 2); // one 8 MiB window covers each small file's headers
        for (int f = 0; f < FILES; f += 2) {
            store.delete(TfRecordIndex.defaultLocation(prefix.resolve("train-" + f + ".tfrecord")));
        }
        store.reset();
        Dataset scanned = records();
        assertThat(scanned.entries()).isEqualTo(withIndexes.entries());
        assertThat(store.wholeReads.get()).isZero();
        assertThat(store.rangeReads.get()).isEqualTo(FILES);
    }

    @Test
    void aCorruptRecordFailsNamingTheUriAndOffset() throws IOException {
        Location file = prefix.resolve("train-1.tfrecord");
        byte[] bytes = store.get(file).toArray();
        bytes[100] ^= 1;
        store.put(file, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
        Dataset dataset = records();
        assertThatThrownBy(() -> run(dataset, LoaderOptions.builder(ConfigSource.empty()).batchSize(4).build(), 0))
                .hasStackTraceContaining(file.toString()).hasStackTraceContaining("offset 0");
    }

    @Test
    void npzMembersAreItemsToo() throws IOException {
        Location npzPrefix = prefix.resolve("npz/");
        for (int f = 0; f < 3; f++) {
            try (NpzWriter writer = NpzWriter.open(store, npzPrefix.resolve("s-" + f + ".npz"), WriteOptions.DEFAULT)) {
                for (int a = 0; a < 4; a++) {
                    byte value = (byte) (f * 10 + a);
                    writer.add(ArraySpec.vector("a" + a, DType.UINT8, 100 + a), target -> {
                        while (target.hasRemaining()) {
                            target.put(value);
                        }
                    });
                }
                writer.finish();
            }
        }
        Dataset members = RecordDatasets.npzMembers(store, Dataset.fromPrefix(store, npzPrefix));
        assertThat(members.size()).isEqualTo(12);
        Set<Integer> seen = new HashSet<>();
        try (DataLoader loader = DataLoader.create(store, members,
                LoaderOptions.builder(ConfigSource.empty()).batchSize(5).shuffle(3).build());
             LoaderEpoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                for (Sample sample : batches.next()) {
                    NpyArray array = Npy.parse(sample.bytes(), "", sample.location().toString());
                    int value = array.data().byteAt(0);
                    assertThat(array.shape()).containsExactly(100L + value % 10);
                    assertThat(seen.add(value)).isTrue();
                }
            }
        }
        assertThat(seen).hasSize(12);
    }
}
