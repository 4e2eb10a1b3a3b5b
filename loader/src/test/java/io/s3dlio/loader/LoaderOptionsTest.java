package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoaderOptionsTest {
    private static LoaderOptions.Builder builder(Map<String, String> environment) {
        return LoaderOptions.builder(ConfigSource.of(environment));
    }

    @Test
    void defaults() {
        LoaderOptions options = builder(Map.of()).build();
        assertThat(options.batchSize()).isEqualTo(32);
        assertThat(options.numWorkers()).isEqualTo(8);
        assertThat(options.prefetch()).isEqualTo(4);
        assertThat(options.order()).isEqualTo(Order.SEQUENTIAL);
        assertThat(options.lastBatch()).isEqualTo(LastBatch.KEEP);
        assertThat(options.shard()).isEqualTo(Shard.WHOLE);
        assertThat(options.itemTimeout()).isEmpty();
        assertThat(options.errorPolicy()).isEqualTo(ErrorPolicy.FAIL_FAST);
    }

    @Test
    void environmentOverridesTheWorkerDefaultAndTheBuilderOverridesTheEnvironment() {
        Map<String, String> environment = Map.of("S3DLIO_LOADER_NUM_WORKERS", "24");
        assertThat(builder(environment).build().numWorkers()).isEqualTo(24);
        assertThat(builder(environment).numWorkers(3).build().numWorkers()).isEqualTo(3);
    }

    @Test
    void badWorkerVariableIsNamed() {
        assertThatThrownBy(() -> builder(Map.of("S3DLIO_LOADER_NUM_WORKERS", "0")).build())
                .hasMessageContaining("S3DLIO_LOADER_NUM_WORKERS");
        assertThatThrownBy(() -> builder(Map.of("S3DLIO_LOADER_NUM_WORKERS", "many")).build())
                .hasMessageContaining("S3DLIO_LOADER_NUM_WORKERS").hasMessageContaining("many");
    }

    @Test
    void boundsAreValidated() {
        assertThatThrownBy(() -> builder(Map.of()).batchSize(0).build()).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> builder(Map.of()).numWorkers(0).build()).hasMessageContaining("numWorkers");
        assertThatThrownBy(() -> builder(Map.of()).prefetch(0).build()).hasMessageContaining("prefetch");
        assertThatThrownBy(() -> builder(Map.of()).itemTimeout(Duration.ZERO).build())
                .hasMessageContaining("itemTimeout");
        assertThatThrownBy(() -> builder(Map.of()).shard(3, 3).build()).hasMessageContaining("rank");
    }

    @Test
    void shuffleSetsOrderAndSeed() {
        LoaderOptions options = builder(Map.of()).shuffle(42).build();
        assertThat(options.order()).isEqualTo(Order.SHUFFLED);
        assertThat(options.seed()).isEqualTo(42);
    }

    @Test
    void rankComesFromTheLauncherUnlessGiven() {
        Map<String, String> torchrun = Map.of("RANK", "2", "WORLD_SIZE", "4");
        assertThat(builder(torchrun).build().shard()).isEqualTo(new Shard(2, 4));
        assertThat(builder(torchrun).shard(0, 1).build().shard()).isEqualTo(Shard.WHOLE);
    }
}
