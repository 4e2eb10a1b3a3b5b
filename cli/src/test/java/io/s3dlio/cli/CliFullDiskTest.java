package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get} and {@code download} into a file system that fills up: a 1 MiB tmpfs this test mounts (the
 * tests run as root, here and in .ci/run). A mount that fails fails the test with the reason: it never skips,
 * and no emulation (a {@code /dev/full} or a file-size limit) stands in for a full disk. In every case: a
 * non-zero exit, one line naming the URI, nothing under the final name unless whole, no temporary file.
 */
class CliFullDiskTest {
    private static final long DISK = 1024 * 1024;

    @TempDir
    Path temp;

    private Path disk;
    private CliHarness cli;

    private static void exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the full-disk test needs root to mount"
                    + " a tmpfs; it does not skip): " + output.strip());
        }
    }

    @BeforeEach
    void mount() throws Exception {
        disk = Files.createDirectories(temp.resolve("disk"));
        exec("mount", "-t", "tmpfs", "-o", "size=" + DISK + ",mode=0700", "tmpfs", disk.toString());
        cli = new CliHarness();
        assertThat(cli.run("create-bucket", "mem://full").exitCode()).isZero();
    }

    @AfterEach
    void unmount() throws Exception {
        try {
            if (cli != null) {
                cli.close();
            }
        } finally {
            exec("umount", disk.toString());
        }
    }

    private void put(String uri, byte[] bytes) throws IOException {
        Location location = Location.parse(uri);
        cli.stores().forLocation(location).put(location, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
    }

    private Map<String, byte[]> filesOnDisk() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(disk)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(disk.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void getIntoAFullDiskFailsNamingTheUriAndLeavesNothing() throws Exception {
        put("mem://full/big.bin", TestData.bytes(3 * 1024 * 1024, 31));

        CliHarness.Result result = cli.run("get", "mem://full/big.bin", "-o", disk.resolve("big.bin").toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(result.stderr()).as(result.toString()).hasLineCount(1).contains("mem://full/big.bin")
                .contains("No space left on device").doesNotContain("\tat ");
        assertThat(filesOnDisk()).as("no file under the final name and no temporary file").isEmpty();
    }

    @Test
    void downloadIntoAFullDiskKeepsOnlyWholeFiles() throws Exception {
        Map<String, byte[]> objects = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            byte[] data = TestData.bytes(400_000, 40 + i);
            objects.put("d/part-" + i + ".bin", data);
            put("mem://full/d/part-" + i + ".bin", data);
        }

        CliHarness.Result result = cli.run("download", "-r", "mem://full/d/", disk.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(result.stderr()).as(result.toString()).contains("mem://full/d/part-", "No space left on device")
                .doesNotContain("\tat ");
        Map<String, byte[]> files = filesOnDisk();
        assertThat(files.size()).as("1.6 MB cannot fit in 1 MiB").isLessThan(objects.size());
        files.forEach((name, bytes) -> assertThat(bytes).as(name + " (a temporary or partial file?)")
                .isEqualTo(objects.get("d/" + name.substring(name.lastIndexOf('/') + 1))));
    }
}
