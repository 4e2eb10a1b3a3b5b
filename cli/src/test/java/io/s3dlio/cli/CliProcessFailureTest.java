package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The built command line as a process, where only a process can show it: writes to a full stdout
 * ({@code /dev/full}), a reader that goes away ({@code | head}), and SIGTERM or SIGINT (Ctrl-C) during a
 * multipart upload.
 */
class CliProcessFailureTest {
    @TempDir
    Path temp;

    private record Run(int exitCode, String stderr) {}

    private List<String> command(String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        // env resets SIGINT to its default: a child of a background job (a CI runner, a build under nohup)
        // inherits SIGINT ignored, and the JVM keeps an ignored SIGINT ignored; a terminal's Ctrl-C reaches a
        // foreground process whose SIGINT is not ignored, which this reproduces.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT", java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private Run run(File stdout, String... args) throws IOException, InterruptedException {
        Path err = temp.resolve("stderr-" + System.nanoTime());
        Process process = new ProcessBuilder(command(args)).redirectOutput(stdout).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("s3-cli " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Run(process.exitValue(), Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aFullStdoutFailsTheCommandAndAClosedPipeEndsItQuietly() throws Exception {
        Path file = Files.write(temp.resolve("data.bin"), TestData.bytes(3_000_000, 21));
        Path dir = Files.createDirectories(temp.resolve("many"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(dir.resolve("f" + i), "x");
        }
        File full = new File("/dev/full");

        Run get = run(full, "get", file.toString());
        assertThat(get.exitCode()).as(get.stderr()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(get.stderr()).contains("stdout", "No space left on device").hasLineCount(1);

        Run ls = run(full, "ls", dir.toString());
        assertThat(ls.exitCode()).as(ls.stderr()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(ls.stderr()).contains("No space left on device").doesNotContain("\tat ");

        Run json = run(full, "--json", "ls", dir.toString());
        assertThat(json.exitCode()).as(json.stderr()).isEqualTo(ExitCodes.IO_ERROR);

        // | head -c 100: the reader takes a little and closes the pipe; the rest is not an error.
        Path err = temp.resolve("stderr-head");
        Process process = new ProcessBuilder(command("get", file.toString())).redirectError(err.toFile()).start();
        try (InputStream out = process.getInputStream()) {
            assertThat(out.readNBytes(100)).hasSize(100);
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(stderr).isZero();
        assertThat(stderr).as("quiet: no error, and no summary claiming every byte").isEmpty();
    }

    @Test
    void anAbortThatFailsPrintsTheUploadId() throws Exception {
        Path file = Files.write(temp.resolve("big.bin"), TestData.bytes(40 * 1024 * 1024, 23));
        try (S3ProxyServer server = S3ProxyServer.start();
                LatencyProxy slow = LatencyProxy.start("127.0.0.1", server.port(),
                        LatencyProxy.Options.cloudLink(Duration.ofMillis(5), 2L * 1024 * 1024));
                S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket("abortfail"));
            slow.cutRequests("DELETE /", 1); // every AbortMultipartUpload fails as a network failure
            Process process = startUpload(slow, file, "s3://abortfail/up/", "up");
            awaitWhileRunning(process, "its first part", () -> slow.methodCounts().containsKey("PUT"));
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            String stderr = Files.readString(temp.resolve("up-err"), StandardCharsets.UTF_8);
            var open = s3.listMultipartUploads(b -> b.bucket("abortfail")).uploads();
            assertThat(open).as("the abort was refused, so the upload is still open").hasSize(1);
            assertThat(stderr).as("the id to abort it by hand").contains(open.getFirst().uploadId(), "clean-up failed");
        }
    }

    private static S3Client client(S3ProxyServer server) {
        return S3Client.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .forcePathStyle(true).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY))).build();
    }

    /**
     * Polls {@code reached} while the upload process runs; the process is outside the test's control, so there is
     * no clock to inject. Fails, with the process's stderr, if it ends first or 90 s pass.
     */
    private void awaitWhileRunning(Process process, String what, BooleanSupplier reached) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!reached.getAsBoolean()) {
            assertThat(process.isAlive()).as("the upload ended before " + what + ": "
                    + Files.readString(temp.resolve("up-err"), StandardCharsets.UTF_8)).isTrue();
            assertThat(System.nanoTime()).as("waited 90 s for " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private Process startUpload(LatencyProxy proxy, Path file, String target, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command("upload", file.toString(), target))
                .redirectOutput(temp.resolve(name + "-out").toFile()).redirectError(temp.resolve(name + "-err").toFile());
        Map<String, String> env = builder.environment();
        env.put("AWS_ENDPOINT_URL", proxy.endpoint());
        env.put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        env.put("S3DLIO_PART_SIZE", "5MiB");
        env.put("S3DLIO_UPLOAD_CONCURRENCY", "2");
        return builder.start();
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalDuringAMultipartUploadAbortsItOnTheServer(String signal) throws Exception {
        Path file = Files.write(temp.resolve("big.bin"), TestData.bytes(40 * 1024 * 1024, 22));
        try (S3ProxyServer server = S3ProxyServer.start();
                LatencyProxy slow = LatencyProxy.start("127.0.0.1", server.port(),
                        LatencyProxy.Options.cloudLink(Duration.ofMillis(5), 2L * 1024 * 1024));
                S3Client s3 = client(server)) {
            s3.createBucket(b -> b.bucket("sig"));
            Process process = startUpload(slow, file, "s3://sig/up/", "up");
            awaitWhileRunning(process, "its multipart upload was seen",
                    () -> !s3.listMultipartUploads(b -> b.bucket("sig")).uploads().isEmpty());
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -" + signal).isZero();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("exited after SIG" + signal).isTrue();
            String stderr = Files.readString(temp.resolve("up-err"), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("killed by the signal, not finished: " + stderr).isNotZero();
            assertThat(s3.listMultipartUploads(b -> b.bucket("sig")).uploads()).as("open uploads after SIG" + signal + "; stderr: "
                    + stderr).isEmpty();
            assertThat(s3.listObjectsV2(b -> b.bucket("sig")).contents()).as("no object under the final name").isEmpty();
        }
    }
}
