package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.ZstdInputStream;
import io.s3dlio.oplog.OpLogReader;
import io.s3dlio.oplog.OpRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C (SIGINT) of a running s3-cli process still leaves a complete, readable op log under its final name. */
class OpLogProcessTest {
    @TempDir
    Path temp;

    @Test
    void sigintLeavesACompleteOpLog() throws Exception {
        Path log = temp.resolve("interrupted.csv.zst");
        Path data = Files.createDirectories(temp.resolve("data"));
        String java = ProcessHandle.current().info().command().orElseThrow();
        // env resets SIGINT to its default: under a background job (a CI runner, nohup) the child would inherit
        // SIGINT ignored, the JVM keeps it so, and the put would run on (as CliProcessFailureTest explains).
        Process process = new ProcessBuilder("env", "--default-signal=INT", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "--op-log", log.toString(),
                "put", data.toUri().toString(), "-n", "1000000", "-s", "100", "-j", "4")
                .redirectOutput(temp.resolve("stdout").toFile()).redirectError(temp.resolve("stderr").toFile()).start();
        try {
            // Wait (without a time limit on the test's logic) until it is well into the run.
            long files = 0;
            for (int i = 0; i < 1200 && files < 300 && process.isAlive(); i++) {
                Thread.sleep(100);
                try (Stream<Path> listing = Files.list(data)) {
                    files = listing.count();
                }
            }
            assertThat(process.isAlive()).as("still running when interrupted; stderr: %s",
                    Files.readString(temp.resolve("stderr"), StandardCharsets.UTF_8)).isTrue();
            assertThat(files).isGreaterThanOrEqualTo(300);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exits after SIGINT").isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("killed by SIGINT, not finished").isEqualTo(130);
        assertThat(log).exists();
        assertThat(temp.resolve("interrupted.csv.zst.partial")).doesNotExist();
        // A complete zstd frame: the whole text decodes, ending with a full line.
        String text;
        try (InputStream in = new ZstdInputStream(Files.newInputStream(log))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).startsWith("idx\t").endsWith("\n");
        List<OpRecord> records = OpLogReader.readAll(log);
        long puts = records.stream().filter(r -> r.op().equals("PUT") && !r.failed()).count();
        assertThat(puts).isGreaterThanOrEqualTo(300);
        assertThat(records).allSatisfy(r -> assertThat(r.bytes()).isIn(0L, 100L));
    }
}
