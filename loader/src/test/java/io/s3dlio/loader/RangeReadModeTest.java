package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ReadMode#RANGE_ENGINE}: large items in ranged requests, small ones in one, same bytes, no HEAD. */
class RangeReadModeTest {
    private static final int CHUNK = 8 * 1024 * 1024;

    @Test
    void largeItemsAreReadInRangesAndSmallOnesWhole() throws IOException {
        MemoryObjectStore memory = new MemoryObjectStore();
        Location prefix = Location.parse("mem://ranged/data/");
        memory.createContainer(prefix.containerRoot());
        SplittableRandom random = new SplittableRandom(3);
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[i % 2 == 0 ? 2 * CHUNK + 5 : 1000]; // 3 ranged requests, or one plain one
            random.nextBytes(bytes);
            contents.add(bytes);
            memory.put(prefix.resolve("o" + i), ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
        }
        FaultInjectingStore store = new FaultInjectingStore(memory);
        Dataset dataset = Dataset.fromPrefix(store, prefix);
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(2).numWorkers(3)
                .rangeEngineAbove(1024 * 1024).build();
        assertThat(options.readMode()).isEqualTo(ReadMode.RANGE_ENGINE);
        List<Sample> samples = new ArrayList<>();
        try (DataLoader loader = DataLoader.create(store, dataset, options)) {
            assertThat(loader.threadNamePrefixes()).hasSize(2);
            try (LoaderEpoch epoch = loader.epoch(0)) {
                epoch.forEachRemaining(samples::addAll);
            }
        }
        assertThat(samples).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(samples.get(i).bytes().toArray()).isEqualTo(contents.get(i));
        }
        assertThat(store.reads()).isEqualTo(3 * 3 + 3);
        assertThat(store.metadataCalls()).isZero();
    }
}
