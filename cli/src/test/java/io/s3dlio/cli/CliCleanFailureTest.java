package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How commands fail and what they leave (issue 15, the command-line side), in-process on mem:// and real
 * local files: special files and links under {@code get -o}, links inside a download directory, control
 * characters in keys, summaries after partial failure, configuration errors, the key length limit, and
 * one-line errors naming the URI.
 */
class CliCleanFailureTest {
    @TempDir
    Path temp;

    private CliHarness cli;

    @BeforeEach
    void start() {
        cli = new CliHarness();
        assertThat(cli.run("create-bucket", "mem://f").exitCode()).isZero();
    }

    @AfterEach
    void stop() throws IOException {
        cli.close();
    }

    private void put(String uri, byte[] bytes) throws IOException {
        Location location = Location.parse(uri);
        cli.stores().forLocation(location).put(location, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
    }

    private static void mkfifo(Path path) throws Exception {
        Process process = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(process.waitFor()).as("mkfifo " + path).isZero();
    }

    @Test
    void getIntoAFifoWritesThroughItAndLeavesTheFifo() throws Exception {
        byte[] data = TestData.bytes(300_000, 11);
        put("mem://f/fifo/data.bin", data);
        Path fifo = temp.resolve("pipe");
        mkfifo(fifo);
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliHarness.Result result = cli.run("get", "mem://f/fifo/data.bin", "-o", fifo.toString());
        if (!reader.isDone()) {
            // Renamed over instead of written through: nobody opened the FIFO; let the reader go.
            try (var unblock = Files.newOutputStream(fifo)) {
                unblock.flush();
            } catch (IOException e) {
                // the FIFO is gone (replaced by a regular file): the reader sees the end anyway
            }
        }
        byte[] received = reader.get(60, TimeUnit.SECONDS);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.exists(fifo)).isTrue();
        assertThat(Files.isRegularFile(fifo)).as("still a FIFO, not replaced by a regular file").isFalse();
        assertThat(received).isEqualTo(data);
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("pipe");
        }
    }

    @Test
    void getOntoASymlinkWritesItsTargetAndKeepsTheLink() throws Exception {
        byte[] data = TestData.bytes(70_000, 12);
        put("mem://f/link/data.bin", data);
        Path real = Files.createDirectories(temp.resolve("real")).resolve("file.bin");
        Files.writeString(real, "old content");
        Path link = Files.createSymbolicLink(temp.resolve("link.bin"), Path.of("real", "file.bin"));

        CliHarness.Result result = cli.run("get", "mem://f/link/data.bin", "-o", link.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.isSymbolicLink(link)).as("the link the user named stays a link").isTrue();
        assertThat(Files.readAllBytes(real)).isEqualTo(data);
        try (Stream<Path> left = Files.list(real.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("no temporary left")
                    .containsExactly("file.bin");
        }
    }

    @Test
    void getOntoARegularFileStillReplacesItWhole() throws Exception {
        byte[] data = TestData.bytes(5_000, 13);
        put("mem://f/reg/data.bin", data);
        Path file = Files.writeString(temp.resolve("out.bin"), "a longer old content that must not survive at the end");
        CliHarness.Result result = cli.run("get", "mem://f/reg/data.bin", "-o", file.toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.readAllBytes(file)).isEqualTo(data);
    }

    @Test
    void downloadRefusesToFollowALinkOutOfItsDirectory() throws Exception {
        put("mem://f/dl/evil/passwd", "overwritten".getBytes(StandardCharsets.UTF_8));
        put("mem://f/dl/inside/ok.txt", "fine".getBytes(StandardCharsets.UTF_8));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Files.writeString(outside.resolve("passwd"), "precious");
        Path destination = Files.createDirectories(temp.resolve("dest"));
        Files.createSymbolicLink(destination.resolve("evil"), outside);

        CliHarness.Result result = cli.run("download", "-r", "mem://f/dl/", destination.toString());

        assertThat(Files.readString(outside.resolve("passwd"))).as("nothing written through the link").isEqualTo("precious");
        try (Stream<Path> left = Files.list(outside)) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("passwd");
        }
        assertThat(Files.readString(destination.resolve("inside/ok.txt"))).isEqualTo("fine");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(result.stderr()).contains("mem://f/dl/evil/passwd", "symbolic link");
    }

    @Test
    void controlCharactersInKeysStayOnOneLine() throws Exception {
        put("mem://f/ctl/two\nlines.txt", new byte[] {1});
        put("mem://f/ctl/tab\there.txt", new byte[] {2});
        put("mem://f/ctl/plain.txt", new byte[] {3});

        CliHarness.Result ls = cli.run("ls", "mem://f/ctl/");
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        assertThat(ls.lines()).containsExactlyInAnyOrder("mem://f/ctl/two\\x0alines.txt", "mem://f/ctl/tab\\x09here.txt",
                "mem://f/ctl/plain.txt");

        CliHarness.Result json = cli.run("--json", "ls", "mem://f/ctl/");
        assertThat(json.json().stream().filter(line -> "object".equals(line.get("type"))).map(line -> line.get("uri")))
                .as("--json keeps the exact keys").contains("mem://f/ctl/two\nlines.txt");
    }

    @Test
    void summariesCountOnlyWhatSucceeded() throws Exception {
        put("mem://f/sum/good.bin", TestData.bytes(1_000, 1));
        put("mem://f/sum/bad.bin", TestData.bytes(50_000, 2));
        Path destination = Files.createDirectories(temp.resolve("sum"));
        // A non-empty directory where bad.bin goes: its bytes are read, then it fails.
        Files.writeString(Files.createDirectories(destination.resolve("bad.bin")).resolve("keep"), "x");

        CliHarness.Result result = cli.run("--json", "download", "-r", "mem://f/sum/", destination.toString());

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        Map<String, Object> summary = result.summary();
        assertThat(summary.get("objects")).isEqualTo(1L);
        assertThat(summary.get("bytes")).as("bytes of the failed object are not counted").isEqualTo(1_000L);
        assertThat(summary.get("failed")).isEqualTo(1L);
    }

    @Test
    void configurationErrorsNameTheirVariable() {
        Map<String, String> endpoint = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_ACCESS_KEY_ID", "k",
                "AWS_SECRET_ACCESS_KEY", "s");
        for (Map.Entry<String, String> bad : List.of(Map.entry("S3DLIO_S3_MAX_RETRIES", "99"),
                Map.entry("S3DLIO_S3_MAX_CONNECTIONS", "0"), Map.entry("S3DLIO_S3_READ_TIMEOUT", "0"),
                Map.entry("S3DLIO_ENDPOINT_BACKOFF", "0"), Map.entry("S3DLIO_ENDPOINT_FAILURES", "0"))) {
            Map<String, String> settings = new java.util.HashMap<>(endpoint);
            settings.put(bad.getKey(), bad.getValue());
            try (CliHarness configured = new CliHarness(ConfigSource.of(settings))) {
                CliHarness.Result result = configured.run("ls", "s3://bucket/");
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
                assertThat(result.stderr()).as(bad.getKey()).contains(bad.getKey());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Test
    void keysOverTheObjectStoreLimitAreRefusedBeforeAnyRequest() throws IOException {
        // Nothing listens on port 1: a request would fail as a connection error (exit 5), not a usage error.
        try (CliHarness s3 = new CliHarness(ConfigSource.of(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1",
                "AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s")))) {
            String tooLong = "é".repeat(600); // 600 characters, 1,200 bytes in UTF-8
            CliHarness.Result stat = s3.run("stat", "s3://bucket/" + tooLong);
            assertThat(stat.exitCode()).as(stat.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(stat.stderr()).contains("1200 bytes", "1024").hasLineCount(1);

            CliHarness.Result put = s3.run("put", "s3://bucket/p/", "-n", "2", "-s", "1", "-t", "x".repeat(1030) + "{}");
            assertThat(put.exitCode()).as(put.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(put.stderr()).contains("1024");
        }
        String fits = "x".repeat(1024);
        put("mem://f/" + fits, new byte[] {1}); // mem:// (and local paths) have no such limit
        Path file = Files.write(temp.resolve("k.bin"), new byte[] {7});
        CliHarness.Result upload = cli.run("cp", file.toString(), "mem://f/" + "y".repeat(1100));
        assertThat(upload.exitCode()).as(upload.toString()).isZero();
    }

    @Test
    void anErrorIsOneLineNamingTheUri() throws Exception {
        byte[] data = TestData.bytes(1_000, 5);
        put("mem://f/one/data.bin", data);
        Path notADirectory = Files.writeString(temp.resolve("plain"), "x");

        CliHarness.Result result = cli.run("get", "mem://f/one/data.bin", "-o", notADirectory.resolve("out.bin").toString());

        assertThat(result.exitCode()).as(result.toString()).isNotZero();
        assertThat(result.stderr()).hasLineCount(1).contains("mem://f/one/data.bin").doesNotContain("\tat ");
    }

    @Test
    void redactionRemovesSignaturesTokensAndSasSignatures() {
        String apache = "http-outgoing-0 >> Authorization: AWS4-HMAC-SHA256 Credential=AKIA/20261201/us-east-1/s3/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
        String token = "http-outgoing-0 >> x-amz-security-token: FQoGZXIvYXdzEJr//////////wEaDSECRET";
        String sdk = "headers={Authorization=[AWS4-HMAC-SHA256 Credential=AKIA, Signature=feedface], X-Amz-Security-Token=[TOKEN123]}";
        String sas = "GET https://acct.blob.core.windows.net/c/k?sv=2024-08-04&se=2026&sig=abc%2Bdef%3D&sp=r HTTP/1.1";
        String redacted = Redaction.apply(String.join("\n", apache, token, sdk, sas));
        assertThat(redacted).doesNotContain("0123456789abcdef", "FQoGZXIvYXdzEJr", "SECRET", "feedface", "TOKEN123",
                "abc%2Bdef").contains("Authorization: <redacted>", "sig=<redacted>", "sv=2024-08-04", "sp=r");
        assertThat(redacted.lines()).hasSize(4);
    }
}
