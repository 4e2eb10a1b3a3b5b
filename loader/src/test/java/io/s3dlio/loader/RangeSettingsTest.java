package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.range.RangeStoreDecorator;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The loader splits nothing itself: its reads follow the {@code S3DLIO_RANGE_*} settings of the store it is
 * given (decorated as the registry decorates stores), and the listing's sizes spare every probe.
 */
class RangeSettingsTest {
    private static final int MIB = 1024 * 1024;
    private static final int LARGE = 2 * MIB + 5;
    private static final int SMALL = 1000;

    @Test
    void largeItemsAreSplitInChunksOfTheConfiguredSize() throws IOException {
        // 1 MiB chunks above a 1 MiB threshold: 3 ranged requests per large item, one GET per small one.
        assertThat(requestsToLoad(Map.of("S3DLIO_ENABLE_RANGE_OPTIMIZATION", "true",
                "S3DLIO_RANGE_CHUNK_SIZE", "1MiB", "S3DLIO_RANGE_THRESHOLD_MB", "1"))).isEqualTo(3 * 3 + 3);
    }

    @Test
    void aSmallerChunkSizeMeansMoreRequests() throws IOException {
        // 512 KiB chunks: 5 ranged requests per large item.
        assertThat(requestsToLoad(Map.of("S3DLIO_ENABLE_RANGE_OPTIMIZATION", "true",
                "S3DLIO_RANGE_CHUNK_SIZE", "512KiB", "S3DLIO_RANGE_THRESHOLD_MB", "1"))).isEqualTo(3 * 5 + 3);
    }

    @Test
    void itemsBelowTheThresholdAreReadWhole() throws IOException {
        // A 4 MiB threshold: every item is one GET.
        assertThat(requestsToLoad(Map.of("S3DLIO_ENABLE_RANGE_OPTIMIZATION", "true",
                "S3DLIO_RANGE_CHUNK_SIZE", "1MiB", "S3DLIO_RANGE_THRESHOLD_MB", "4"))).isEqualTo(6);
    }

    @Test
    void aDisabledEngineReadsEveryItemWhole() throws IOException {
        assertThat(requestsToLoad(Map.of("S3DLIO_ENABLE_RANGE_OPTIMIZATION", "false",
                "S3DLIO_RANGE_CHUNK_SIZE", "1MiB", "S3DLIO_RANGE_THRESHOLD_MB", "1"))).isEqualTo(6);
    }

    /** Loads 3 large and 3 small items; checks the bytes and that no HEAD was sent; returns the reads sent. */
    private static int requestsToLoad(Map<String, String> settings) throws IOException {
        MemoryObjectStore memory = new MemoryObjectStore();
        Location prefix = Location.parse("mem://ranged/data/");
        memory.createContainer(prefix.containerRoot());
        SplittableRandom random = new SplittableRandom(3);
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[i % 2 == 0 ? LARGE : SMALL];
            random.nextBytes(bytes);
            contents.add(bytes);
            memory.put(prefix.resolve("o" + i), ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
        }
        FaultInjectingStore counted = new FaultInjectingStore(memory);
        List<Sample> samples = new ArrayList<>();
        try (ObjectStore store = new RangeStoreDecorator().decorate(counted, ConfigSource.of(settings))) {
            Dataset dataset = Dataset.fromPrefix(store, prefix);
            LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(2).numWorkers(3).build();
            try (DataLoader loader = DataLoader.create(store, dataset, options);
                    LoaderEpoch epoch = loader.epoch(0)) {
                epoch.forEachRemaining(samples::addAll);
            }
        }
        assertThat(samples).hasSize(6);
        for (int i = 0; i < 6; i++) {
            assertThat(samples.get(i).bytes().toArray()).isEqualTo(contents.get(i));
        }
        assertThat(counted.metadataCalls()).isZero();
        return counted.reads();
    }
}
