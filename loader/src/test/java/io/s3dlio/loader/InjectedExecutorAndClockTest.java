package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The loader runs on the executor and reads the clock its builder was given, and leaves the executor open. */
class InjectedExecutorAndClockTest {

    @Test
    void fetchesRunOnTheCallersExecutorAndStatisticsUseTheGivenClock() throws Exception {
        MemoryObjectStore store = new MemoryObjectStore();
        Location prefix = Location.parse("mem://injected/data/");
        store.createContainer(prefix.containerRoot());
        for (int i = 0; i < 5; i++) {
            store.put(prefix.resolve("o" + i), ByteBuffer.wrap(new byte[100 + i]), WriteOptions.DEFAULT);
        }
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory virtual = Thread.ofVirtual().name("caller-loader-", 0).factory();
        ThreadFactory counting = task -> {
            threads.incrementAndGet();
            return virtual.newThread(task);
        };
        ExecutorService executor = Executors.newThreadPerTaskExecutor(counting);
        LoaderOptions options = LoaderOptions.builder(ConfigSource.empty()).batchSize(2).numWorkers(2).build();
        List<Sample> samples = new ArrayList<>();
        LoaderStats stats;
        try (DataLoader loader = DataLoader.builder(store, Dataset.fromPrefix(store, prefix), options)
                .executor(executor).clock(() -> Instant.EPOCH).build();
                LoaderEpoch epoch = loader.epoch(0)) {
            epoch.forEachRemaining(samples::addAll);
            stats = epoch.stats();
        }
        assertThat(samples).hasSize(5);
        assertThat(threads.get()).as("tasks ran on the caller's executor").isGreaterThanOrEqualTo(3);
        // A clock that never moves: no elapsed time and no wait, however long the epoch really took.
        assertThat(stats.elapsed()).isEqualTo(Duration.ZERO);
        assertThat(stats.consumerWait()).isEqualTo(Duration.ZERO);
        assertThat(executor.isShutdown()).as("the caller's executor stays the caller's").isFalse();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        store.close();
    }
}
