package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's choice of JIT set-up (src/dist/bin/s3-cli), run as users run it with a JDK whose {@code java}
 * writes down its arguments. C1 alone only where no byte goes through TLS: the JDK's AES-GCM runs at C1 speed
 * (28 MB/s here) until C2 compiles it, so a read over https on C1 alone costs several times the CPU.
 */
class LauncherJitTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String CRYPTO_FIRST = "-XX:CompileCommand=CompileThresholdScaling,com.sun.crypto.provider.*::*,0.1";
    private static final String SHA_FIRST =
            "-XX:CompileCommand=CompileThresholdScaling,sun.security.provider.DigestBase::implCompressMultiBlock0,0.01";

    @TempDir
    Path temp;

    private Path launcher;
    private Path jdk;

    @BeforeEach
    void distribution() throws IOException {
        Path bin = Files.createDirectories(temp.resolve("dist/bin"));
        Files.createDirectories(temp.resolve("dist/lib"));
        launcher = bin.resolve("s3-cli");
        Files.copy(Path.of("src/dist/bin/s3-cli"), launcher, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        jdk = Files.createDirectories(temp.resolve("jdk/bin"));
        Files.writeString(temp.resolve("jdk/release"), "JAVA_VERSION=\"25.0.1\"\n");
        Path java = jdk.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" > \"$ARGS_FILE\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(java, jdk.resolve("javac"));
    }

    /** The JVM options the launcher passes for {@code args} with {@code env} set (and no other endpoint). */
    private List<String> jvmOptions(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path argsFile = temp.resolve("args-" + System.nanoTime());
        List<String> command = new ArrayList<>(List.of("bash", launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("S3DLIO_") || name.startsWith("S3_"));
        environment.put("JAVA_HOME", temp.resolve("jdk").toString());
        environment.put("HOME", temp.toString());
        environment.put("S3DLIO_CLI_CDS", "0");
        environment.put("ARGS_FILE", argsFile.toString());
        environment.putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<String> all = Files.readAllLines(argsFile);
        return all.subList(0, all.indexOf(Main.class.getName()));
    }

    @Test
    void readsOverPlainHttpRunOnC1Alone() throws Exception {
        assertThat(jvmOptions(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"), "get", "s3://b/k"))
                .contains(C1_ONLY);
        assertThat(jvmOptions(Map.of("S3DLIO_ENDPOINTS", "http://a:9000, http://b:9000"), "download", "-r", "s3://b/p/", "out"))
                .contains(C1_ONLY);
        assertThat(jvmOptions(Map.of(), "ls", "-r", "/tmp")).contains(C1_ONLY);
        assertThat(jvmOptions(Map.of(), "get", "file:///tmp/x", "-o", "y")).contains(C1_ONLY);
        assertThat(jvmOptions(Map.of("AWS_ENDPOINT_URL", "https://s3.example"), "--endpoint-url", "http://h:9000", "ls",
                "s3://b/")).as("the flag wins over the environment").contains(C1_ONLY);
    }

    @Test
    void readsOverTlsKeepC2WithTheCryptoCompiledFirst() throws Exception {
        List<List<String>> runs = List.of(
                jvmOptions(Map.of(), "get", "s3://b/k"), // AWS itself
                jvmOptions(Map.of("AWS_ENDPOINT_URL", "https://s3.example"), "get", "s3://b/k"),
                jvmOptions(Map.of("AWS_ENDPOINT_URL", "http://h:9000", "AWS_ENDPOINT_URL_S3", "https://s3.example"),
                        "download", "s3://b/p/", "out"),
                jvmOptions(Map.of("S3DLIO_ENDPOINTS", "http://a:9000,https://b"), "get", "s3://b/k"),
                jvmOptions(Map.of("AWS_ENDPOINT_URL", "http://h:9000"), "--endpoint-url=https://x", "rm", "s3://b/k"),
                jvmOptions(Map.of(), "ls", "az://account/container/"),
                jvmOptions(Map.of(), "get", "gs://bucket/k", "-o", "x"));
        for (List<String> options : runs) {
            assertThat(options).doesNotContain(C1_ONLY).contains("-XX:CompileCommand=quiet", CRYPTO_FIRST, SHA_FIRST);
        }
    }

    @Test
    void statStaysOnC1AndUploadsHashFirst() throws Exception {
        assertThat(jvmOptions(Map.of(), "stat", "s3://b/k")).contains(C1_ONLY);
        List<String> cp = jvmOptions(Map.of("AWS_ENDPOINT_URL", "http://h:9000"), "cp", "/tmp/x", "s3://b/k");
        assertThat(cp).doesNotContain(C1_ONLY).contains(SHA_FIRST, "-XX:CompileThresholdScaling=8");
        assertThat(cp.indexOf("-XX:CompileCommand=quiet")).as("quiet before the commands it silences")
                .isLessThan(cp.indexOf(SHA_FIRST));
    }

    @Test
    void aGlobalOptionsValueIsNotTakenForTheCommand() throws Exception {
        Files.createFile(temp.resolve("dist/lib/s3-cli-quick.aot"));
        Files.createFile(temp.resolve("dist/lib/s3-cli.aot"));
        List<String> stat = jvmOptions(Map.of(), "--region", "eu-west-1", "--endpoint-url", "https://h", "stat", "s3://b/k");
        assertThat(stat).contains(C1_ONLY);
        assertThat(stat).anyMatch(option -> option.startsWith("-XX:AOTCache=") && option.endsWith("s3-cli-quick.aot"));
        List<String> cp = jvmOptions(Map.of(), "--profile", "p", "cp", "/tmp/x", "s3://b/k");
        assertThat(cp).contains("-XX:CompileThresholdScaling=8")
                .anyMatch(option -> option.startsWith("-XX:AOTCache=") && option.endsWith("/s3-cli.aot"));
    }
}
