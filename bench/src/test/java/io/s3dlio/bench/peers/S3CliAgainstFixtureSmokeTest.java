package io.s3dlio.bench.peers;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.bench.fixture.BenchS3Server;
import io.s3dlio.cli.CliEnvironment;
import io.s3dlio.cli.S3Cli;
import io.s3dlio.config.ConfigSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The s3-cli side of bench/run-peers.sh at tiny sizes, in process, against the fixture: the same command lines
 * the script times (cp, get -o, download -r, upload -r, ls -r) with the same settings (path-style, us-east-1,
 * static credentials, checksums when_required), each result checked, and then the same work through the
 * Transfer Manager harness, so the comparison cannot silently rot on either side.
 */
class S3CliAgainstFixtureSmokeTest {

    private static BenchS3Server server;
    private static ObjectStores stores;
    private static ConfigSource config;

    @BeforeAll
    static void start() throws Exception {
        server = BenchS3Server.start(0);
        server.preload("smoke", "small/", 50, 64 * 1024);
        server.preload("smoke", "list/", 2500, 16);
        config = ConfigSource.of(Map.of(
                "AWS_ENDPOINT_URL", server.endpoint().toString(),
                "AWS_ACCESS_KEY_ID", "test",
                "AWS_SECRET_ACCESS_KEY", "testtest",
                "AWS_REGION", "us-east-1",
                "S3DLIO_S3_PATH_STYLE", "true",
                "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required",
                "S3DLIO_JOBS", "4"));
        stores = ObjectStores.create(config);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stores != null) {
            stores.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = S3Cli.execute(new CliEnvironment(stores, config, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CliEnvironment.Terminal.NOT_INTERACTIVE), args);
        assertThat(code).as("s3-cli %s exit code; stderr: %s", String.join(" ", args),
                err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String tm(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--endpoint", server.endpoint().toString(), "--jobs", "4"));
        all.addAll(List.of(args));
        return TransferManagerPeer.run(all);
    }

    private static long[] tree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            List<Path> regular = files.filter(Files::isRegularFile).toList();
            long bytes = 0;
            for (Path file : regular) {
                bytes += Files.size(file);
            }
            return new long[] {regular.size(), bytes};
        }
    }

    @Test
    void theScriptsCommandLinesWorkForS3CliAndTheTransferManager(@TempDir Path dir) throws Exception {
        byte[] big = new byte[12 << 20];
        new Random(11).nextBytes(big);
        Path source = dir.resolve("big.bin");
        Files.write(source, big);

        // get1g / put1g
        cli("cp", source.toString(), "s3://smoke/putbig/big.bin");
        cli("get", "s3://smoke/putbig/big.bin", "-o", dir.resolve("cli.bin").toString());
        assertThat(Files.readAllBytes(dir.resolve("cli.bin"))).isEqualTo(big);
        tm("put-one", source.toString(), "s3://smoke/putbig/tm.bin");
        tm("get-one", "s3://smoke/putbig/tm.bin", dir.resolve("tm.bin").toString());
        assertThat(Files.readAllBytes(dir.resolve("tm.bin"))).isEqualTo(big);

        // get64k
        cli("download", "s3://smoke/small/", dir.resolve("cli-small").toString(), "-r", "-j", "4");
        assertThat(tree(dir.resolve("cli-small"))).containsExactly(50, 50L * 64 * 1024);
        tm("get-dir", "s3://smoke/small/", dir.resolve("tm-small").toString());
        assertThat(tree(dir.resolve("tm-small"))).containsExactly(50, 50L * 64 * 1024);

        // put1m
        cli("upload", dir.resolve("cli-small").toString(), "s3://smoke/putsmall/", "-r", "-j", "4");
        assertThat(tm("ls", "s3://smoke/putsmall/")).isEqualTo("ok ls objects=50 bytes=" + 50L * 64 * 1024);
        assertThat(tm("purge", "s3://smoke/putsmall/")).isEqualTo("ok purge objects=50 bytes=0");
        tm("put-dir", dir.resolve("tm-small").toString(), "s3://smoke/putsmall/tm/");
        assertThat(tm("ls", "s3://smoke/putsmall/")).isEqualTo("ok ls objects=50 bytes=" + 50L * 64 * 1024);

        // list
        assertThat(cli("ls", "-r", "s3://smoke/list/").lines().count()).isEqualTo(2500);
        assertThat(tm("ls", "s3://smoke/list/")).isEqualTo("ok ls objects=2500 bytes=40000");
    }
}
