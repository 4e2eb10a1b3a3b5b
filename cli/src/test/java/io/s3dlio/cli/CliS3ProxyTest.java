package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * ls, stat, get, cp and delete on s3:// in-process, with the registry configured the way a user does it
 * (AWS_ENDPOINT_URL and keys) against S3Proxy 4.1.0, which this class starts itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliS3ProxyTest {
    private S3ProxyServer server;
    private CliHarness cli;

    @TempDir
    Path temp;

    @BeforeAll
    void start() {
        server = S3ProxyServer.start();
        cli = new CliHarness(ConfigSource.of(server.storeSettings()));
    }

    @AfterAll
    void stop() throws IOException {
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

    private CliHarness.Result ok(String... args) {
        CliHarness.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void lsStatGetCpDeleteOnS3() throws Exception {
        ok("create-bucket", "s3://cli-bucket");
        byte[] data = TestData.bytes(70_000, 3);
        Location object = Location.parse("s3://cli-bucket/dir/data file.bin");
        cli.stores().forLocation(object).put(object, ByteBuffer.wrap(data), WriteOptions.DEFAULT);

        assertThat(ok("ls", "-r", "s3://cli-bucket/").lines()).containsExactly("s3://cli-bucket/dir/data file.bin");
        assertThat(ok("ls", "s3://").stdout()).contains("cli-bucket");
        assertThat(ok("stat", "s3://cli-bucket/dir/data file.bin").stdout()).contains("70000");

        Path file = temp.resolve("out.bin");
        ok("get", "s3://cli-bucket/dir/data file.bin", "-o", file.toString());
        assertThat(Files.readAllBytes(file)).isEqualTo(data);

        ok("cp", "s3://cli-bucket/dir/data file.bin", "s3://cli-bucket/copy/");
        Location copy = Location.parse("s3://cli-bucket/copy/data file.bin");
        assertThat(cli.stores().forLocation(copy).get(copy).toArray()).isEqualTo(data);

        ok("delete", "-r", "s3://cli-bucket/");
        assertThat(ok("ls", "-r", "-c", "s3://cli-bucket/").stdout().trim()).isEqualTo("0");
        CliHarness.Result missing = cli.run("stat", "s3://cli-bucket/dir/data file.bin");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.stderr()).contains("s3://cli-bucket/dir/data file.bin");
    }

    @Test
    void largeObjectsComeThroughTheRangeEngineByteForByte() throws Exception {
        ok("create-bucket", "s3://cli-large");
        // Past several 8 MiB chunks and past one 64 MiB window of the range engine, with a ragged tail.
        byte[] data = TestData.bytes(70 * 1024 * 1024 + 13, 11);
        Location object = Location.parse("s3://cli-large/big/object.bin");
        cli.stores().forLocation(object).put(object, ByteBuffer.wrap(data), WriteOptions.DEFAULT);

        Path file = temp.resolve("big.bin");
        ok("get", "s3://cli-large/big/object.bin", "-o", file.toString());
        assertThat(java.util.Arrays.mismatch(Files.readAllBytes(file), data)).as("first differing byte").isEqualTo(-1);

        Path tree = temp.resolve("tree");
        ok("download", "-r", "s3://cli-large/big/", tree.toString());
        assertThat(java.util.Arrays.mismatch(Files.readAllBytes(tree.resolve("object.bin")), data)).isEqualTo(-1);
        ok("delete", "-r", "s3://cli-large/");
        ok("delete-bucket", "s3://cli-large");
    }

    @Test
    void wrongSecretExitsWithAccessDenied() throws IOException {
        var settings = new java.util.HashMap<>(server.storeSettings());
        settings.put("AWS_SECRET_ACCESS_KEY", "wrong");
        settings.put("S3DLIO_S3_MAX_RETRIES", "0");
        try (CliHarness wrong = new CliHarness(ConfigSource.of(settings))) {
            CliHarness.Result result = wrong.run("ls", "s3://cli-bucket/");
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(4);
            assertThat(result.stderr()).contains("s3://cli-bucket");
        }
    }
    @Test
    void uploadChecksItsBucketFirstAndNamesAMissingOne() throws IOException {
        Path dir = java.nio.file.Files.createDirectories(temp.resolve("upload-check"));
        java.nio.file.Files.write(dir.resolve("a.bin"), TestData.bytes(1_000, 1));
        CliHarness.Result missing = cli.run("upload", "-r", dir.toString(), "s3://no-such-cli-bucket/p/");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(3);
        assertThat(missing.stderr()).contains("no-such-cli-bucket").doesNotContain("a.bin");
        ok("create-bucket", "s3://cli-upload-check");
        ok("upload", "-r", dir.toString(), "s3://cli-upload-check/p/");
        assertThat(ok("ls", "-r", "s3://cli-upload-check/").lines()).hasSize(1);
        var settings = new java.util.HashMap<>(server.storeSettings());
        settings.put("AWS_SECRET_ACCESS_KEY", "wrong");
        settings.put("S3DLIO_S3_MAX_RETRIES", "0");
        try (CliHarness wrong = new CliHarness(ConfigSource.of(settings))) {
            CliHarness.Result denied = wrong.run("upload", "-r", dir.toString(), "s3://cli-upload-check/q/");
            assertThat(denied.exitCode()).as(denied.toString()).isEqualTo(4);
            assertThat(denied.stderr()).contains("cli-upload-check");
        }
    }
}
