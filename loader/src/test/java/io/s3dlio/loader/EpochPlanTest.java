package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.config.ConfigSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Plans are pure functions of (dataset, seed, epoch, shard): checked here on a large dataset without I/O. */
class EpochPlanTest {
    private static final Dataset DATASET = Dataset.fromUris(
            IntStream.range(0, 1000).mapToObj(i -> "mem://b/k" + i).toList());

    private static LoaderOptions.Builder options() {
        return LoaderOptions.builder(ConfigSource.empty()).batchSize(7).shuffle(11);
    }

    @Test
    void ranksAgreeOnTheGlobalOrderAndCoverItExactly() {
        for (int world : new int[] {1, 3, 8}) {
            for (int epoch = 0; epoch < 3; epoch++) {
                List<DatasetEntry> union = new ArrayList<>();
                for (int rank = 0; rank < world; rank++) {
                    union.addAll(EpochPlan.of(DATASET, options().shard(rank, world).build(), epoch).items());
                }
                assertThat(union).hasSize(1000);
                assertThat(new HashSet<>(union)).hasSize(1000);
            }
        }
    }

    @Test
    void dropLastPerShard() {
        // 1000 items over 3 ranks: 334, 333, 333; batch 7 -> 47 full batches each, remainders 5, 4, 4.
        for (int rank = 0; rank < 3; rank++) {
            EpochPlan keep = EpochPlan.of(DATASET, options().shard(rank, 3).build(), 0);
            EpochPlan drop = EpochPlan.of(DATASET, options().shard(rank, 3).lastBatch(LastBatch.DROP).build(), 0);
            assertThat(keep.batchCount()).isEqualTo(48);
            assertThat(drop.batchCount()).isEqualTo(47);
            assertThat(drop.items()).hasSize(47 * 7);
            assertThat(keep.items().subList(0, 47 * 7)).isEqualTo(drop.items());
        }
    }

    @Test
    void epochsAndSeedsGiveDifferentPermutations() {
        List<DatasetEntry> e0 = EpochPlan.of(DATASET, options().build(), 0).items();
        List<DatasetEntry> e1 = EpochPlan.of(DATASET, options().build(), 1).items();
        List<DatasetEntry> again = EpochPlan.of(DATASET, options().build(), 0).items();
        List<DatasetEntry> otherSeed = EpochPlan.of(DATASET, options().shuffle(12).build(), 0).items();
        assertThat(again).isEqualTo(e0);
        assertThat(e1).isNotEqualTo(e0).containsExactlyInAnyOrderElementsOf(e0);
        assertThat(otherSeed).isNotEqualTo(e0);
    }
}
