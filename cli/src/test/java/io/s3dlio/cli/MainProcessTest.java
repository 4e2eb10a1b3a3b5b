package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real process entry point: exit status through System.exit, binary stdout, stderr messages. */
class MainProcessTest {
    @TempDir
    Path temp;

    private record Run(int exitCode, byte[] stdout, String stderr) {}

    private Run run(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Path out = temp.resolve("stdout-" + System.nanoTime());
        Path err = temp.resolve("stderr-" + System.nanoTime());
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("s3-cli " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readAllBytes(out), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void exitCodesAndStreamsOfTheRealProcess() throws Exception {
        Run version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(new String(version.stdout(), StandardCharsets.UTF_8)).startsWith("s3-cli 0.9.0");

        Path missing = temp.resolve("absent.bin");
        Run notFound = run("stat", missing.toString());
        assertThat(notFound.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(notFound.stderr()).contains(missing.toString(), "not found").doesNotContain("\tat ");

        byte[] payload = new byte[300_000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + (i >>> 9));
        }
        Path file = Files.write(temp.resolve("data.bin"), payload);
        Run get = run("get", file.toString());
        assertThat(get.exitCode()).as(get.stderr()).isZero();
        assertThat(get.stdout()).isEqualTo(payload);

        Run demo = run("demo", "-n", "3", "-s", "4KiB");
        assertThat(demo.exitCode()).as(demo.stderr()).isZero();
        assertThat(new String(demo.stdout(), StandardCharsets.UTF_8)).contains("verify: 3 of 3 objects match");

        assertThat(run("ls", "nope://x").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
