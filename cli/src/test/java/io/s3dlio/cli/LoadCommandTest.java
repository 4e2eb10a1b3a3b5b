package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code s3-cli load} in-process on mem://: reports, order, sharding checked from outside, errors. */
class LoadCommandTest {
    private static final String PREFIX = "mem://load/data/";
    private static final int ITEMS = 20;

    private final CliHarness cli = new CliHarness();

    @TempDir
    Path dir;

    @BeforeEach
    void writeObjects() throws IOException {
        Location prefix = Location.parse(PREFIX);
        ObjectStore store = cli.stores().forLocation(prefix);
        store.createContainer(prefix.containerRoot());
        for (int i = 0; i < ITEMS; i++) {
            store.put(prefix.resolve(String.format(Locale.ROOT, "s%02d", i)), ByteBuffer.allocate(1000), WriteOptions.DEFAULT);
        }
    }

    @AfterEach
    void close() throws IOException {
        cli.close();
    }

    @SuppressWarnings("unchecked")
    private static List<String> order(Map<String, Object> epoch) {
        return (List<String>) epoch.get("order");
    }

    @Test
    void reportsEachEpochAndTheOrderAsJson() {
        CliHarness.Result result = cli.run("--json", "load", PREFIX, "--batch-size", "3", "--workers", "4",
                "--shuffle", "--seed", "5", "--epochs", "2", "--compute-ms", "1", "--order");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<Map<String, Object>> lines = result.json();
        assertThat(lines).hasSize(3);
        Map<String, Object> first = lines.get(0);
        assertThat(first).containsEntry("type", "epoch").containsEntry("items", 20L).containsEntry("batches", 7L)
                .containsEntry("bytes", 20_000L).containsKeys("mbPerSecond", "consumerWaitSeconds", "acceleratorUtilisation");
        assertThat(order(first)).hasSize(ITEMS).doesNotHaveDuplicates();
        assertThat(order(lines.get(1))).isNotEqualTo(order(first));
        assertThat(lines.get(2)).containsEntry("type", "summary").containsEntry("items", 40L)
                .containsEntry("workers", 4L).containsEntry("epochs", 2L);

        // The same seed gives the same order in another run.
        CliHarness.Result again = cli.run("--json", "load", PREFIX, "--batch-size", "3", "--shuffle", "--seed", "5", "--order");
        assertThat(order(again.json().get(0))).isEqualTo(order(first));
    }

    @Test
    void ranksShareTheDatasetWithoutOverlap() {
        List<String> union = new ArrayList<>();
        for (int rank = 0; rank < 3; rank++) {
            CliHarness.Result result = cli.run("--json", "load", PREFIX, "--rank", String.valueOf(rank), "--world-size", "3",
                    "--shuffle", "--seed", "1", "--order");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            union.addAll(order(result.json().get(0)));
        }
        assertThat(union).hasSize(ITEMS);
        assertThat(new HashSet<>(union)).hasSize(ITEMS);
    }

    @Test
    void rankComesFromTheLauncherEnvironment() throws IOException {
        try (CliHarness slurm = new CliHarness(ConfigSource.of(Map.of("SLURM_PROCID", "1", "SLURM_NTASKS", "4")))) {
            Location prefix = Location.parse(PREFIX);
            ObjectStore store = slurm.stores().forLocation(prefix);
            store.createContainer(prefix.containerRoot());
            for (int i = 0; i < 8; i++) {
                store.put(prefix.resolve("x" + i), ByteBuffer.allocate(1), WriteOptions.DEFAULT);
            }
            CliHarness.Result result = slurm.run("--json", "load", PREFIX, "--drop-last", "--batch-size", "2");
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.summary()).containsEntry("rank", 1L).containsEntry("worldSize", 4L)
                    .containsEntry("items", 2L).containsEntry("batches", 1L);
        }
    }

    @Test
    void keyListAndTextOutput() throws IOException {
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, "# two of them\n" + PREFIX + "s03\n\n" + PREFIX + "s11\n", StandardCharsets.UTF_8);
        CliHarness.Result result = cli.run("load", PREFIX, "--keylist", keys.toString(), "--batch-size", "1");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.stdout()).contains("epoch 0: 2 items, 2 batches, 2000 bytes", "accelerator utilisation");
    }

    @Test
    void aMissingObjectFailsNamingIt() throws IOException {
        Path keys = dir.resolve("keys.txt");
        Files.writeString(keys, PREFIX + "s01\n" + PREFIX + "absent\n", StandardCharsets.UTF_8);
        CliHarness.Result result = cli.run("load", PREFIX, "--keylist", keys.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.stderr()).contains(PREFIX + "absent");
    }

    @Test
    void rankWithoutWorldSizeIsAUsageError() {
        CliHarness.Result result = cli.run("load", PREFIX, "--rank", "1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr()).contains("--world-size");
    }
}
