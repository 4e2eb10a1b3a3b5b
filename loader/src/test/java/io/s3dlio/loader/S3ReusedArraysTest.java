package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.StoreEnvironment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link DataLoader.Builder#reuseArrays} on s3:// from the registry (the range engine's decorator and the S3 store,
 * as users get them, on an S3Proxy): every item of every epoch has exactly the bytes written, whether it landed in
 * a reused array (more than half an array), in a buffer of its own (smaller, larger than an array, empty) or was
 * given back twice; a batch never given back keeps its bytes while later epochs (of one loader, or of a loader per
 * epoch sharing the arrays) reuse the others' arrays; and the arrays allocated stay within what the window holds at
 * once, fewer than the items read into them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
class S3ReusedArraysTest {
    private static final int ARRAY = 64 * 1024;
    /** Sizes by item: empty, small (a buffer of its own), filling more than half an array, exactly one, larger. */
    private static final int[] SIZES = {0, 100, ARRAY / 2, ARRAY / 2 + 1, 40_000, 50_000, ARRAY - 1, ARRAY, ARRAY + 1,
        100_000, 0, 60_000, 33_000, 45_000, 64_000, 7, 55_555, 48_000, 36_000, 63_999, 2 * ARRAY, 61_000, 39_000};
    private static final int EPOCHS = 4;
    private static final int PREFETCH = 2;

    private StoreEnvironment environment;
    private ObjectStore store;
    private Dataset dataset;
    private final Map<Location, byte[]> written = new HashMap<>();
    private int pooledPerEpoch;

    @BeforeAll
    void writeObjects() throws IOException {
        environment = LoaderEnvironments.s3();
        store = environment.store();
        Location prefix = environment.newTestPrefix();
        Random random = new Random(17);
        for (int i = 0; i < SIZES.length; i++) {
            Location location = prefix.resolve(String.format(Locale.ROOT, "item-%03d.bin", i));
            byte[] data = new byte[SIZES[i]];
            random.nextBytes(data);
            store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            written.put(location, data);
            if (SIZES[i] > ARRAY / 2 && SIZES[i] <= ARRAY) {
                pooledPerEpoch++;
            }
        }
        dataset = Dataset.fromPrefix(store, prefix);
        assertThat(dataset.size()).isEqualTo(SIZES.length);
    }

    @AfterAll
    void stop() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    private void assertWritten(List<Sample> batch) {
        for (Sample sample : batch) {
            assertThat(sample.bytes().toArray()).as(sample.location().toString())
                    .isEqualTo(written.get(sample.location()));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, false", "5, false", "5, true"})
    void everyItemKeepsItsBytesWhileArraysAreReused(int batchSize, boolean loaderPerEpoch) {
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(batchSize).numWorkers(4)
                .prefetch(PREFETCH).shuffle(3).build();
        int maxIdle = (PREFETCH + 2) * batchSize;
        ItemArrays arrays = new ItemArrays(ARRAY, maxIdle);
        DataLoader loader = null;
        try {
            List<Sample> kept = null;
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                if (loader == null || loaderPerEpoch) {
                    if (loader != null) {
                        loader.close(); // closing gives nothing back: the kept batch still holds its arrays
                    }
                    loader = DataLoader.builder(store, dataset, options).reuseArrays(arrays).build();
                }
                int items = 0;
                try (LoaderEpoch batches = loader.epoch(epoch)) {
                    while (batches.hasNext()) {
                        List<Sample> batch = batches.next();
                        assertWritten(batch);
                        items += batch.size();
                        if (kept == null) {
                            kept = batch; // never given back: its arrays must never be lent again
                            continue;
                        }
                        loader.recycle(batch);
                        loader.recycle(batch); // a second give-back is ignored, not a second lending
                        loader.recycle(new ArrayList<>(batch)); // not the loader's batch: ignored
                    }
                }
                assertThat(items).isEqualTo(SIZES.length);
                assertWritten(kept);
            }
        } finally {
            if (loader != null) {
                loader.close();
            }
        }
        // Every fetch that filled an array got one; with each batch given back before the next is taken, no more
        // exist at once than the window (prefetch batches) plus the batch kept plus the batch in hand.
        assertThat(arrays.allocated()).isPositive().isLessThanOrEqualTo((PREFETCH + 2) * batchSize)
                .isLessThan(pooledPerEpoch * EPOCHS);
        assertThat(arrays.idle()).isLessThanOrEqualTo(maxIdle);
    }

    @Test
    void aLoaderWithoutReuseDeliversAsBefore() {
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(4).numWorkers(4).build();
        try (DataLoader loader = DataLoader.create(store, dataset, options); LoaderEpoch batches = loader.epoch(0)) {
            while (batches.hasNext()) {
                List<Sample> batch = batches.next();
                assertThat(batch).isNotInstanceOf(Batch.class);
                loader.recycle(batch); // nothing to give back
                assertWritten(batch);
            }
        }
    }
}
