package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.server.AzuriteServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** s3-cli ls/stat/get/cp/delete and containers on az:// against an Azurite this class starts, in-process. */
class AzureCliTest {
    private static AzuriteServer server;
    private static CliHarness cli;
    private static String container;

    @TempDir
    Path temp;

    @BeforeAll
    static void start() {
        server = AzuriteServer.start();
        cli = new CliHarness(ConfigSource.of(server.settings()));
        container = "az://" + AzuriteServer.ACCOUNT + "/cli-" + UUID.randomUUID().toString().substring(0, 8);
        assertOk(cli.run("create-bucket", container));
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            if (cli != null) {
                cli.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static CliHarness.Result assertOk(CliHarness.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void putLsStatGetCpDeleteOnAzurite() throws IOException {
        String root = container + "/t1/";
        assertOk(cli.run("--json", "put", root + "data/", "-n", "4", "-s", "10KiB", "--seed", "3"));

        CliHarness.Result ls = assertOk(cli.run("--json", "ls", "-r", root));
        List<Map<String, Object>> objects = ls.json().stream().filter(m -> "object".equals(m.get("type"))).toList();
        assertThat(objects).hasSize(4).allSatisfy(m -> assertThat(m.get("size")).isEqualTo(10240L));
        assertThat(objects).extracting(m -> (String) m.get("uri")).contains(root + "data/object_2_of_4.dat");
        assertThat(assertOk(cli.run("ls", root)).lines()).containsExactly(root + "data/");

        String one = root + "data/object_1_of_4.dat";
        CliHarness.Result stat = assertOk(cli.run("--json", "stat", one));
        assertThat(stat.summary()).containsEntry("type", "stat").containsEntry("size", 10240L).containsEntry("uri", one);

        byte[] bytes = assertOk(cli.run("get", one)).stdoutBytes();
        assertThat(bytes).hasSize(10240);
        Path file = temp.resolve("one.bin");
        assertOk(cli.run("get", one, "-o", file.toString()));
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);

        String copy = root + "copies/one.bin";
        assertOk(cli.run("cp", one, copy));
        assertThat(assertOk(cli.run("get", copy)).stdoutBytes()).isEqualTo(bytes);
        String fromFile = root + "uploaded.bin";
        assertOk(cli.run("cp", file.toString(), fromFile));
        assertThat(assertOk(cli.run("get", fromFile)).stdoutBytes()).isEqualTo(bytes);

        CliHarness.Result delete = assertOk(cli.run("--json", "delete", one));
        assertThat(delete.summary()).containsEntry("deleted", 1L);
        assertThat(cli.run("stat", one).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        CliHarness.Result all = assertOk(cli.run("--json", "delete", "-r", root));
        assertThat(all.summary()).containsEntry("deleted", 5L);
        assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("0");
    }

    @Test
    void missingObjectAndContainerExitThreeNamingThem() {
        String missing = container + "/absent.bin";
        CliHarness.Result result = cli.run("stat", missing);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.stderr()).contains(missing);
        String noContainer = "az://" + AzuriteServer.ACCOUNT + "/no-such-container-" + System.nanoTime() + "/x";
        CliHarness.Result absent = cli.run("get", noContainer);
        assertThat(absent.exitCode()).as(absent.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(absent.stderr()).contains(noContainer);
    }

    @Test
    void containersAreListedUnderTheAccount() {
        String name = "az://" + AzuriteServer.ACCOUNT + "/list-" + UUID.randomUUID().toString().substring(0, 8);
        assertOk(cli.run("create-bucket", name));
        assertThat(assertOk(cli.run("list-buckets", "az://" + AzuriteServer.ACCOUNT)).lines()).contains(name);
        assertOk(cli.run("delete-bucket", name));
        assertThat(assertOk(cli.run("list-buckets", "az://" + AzuriteServer.ACCOUNT)).lines()).doesNotContain(name);
    }
}
