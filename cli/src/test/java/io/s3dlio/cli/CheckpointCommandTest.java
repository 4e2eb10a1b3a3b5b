package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.checkpoint.CheckpointConfig;
import io.s3dlio.checkpoint.CheckpointStore;
import io.s3dlio.checkpoint.Manifest;
import io.s3dlio.checkpoint.ShardWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** s3-cli checkpoint list|info|validate|delete|prune, in-process on mem:// and file://. */
class CheckpointCommandTest {
    @TempDir
    Path temp;

    private CliHarness cli;

    @BeforeEach
    void start() {
        cli = new CliHarness();
        assertThat(cli.run("create-bucket", "mem://c").exitCode()).isZero();
    }

    @AfterEach
    void stop() throws IOException {
        cli.close();
    }

    private String base(String scheme) {
        return scheme.equals("mem") ? "mem://c/run/" : "file://" + temp + "/run/";
    }

    /** Three complete checkpoints (steps 1..3, two ranks) and one a killed job left (step 4, rank 0 only). */
    private Manifest populate(String uri) throws IOException {
        Location base = Location.parse(uri);
        ObjectStore store = cli.stores().forLocation(base);
        Manifest last = null;
        try (CheckpointStore checkpoints = new CheckpointStore(store, base, CheckpointConfig.DEFAULT)) {
            for (long step = 1; step <= 3; step++) {
                for (int rank = 0; rank < 2; rank++) {
                    try (ShardWriter writer = checkpoints.newShardWriter(step, rank)) {
                        writer.write(ByteBuffer.wrap(new byte[1000 + rank]));
                        writer.finish();
                    }
                }
                last = checkpoints.finalizeCheckpoint(step, 0, "torch", 2, Map.of("note", "cli"));
            }
            try (ShardWriter writer = checkpoints.newShardWriter(4, 0)) {
                writer.write(ByteBuffer.wrap(new byte[10]));
                writer.finish();
            }
        }
        return last;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void listInfoValidate(String scheme) throws IOException {
        String uri = base(scheme);
        populate(uri);
        CliHarness.Result list = cli.run("checkpoint", "list", uri);
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout().lines().toList()).hasSize(3);
        assertThat(list.stdout()).contains("* step 3").contains("complete");

        CliHarness.Result json = cli.run("--json", "checkpoint", "list", uri);
        List<Map<String, Object>> lines = json.json();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(2)).containsEntry("step", 3L).containsEntry("latest", true).containsEntry("worldSize", 2L);
        assertThat(json.summary()).containsEntry("checkpoints", 3L).containsEntry("latest", 3L);

        CliHarness.Result info = cli.run("--json", "checkpoint", "info", uri, "--step", "2");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.json().get(0)).containsEntry("step", 2L).containsEntry("status", "complete");
        assertThat(cli.run("checkpoint", "info", uri).stdout()).contains("step 3").contains("rank 1").contains("metadata.note: cli");

        CliHarness.Result valid = cli.run("--json", "checkpoint", "validate", uri, "--all");
        assertThat(valid.exitCode()).as(valid.toString()).isZero();
        assertThat(valid.summary()).containsEntry("valid", 3L);
    }

    @Test
    void validateFailsNamingTheShardAndMissingThingsExitThree() throws IOException {
        String uri = base("mem");
        Manifest last = populate(uri);
        Location shard = Location.parse(uri).resolve(last.shard(1).key());
        byte[] changed = new byte[1001];
        changed[5] = 1;
        cli.stores().forLocation(shard).put(shard, ByteBuffer.wrap(changed), WriteOptions.DEFAULT);
        CliHarness.Result result = cli.run("checkpoint", "validate", uri);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(result.stderr()).contains("rank 1").contains(shard.toString());

        assertThat(cli.run("checkpoint", "info", uri, "--step", "99").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("checkpoint", "info", "mem://c/nothing-here/").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(cli.run("checkpoint", "delete", uri).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void deleteRetainAndPrune(String scheme) throws IOException {
        String uri = base(scheme);
        populate(uri);
        CliHarness.Result dry = cli.run("--json", "checkpoint", "prune", uri, "--all", "--dry-run");
        assertThat(dry.json().get(0)).containsEntry("step", 4L).containsEntry("objects", 2L);
        // Without --all, step 4 is above the newest complete step: a save may be running.
        assertThat(cli.run("--json", "checkpoint", "prune", uri).summary()).containsEntry("objects", 0L);
        CliHarness.Result pruned = cli.run("--json", "checkpoint", "prune", uri, "--all");
        assertThat(pruned.exitCode()).as(pruned.toString()).isZero();
        assertThat(pruned.summary()).containsEntry("objects", 2L);

        CliHarness.Result retained = cli.run("--json", "checkpoint", "delete", uri, "--keep-last", "2");
        assertThat(retained.exitCode()).as(retained.toString()).isZero();
        assertThat(retained.summary().get("steps")).isEqualTo(List.of(1L));
        CliHarness.Result deleted = cli.run("checkpoint", "delete", uri, "--step", "2");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        CliHarness.Result list = cli.run("--json", "checkpoint", "list", uri);
        assertThat(list.summary()).containsEntry("checkpoints", 1L);
        assertThat(list.json().get(0)).containsEntry("step", 3L);
    }
}
