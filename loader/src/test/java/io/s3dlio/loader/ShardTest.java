package io.s3dlio.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.config.ConfigSource;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
    private static java.util.Optional<Shard> detect(Map<String, String> environment) {
        return Shard.fromLaunchers(ConfigSource.of(environment));
    }

    @Test
    void eachLauncherIsRecognised() {
        assertThat(detect(Map.of("RANK", "1", "WORLD_SIZE", "2"))).contains(new Shard(1, 2));
        assertThat(detect(Map.of("OMPI_COMM_WORLD_RANK", "3", "OMPI_COMM_WORLD_SIZE", "8"))).contains(new Shard(3, 8));
        assertThat(detect(Map.of("PMI_RANK", "0", "PMI_SIZE", "5"))).contains(new Shard(0, 5));
        assertThat(detect(Map.of("SLURM_PROCID", "6", "SLURM_NTASKS", "7"))).contains(new Shard(6, 7));
        assertThat(detect(Map.of())).isEmpty();
    }

    @Test
    void torchrunWinsOverMpiWhichWinsOverPmiWhichWinsOverSlurm() {
        Map<String, String> all = Map.of("RANK", "1", "WORLD_SIZE", "2", "OMPI_COMM_WORLD_RANK", "3",
                "OMPI_COMM_WORLD_SIZE", "4", "PMI_RANK", "5", "PMI_SIZE", "6", "SLURM_PROCID", "7", "SLURM_NTASKS", "8");
        assertThat(detect(all)).contains(new Shard(1, 2));
        Map<String, String> noTorch = Map.of("OMPI_COMM_WORLD_RANK", "3", "OMPI_COMM_WORLD_SIZE", "4", "PMI_RANK",
                "5", "PMI_SIZE", "6", "SLURM_PROCID", "7", "SLURM_NTASKS", "8");
        assertThat(detect(noTorch)).contains(new Shard(3, 4));
        assertThat(detect(Map.of("PMI_RANK", "5", "PMI_SIZE", "6", "SLURM_PROCID", "7", "SLURM_NTASKS", "8")))
                .contains(new Shard(5, 6));
    }

    @Test
    void halfAPairOrABadValueIsRefusedNamingTheVariables() {
        assertThatThrownBy(() -> detect(Map.of("RANK", "1"))).hasMessageContaining("RANK")
                .hasMessageContaining("WORLD_SIZE");
        assertThatThrownBy(() -> detect(Map.of("SLURM_NTASKS", "4"))).hasMessageContaining("SLURM_PROCID");
        assertThatThrownBy(() -> detect(Map.of("PMI_RANK", "4", "PMI_SIZE", "4"))).hasMessageContaining("PMI_RANK=4");
        assertThatThrownBy(() -> detect(Map.of("RANK", "x", "WORLD_SIZE", "2"))).hasMessageContaining("RANK");
        assertThatThrownBy(() -> detect(Map.of("RANK", "0", "WORLD_SIZE", "0"))).hasMessageContaining("WORLD_SIZE");
    }

    @Test
    void stridedSelectionIsDisjointAndComplete() {
        List<Integer> items = IntStream.range(0, 10).boxed().toList();
        assertThat(new Shard(0, 3).select(items)).containsExactly(0, 3, 6, 9);
        assertThat(new Shard(1, 3).select(items)).containsExactly(1, 4, 7);
        assertThat(new Shard(2, 3).select(items)).containsExactly(2, 5, 8);
        assertThat(new Shard(0, 16).select(items)).containsExactly(0);
        assertThat(new Shard(12, 16).select(items)).isEmpty();
    }
}
