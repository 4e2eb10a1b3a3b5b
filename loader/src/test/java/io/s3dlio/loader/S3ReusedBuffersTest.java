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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link DataLoader.Builder#reuseBuffers} on s3:// from the registry (the range engine's decorator and the S3 store,
 * on an S3Proxy): every item of every epoch has exactly the bytes written, whether it landed in a lent direct buffer
 * (more than half of one) or in memory of its own (smaller, larger, empty); a buffer taken over by the consumer
 * ({@link DataLoader#takeBuffer}) keeps its bytes, however many epochs later, until the consumer gives it back; a
 * batch given back with {@link DataLoader#recycle} leaves the taken buffers alone; and the buffers allocated stay
 * within what the window and the consumer hold at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard, not a speed check
class S3ReusedBuffersTest {
    private static final int BUFFER = 64 * 1024;
    private static final int[] SIZES = {0, 100, BUFFER / 2, BUFFER / 2 + 1, 40_000, 50_000, BUFFER - 1, BUFFER,
        BUFFER + 1, 100_000, 0, 60_000, 33_000, 45_000, 64_000, 7, 55_555, 48_000, 36_000, 63_999, 61_000, 39_000};
    private static final int EPOCHS = 4;
    private static final int PREFETCH = 2;

    private StoreEnvironment environment;
    private ObjectStore store;
    private Dataset dataset;
    private final Map<Location, byte[]> written = new HashMap<>();

    @BeforeAll
    void writeObjects() throws IOException {
        environment = LoaderEnvironments.s3();
        store = environment.store();
        Location prefix = environment.newTestPrefix();
        Random random = new Random(19);
        for (int i = 0; i < SIZES.length; i++) {
            Location location = prefix.resolve(String.format(Locale.ROOT, "item-%03d.bin", i));
            byte[] data = new byte[SIZES[i]];
            random.nextBytes(data);
            store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            written.put(location, data);
        }
        dataset = Dataset.fromPrefix(store, prefix);
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
    @ValueSource(ints = {1, 5})
    void everyItemKeepsItsBytesWhileBuffersAreTakenGivenBackAndReused(int batchSize) {
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(batchSize).numWorkers(4)
                .prefetch(PREFETCH).shuffle(3).build();
        int maxIdle = (PREFETCH + 2) * batchSize;
        ItemBuffers buffers = new ItemBuffers(BUFFER, maxIdle);
        List<Sample> kept = new ArrayList<>(); // items whose buffers were taken and are never given back
        int taken = 0;
        try (DataLoader loader = DataLoader.builder(store, dataset, options).reuseBuffers(buffers).build()) {
            for (int epoch = 0; epoch < EPOCHS; epoch++) {
                int items = 0;
                try (LoaderEpoch batches = loader.epoch(epoch)) {
                    while (batches.hasNext()) {
                        List<Sample> batch = batches.next();
                        assertWritten(batch);
                        items += batch.size();
                        List<ByteBuffer> mine = new ArrayList<>();
                        for (int i = 0; i < batch.size(); i++) {
                            int size = batch.get(i).bytes().size();
                            ByteBuffer buffer = loader.takeBuffer(batch, i);
                            boolean lent = size > BUFFER / 2 && size <= BUFFER;
                            assertThat(buffer != null).as("item of " + size + " bytes in a lent buffer").isEqualTo(lent);
                            if (buffer != null) {
                                assertThat(buffer.isDirect()).isTrue();
                                assertThat(loader.takeBuffer(batch, i)).as("taken once").isNull();
                                // The item's bytes are the buffer's first ones.
                                byte[] head = new byte[size];
                                buffer.get(0, head);
                                assertThat(head).isEqualTo(written.get(batch.get(i).location()));
                                taken++;
                                if (kept.size() < 3) {
                                    kept.add(batch.get(i)); // its buffer never given back
                                } else {
                                    mine.add(buffer);
                                }
                            }
                        }
                        loader.recycle(batch); // nothing left to give back: every lent buffer was taken
                        assertWritten(kept);
                        mine.forEach(buffers::giveBack);
                    }
                }
                assertThat(items).isEqualTo(SIZES.length);
            }
        }
        assertWritten(kept);
        assertThat(taken).isGreaterThan(10 * EPOCHS);
        assertThat(buffers.allocated()).isPositive().isLessThanOrEqualTo((PREFETCH + 2) * batchSize + kept.size())
                .isLessThan(taken);
        assertThat(buffers.idle()).isLessThanOrEqualTo(maxIdle);
    }
}
