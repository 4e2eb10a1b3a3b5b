package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.AzuriteServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every s3-cli command, in-process, against the two real servers the test kit starts: S3Proxy (s3://) and
 * Azurite (az://). One abstract body, one {@code @Nested} class per server; each server starts once per nested
 * class and the class fails if it cannot. {@link CliCommandsTest} does the same on mem:// and file://.
 */
class CliEveryCommandOnServersTest {

    @Nested
    class OnS3Proxy extends EveryCommand {
        private S3ProxyServer server;

        @Override
        CliHarness startServer() {
            server = S3ProxyServer.start();
            return new CliHarness(ConfigSource.of(server.storeSettings()));
        }

        @Override
        void stopServer() {
            if (server != null) {
                server.close();
            }
        }

        @Override
        String bucketUri(String name) {
            return "s3://" + name;
        }

        @Override
        String bucketsRoot() {
            return "s3://";
        }

        @Override
        String badUri() {
            return "s3:///key";
        }

        @Override
        CliHarness wrongCredentials() {
            Map<String, String> settings = new HashMap<>(server.storeSettings());
            settings.put("AWS_SECRET_ACCESS_KEY", "wrong-" + S3ProxyServer.SECRET_KEY);
            settings.put("S3DLIO_S3_MAX_RETRIES", "0");
            return new CliHarness(ConfigSource.of(settings));
        }
    }

    @Nested
    class OnAzurite extends EveryCommand {
        private AzuriteServer server;

        @Override
        CliHarness startServer() {
            server = AzuriteServer.start();
            return new CliHarness(ConfigSource.of(server.settings()));
        }

        @Override
        void stopServer() {
            if (server != null) {
                server.close();
            }
        }

        @Override
        String bucketUri(String name) {
            return "az://" + AzuriteServer.ACCOUNT + "/" + name;
        }

        @Override
        String bucketsRoot() {
            return "az://" + AzuriteServer.ACCOUNT;
        }

        @Override
        String badUri() {
            return "az:///container/key";
        }

        @Override
        CliHarness wrongCredentials() {
            byte[] key = new byte[64];
            java.util.Arrays.fill(key, (byte) 7);
            String wrong = server.connectionString().replace(AzuriteServer.ACCOUNT_KEY, Base64.getEncoder().encodeToString(key));
            assertThat(wrong).isNotEqualTo(server.connectionString());
            return new CliHarness(ConfigSource.of(Map.of(
                    "AZURE_STORAGE_CONNECTION_STRING", wrong,
                    "S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION,
                    "S3DLIO_AZURE_MAX_TRIES", "1")));
        }
    }

    /** The commands, written once against whichever server the subclass starts. */
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class EveryCommand {
        private final AtomicInteger prefixes = new AtomicInteger();
        CliHarness cli;
        String bucket;

        @TempDir
        Path temp;

        /** Starts the server (failing loudly if it cannot) and returns a harness configured for it. */
        abstract CliHarness startServer();

        abstract void stopServer();

        /** The URI of a bucket (s3://) or container (az://ACCOUNT/) with this name. */
        abstract String bucketUri(String name);

        /** What list-buckets is given. */
        abstract String bucketsRoot();

        /** A URI of this scheme that does not parse. */
        abstract String badUri();

        /** A harness whose secret is wrong, with retries off. */
        abstract CliHarness wrongCredentials();

        @BeforeAll
        void start() {
            cli = startServer();
            bucket = bucketUri("cli-every-" + UUID.randomUUID().toString().substring(0, 8));
            assertOk(cli.run("create-bucket", bucket));
        }

        @AfterAll
        void stop() throws IOException {
            try {
                if (cli != null && bucket != null) {
                    assertOk(cli.run("delete", "-r", bucket + "/"));
                    assertOk(cli.run("delete-bucket", bucket));
                    assertThat(assertOk(cli.run("list-buckets", bucketsRoot())).lines()).doesNotContain(bucket);
                }
            } finally {
                try {
                    if (cli != null) {
                        cli.close();
                    }
                } finally {
                    stopServer();
                }
            }
        }

        /** A fresh prefix in the shared bucket, so tests never see each other's objects. */
        private String root() {
            return bucket + "/t" + prefixes.incrementAndGet() + "/";
        }

        private byte[] bytesOf(String uri) throws IOException {
            Location location = Location.parse(uri);
            return cli.stores().forLocation(location).get(location).toArray();
        }

        private void putBytes(String uri, byte[] bytes) throws IOException {
            Location location = Location.parse(uri);
            cli.stores().forLocation(location).put(location, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
        }

        @Test
        void createListAndDeleteBucket() {
            String other = bucketUri("cli-other-" + UUID.randomUUID().toString().substring(0, 8));
            assertOk(cli.run("create-bucket", other));
            assertThat(assertOk(cli.run("list-buckets", bucketsRoot())).lines()).contains(bucket, other);
            CliHarness.Result json = assertOk(cli.run("--json", "list-buckets", bucketsRoot()));
            assertThat(json.json()).filteredOn(m -> "bucket".equals(m.get("type")))
                    .extracting(m -> (String) m.get("name")).contains(other.substring(other.lastIndexOf('/') + 1));
            assertOk(cli.run("delete-bucket", other));
            assertThat(assertOk(cli.run("list-buckets", bucketsRoot())).lines()).contains(bucket).doesNotContain(other);
        }

        @Test
        void putLsStatGetDelete() throws IOException {
            String root = root();
            CliHarness.Result put = assertOk(cli.run("--json", "put", root + "data/", "-n", "5", "-s", "64KiB", "--seed", "11"));
            assertThat(put.summary()).containsEntry("type", "summary").containsEntry("objects", 5L)
                    .containsEntry("bytes", 5L * 65536).containsEntry("seed", 11L).containsEntry("failed", 0L);

            CliHarness.Result ls = assertOk(cli.run("--json", "ls", "-r", root));
            List<Map<String, Object>> objects = ls.json().stream().filter(m -> "object".equals(m.get("type"))).toList();
            assertThat(objects).hasSize(5).allSatisfy(m -> assertThat(m.get("size")).isEqualTo(65536L));
            assertThat(objects).extracting(m -> (String) m.get("uri")).contains(root + "data/object_3_of_5.dat");
            assertThat(ls.summary()).containsEntry("objects", 5L);
            assertThat(assertOk(cli.run("ls", root)).lines()).containsExactly(root + "data/");
            assertThat(assertOk(cli.run("ls", "-r", "--count", root)).stdout().strip()).isEqualTo("5");
            assertThat(assertOk(cli.run("ls", "-r", "-p", "object_[13]_of", root)).lines())
                    .containsExactlyInAnyOrder(root + "data/object_1_of_5.dat", root + "data/object_3_of_5.dat");
            assertThat(assertOk(cli.run("ls", "-r", "--count", "-p", "object_[13]_of", root)).stdout().strip()).isEqualTo("2");

            String one = root + "data/object_1_of_5.dat";
            CliHarness.Result stat = assertOk(cli.run("--json", "stat", one));
            assertThat(stat.summary()).containsEntry("type", "stat").containsEntry("size", 65536L).containsEntry("uri", one);

            Path file = temp.resolve("got-" + prefixes.get() + ".bin");
            CliHarness.Result getToFile = assertOk(cli.run("--json", "get", one, "-o", file.toString()));
            assertThat(getToFile.summary()).containsEntry("bytes", 65536L);
            assertThat(Files.readAllBytes(file)).isEqualTo(bytesOf(one));
            assertThat(assertOk(cli.run("get", one)).stdoutBytes()).isEqualTo(bytesOf(one));

            CliHarness.Result discard = assertOk(cli.run("--json", "get", root, "-r"));
            assertThat(discard.summary()).containsEntry("objects", 5L).containsEntry("bytes", 5L * 65536).containsEntry("failed", 0L);

            CliHarness.Result all = assertOk(cli.run("--json", "delete", "-r", root));
            assertThat(all.summary()).containsEntry("deleted", 5L);
            assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("0");
        }

        @Test
        void uploadNestedTreeAndDownloadItBackByteForByte() throws IOException {
            Path base = Files.createTempDirectory(temp, "upload-");
            Path tree = base.resolve("tree");
            Map<String, byte[]> files = new TreeMap<>();
            files.put("top.txt", "top".getBytes(StandardCharsets.UTF_8));
            files.put("a/b/c/deep.bin", TestData.bytes(70_000, 3));
            files.put("a/sibling with space.txt", "spaced".getBytes(StandardCharsets.UTF_8));
            files.put("ünïcode/ファイル名 1.dat", TestData.bytes(513, 9));
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path path = tree.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.write(path, file.getValue());
            }
            String root = root();
            CliHarness.Result upload = assertOk(cli.run("--json", "upload", "-r", tree.toString(), root));
            assertThat(upload.summary()).containsEntry("objects", (long) files.size()).containsEntry("failed", 0L);
            assertThat(bytesOf(root + "tree/ünïcode/ファイル名 1.dat")).isEqualTo(files.get("ünïcode/ファイル名 1.dat"));

            Path out = base.resolve("out");
            CliHarness.Result download = assertOk(cli.run("--json", "download", "-r", root + "tree/", out.toString()));
            assertThat(download.summary()).containsEntry("objects", (long) files.size()).containsEntry("failed", 0L);
            assertThat(CliCommandsTest.treeOf(out)).containsOnlyKeys(files.keySet());
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                assertThat(Files.readAllBytes(out.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
            }
        }

        @Test
        void cpAcrossBackendsAndServerSide() throws IOException {
            Path base = Files.createTempDirectory(temp, "cp-");
            byte[] payload = TestData.bytes(3 * 1024 * 1024 + 17, 5);
            Path source = Files.write(base.resolve("source.bin"), payload);
            String root = root();
            assertOk(cli.run("cp", source.toString(), root + "in/"));
            assertThat(bytesOf(root + "in/source.bin")).isEqualTo(payload);

            // server -> file:// -> server
            String fileUri = "file://" + base.resolve("back.bin");
            CliHarness.Result toFile = assertOk(cli.run("--json", "cp", root + "in/source.bin", fileUri));
            assertThat(toFile.summary()).containsEntry("serverSide", false).containsEntry("bytes", (long) payload.length);
            assertThat(Files.readAllBytes(base.resolve("back.bin"))).isEqualTo(payload);
            assertOk(cli.run("cp", fileUri, root + "again/back.bin"));
            assertThat(bytesOf(root + "again/back.bin")).isEqualTo(payload);

            // within the server
            CliHarness.Result serverSide = assertOk(cli.run("--json", "cp", root + "again/back.bin", root + "copy/s.bin"));
            assertThat(serverSide.summary()).containsEntry("serverSide", true).containsEntry("bytes", (long) payload.length);
            assertThat(bytesOf(root + "copy/s.bin")).isEqualTo(payload);

            CliHarness.Result missing = cli.run("cp", root + "in/absent.bin", root + "x/");
            assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(missing.stderr()).contains(root + "in/absent.bin");
        }

        @Test
        void deleteWithPatternLeavesNonMatchingObjects() throws IOException {
            String root = root();
            for (String key : List.of("keep-1.txt", "drop-1.log", "sub/drop-2.log", "sub/keep-2.txt")) {
                putBytes(root + key, key.getBytes(StandardCharsets.UTF_8));
            }
            CliHarness.Result delete = assertOk(cli.run("--json", "delete", "-r", "-p", "\\.log$", root));
            assertThat(delete.summary()).containsEntry("deleted", 2L);
            assertThat(assertOk(cli.run("ls", "-r", root)).lines())
                    .containsExactlyInAnyOrder(root + "keep-1.txt", root + "sub/keep-2.txt");
            assertOk(cli.run("delete", "-r", root));
            assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("0");
        }

        @Test
        void missingObjectExitsThreeNamingIt() {
            String missing = root() + "absent.bin";
            for (String command : List.of("stat", "get")) {
                CliHarness.Result result = cli.run(command, missing);
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
                assertThat(result.stderr()).contains(missing).doesNotContain("\tat ");
            }
        }

        @Test
        void badUriExitsTwoNamingIt() {
            CliHarness.Result result = cli.run("stat", badUri());
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(result.stderr()).contains(badUri());
        }

        @Test
        void wrongCredentialsExitFour() throws IOException {
            try (CliHarness wrong = wrongCredentials()) {
                CliHarness.Result result = wrong.run("ls", "-r", bucket + "/");
                assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.ACCESS_DENIED);
                assertThat(result.stderr()).contains(bucket);
            }
        }

        @Test
        void keylistWithOneMissingKeyExitsOneListingIt() throws IOException {
            String root = root();
            putBytes(root + "a", "aaa".getBytes(StandardCharsets.UTF_8));
            putBytes(root + "b", "bb".getBytes(StandardCharsets.UTF_8));
            Path keylist = Files.writeString(Files.createTempDirectory(temp, "keys-").resolve("keys.txt"),
                    "# keys\na\nmissing\n" + root + "b\n");
            CliHarness.Result result = cli.run("--json", "get", root, "--keylist", keylist.toString());
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
            assertThat(result.summary()).containsEntry("objects", 2L).containsEntry("bytes", 5L).containsEntry("failed", 1L);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> failures = (List<Map<String, Object>>) result.summary().get("failures");
            assertThat(failures).singleElement().satisfies(f -> assertThat(f).containsEntry("uri", root + "missing"));
            assertThat(result.stderr()).contains("failed: " + root + "missing");
        }

        static CliHarness.Result assertOk(CliHarness.Result result) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            return result;
        }
    }
}
