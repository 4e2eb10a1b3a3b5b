package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command, in-process, against mem://, file:// and direct:// (the latter on the temp directory's file system). */
class CliCommandsTest {
    @TempDir
    Path temp;

    private CliHarness cli;
    private final List<Path> directoryData = new java.util.ArrayList<>();

    @BeforeEach
    void start() {
        cli = new CliHarness();
        assertOk(cli.run("create-bucket", "mem://t"));
    }

    @AfterEach
    void stop() throws IOException {
        cli.close();
        for (Path dir : directoryData) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /**
     * A fresh prefix on the given scheme: mem://t/&lt;dir&gt;/, file:// on a temp directory, or direct:// under
     * this module's target/ (a disk file system, as /tmp may be tmpfs, which refuses O_DIRECT).
     */
    private String root(String scheme) throws IOException {
        Path dir;
        if (scheme.equals("direct")) {
            Path base = Files.createDirectories(Path.of("target", "cli-test-data").toAbsolutePath());
            dir = Files.createTempDirectory(base, "direct-");
            directoryData.add(dir);
            System.err.println("[CliCommandsTest] direct:// on " + Files.getFileStore(dir).type() + " at " + dir);
        } else {
            dir = Files.createTempDirectory(temp, scheme + "-");
        }
        return switch (scheme) {
            case "mem" -> "mem://t/" + dir.getFileName() + "/";
            case "file", "direct" -> scheme + "://" + dir + "/";
            default -> throw new IllegalArgumentException(scheme);
        };
    }

    private static CliHarness.Result assertOk(CliHarness.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private void putBytes(String uri, byte[] bytes) throws IOException {
        Location location = Location.parse(uri);
        ObjectStore store = cli.stores().forLocation(location);
        store.put(location, ByteBuffer.wrap(bytes), WriteOptions.DEFAULT);
    }

    private byte[] bytesOf(String uri) throws IOException {
        Location location = Location.parse(uri);
        return cli.stores().forLocation(location).get(location).toArray();
    }

    @Test
    void versionAndHelpDocumentExitCodes() {
        CliHarness.Result version = assertOk(cli.run("--version"));
        // The project's version exactly (the pom's, passed in by surefire), followed by the runtime details.
        String projectVersion = java.util.Objects.requireNonNull(System.getProperty("s3dlio.project.version"),
                "system property s3dlio.project.version (set by the root pom's surefire configuration)");
        assertThat(version.stdout()).startsWith("s3-cli " + projectVersion + " (Java ");
        CliHarness.Result help = assertOk(cli.run("--help"));
        assertThat(help.stdout()).contains("Exit codes:", "some items failed", "not found", "permission denied");
        assertThat(assertOk(cli.run("get", "--help")).stdout()).contains("Exit codes:");
    }

    @Test
    void readmeListsTheSameExitCodesAsHelp() throws IOException {
        String readme = Files.readString(Path.of("../README.md")); // tests run in the module directory
        for (String entry : ExitCodes.HELP_LIST) {
            assertThat(readme).contains("| " + entry.substring(0, entry.indexOf(':')) + " | ");
        }
        assertThat(ExitCodes.HELP_LIST).hasSize(6);
    }

    @Test
    void getPrefixWithOutputDirectoryKeepsStructure() throws IOException {
        putBytes("mem://t/g/a/one", "1".getBytes(StandardCharsets.UTF_8));
        putBytes("mem://t/g/b/two", "22".getBytes(StandardCharsets.UTF_8));
        Path out = temp.resolve("getdir");
        CliHarness.Result result = assertOk(cli.run("--json", "get", "-r", "mem://t/g/", "-o", out.toString()));
        assertThat(result.summary()).containsEntry("objects", 2L).containsEntry("bytes", 3L);
        assertThat(Files.readString(out.resolve("a/one"))).isEqualTo("1");
        assertThat(Files.readString(out.resolve("b/two"))).isEqualTo("22");
    }

    @Test
    void usageErrorsExitTwo() {
        CliHarness.Result unknown = cli.run("ls", "--no-such-option", "mem://t/");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.stderr()).contains("--no-such-option");
        assertThat(cli.run().exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("put", "mem://t/x/").exitCode()).as("missing -n/-s").isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badUriExitsTwoNamingIt() {
        CliHarness.Result result = cli.run("--json", "stat", "foo://bucket/key");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.stderr()).contains("foo://bucket/key").doesNotContain("\tat ");
        Map<String, Object> error = result.summary();
        assertThat(error).containsEntry("type", "error").containsEntry("exitCode", 2L);
        assertThat((String) error.get("message")).contains("foo://bucket/key");

        CliHarness.Result noBucket = cli.run("ls", "s3:///key");
        assertThat(noBucket.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(noBucket.stderr()).contains("s3:///key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file", "direct"})
    void missingObjectExitsThreeNamingIt(String scheme) throws IOException {
        String missing = root(scheme) + "absent.bin";
        for (String command : List.of("stat", "get")) {
            CliHarness.Result result = cli.run(command, missing);
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(result.stderr()).contains(missing).doesNotContain("\tat ");
        }
        CliHarness.Result verbose = cli.run("-v", "stat", missing);
        assertThat(verbose.stderr()).contains("\tat ");
        assertThat(cli.run("ls", "mem://no-such-bucket/").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file", "direct"})
    void putListStatGetDelete(String scheme) throws IOException {
        String root = root(scheme);
        CliHarness.Result put = assertOk(cli.run("--json", "put", root + "data/", "-n", "5", "-s", "10KiB", "--seed", "7", "-j", "3"));
        assertThat(put.summary()).containsEntry("type", "summary").containsEntry("objects", 5L)
                .containsEntry("bytes", 5L * 10240).containsEntry("seed", 7L).containsEntry("failed", 0L);

        CliHarness.Result ls = assertOk(cli.run("--json", "ls", "-r", root));
        List<Map<String, Object>> objects = ls.json().stream().filter(m -> "object".equals(m.get("type"))).toList();
        assertThat(objects).hasSize(5).allSatisfy(m -> assertThat(m.get("size")).isEqualTo(10240L));
        assertThat(objects).extracting(m -> (String) m.get("uri")).contains(root + "data/object_3_of_5.dat");
        assertThat(ls.summary()).containsEntry("objects", 5L);

        CliHarness.Result oneLevel = assertOk(cli.run("ls", root));
        assertThat(oneLevel.lines()).containsExactly(root + "data/");

        assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("5");
        assertThat(assertOk(cli.run("ls", "-r", "--count", "-p", "object_[13]_of", root)).stdout().strip()).isEqualTo("2");

        String one = root + "data/object_1_of_5.dat";
        CliHarness.Result stat = assertOk(cli.run("--json", "stat", one));
        assertThat(stat.summary()).containsEntry("type", "stat").containsEntry("size", 10240L).containsEntry("uri", one);
        assertThat(assertOk(cli.run("stat", one)).stdout()).contains("size:", "10240");

        CliHarness.Result get = assertOk(cli.run("get", one));
        assertThat(get.stdoutBytes()).isEqualTo(bytesOf(one));

        Path file = temp.resolve("got.bin");
        CliHarness.Result getToFile = assertOk(cli.run("--json", "get", one, "-o", file.toString()));
        assertThat(Files.readAllBytes(file)).isEqualTo(bytesOf(one));
        assertThat(getToFile.summary()).containsEntry("bytes", 10240L);

        CliHarness.Result discard = assertOk(cli.run("--json", "get", "-r", root));
        assertThat(discard.summary()).containsEntry("objects", 5L).containsEntry("bytes", 5L * 10240);
        assertThat(discard.summary().get("mbPerSecond")).isInstanceOf(Number.class);
        CliHarness.Result human = assertOk(cli.run("get", "-r", root));
        assertThat(human.stderr()).containsPattern("get: 5 objects, 51.2 kB in [0-9.]+ s, [0-9.]+ MB/s");

        CliHarness.Result delete = assertOk(cli.run("--json", "delete", one));
        assertThat(delete.summary()).containsEntry("deleted", 1L);
        assertThat(cli.run("stat", one).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertOk(cli.run("delete", one));  // absent is not an error

        CliHarness.Result all = assertOk(cli.run("--json", "delete", "-r", root + "data"));
        assertThat(all.summary()).containsEntry("deleted", 4L);
        assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("0");
    }

    @Test
    void putIsReproducibleWithSeedAndFillsTemplate() throws IOException {
        assertOk(cli.run("put", "mem://t/a/", "-n", "2", "-s", "100000", "--seed", "42", "-t", "f-{}-{}.bin"));
        assertOk(cli.run("put", "mem://t/b/", "-n", "2", "-s", "100000", "--seed", "42", "-t", "f-{}-{}.bin"));
        assertOk(cli.run("put", "mem://t/c/", "-n", "2", "-s", "100000", "--seed", "43", "-t", "f-{}-{}.bin"));
        assertThat(bytesOf("mem://t/a/f-1-2.bin")).isEqualTo(bytesOf("mem://t/b/f-1-2.bin"));
        assertThat(bytesOf("mem://t/a/f-1-2.bin")).isNotEqualTo(bytesOf("mem://t/c/f-1-2.bin"));
        assertThat(bytesOf("mem://t/a/f-0-2.bin")).isNotEqualTo(bytesOf("mem://t/a/f-1-2.bin"));
        assertThat(cli.run("put", "mem://t/d/", "-n", "2", "-s", "1", "-t", "fixed").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void putCreatesBucketWithDashC() {
        assertThat(cli.run("put", "mem://fresh/x/", "-n", "1", "-s", "1KiB").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertOk(cli.run("put", "mem://fresh/x/", "-n", "1", "-s", "1KiB", "-c"));
        assertThat(assertOk(cli.run("ls", "-r", "-c", "mem://fresh/")).stdout().strip()).isEqualTo("1");
    }

    @Test
    void keylistPartialFailureListsEachFailedItemAndDoesTheRest() throws IOException {
        putBytes("mem://t/k/a", "aaa".getBytes(StandardCharsets.UTF_8));
        putBytes("mem://t/k/b", "bb".getBytes(StandardCharsets.UTF_8));
        Path keylist = temp.resolve("keys.txt");
        Files.writeString(keylist, "# keys\na\nmissing\nmem://t/k/b\n");
        CliHarness.Result result = cli.run("--json", "get", "mem://t/k/", "--keylist", keylist.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        Map<String, Object> summary = result.summary();
        assertThat(summary).containsEntry("objects", 2L).containsEntry("bytes", 5L).containsEntry("failed", 1L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> failures = (List<Map<String, Object>>) summary.get("failures");
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("uri", "mem://t/k/missing");
            assertThat((String) f.get("cause")).contains("not found");
        });
        assertThat(result.stderr()).contains("failed: mem://t/k/missing: object not found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file", "direct"})
    void uploadNestedTreeRoundTripsThroughDownload(String scheme) throws IOException {
        Path tree = temp.resolve("tree");
        Map<String, byte[]> files = new TreeMap<>();
        files.put("top.txt", "top".getBytes(StandardCharsets.UTF_8));
        files.put("empty.bin", new byte[0]);
        files.put("a/b/c/deep.bin", pattern(70_000, 3));
        files.put("a/sibling with space.txt", "spaced".getBytes(StandardCharsets.UTF_8));
        files.put("ünïcode/ファイル.dat", pattern(513, 9));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            Path path = tree.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.write(path, file.getValue());
        }
        String root = root(scheme);
        CliHarness.Result upload = assertOk(cli.run("--json", "upload", "-r", tree.toString(), root + "up/"));
        assertThat(upload.summary()).containsEntry("objects", (long) files.size());
        assertThat(bytesOf(root + "up/tree/a/b/c/deep.bin")).isEqualTo(files.get("a/b/c/deep.bin"));

        Path out = temp.resolve("out");
        CliHarness.Result download = assertOk(cli.run("--json", "download", "-r", root + "up/tree/", out.toString()));
        assertThat(download.summary()).containsEntry("objects", (long) files.size());
        assertThat(treeOf(out)).containsOnlyKeys(files.keySet());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertThat(Files.readAllBytes(out.resolve(file.getKey()))).as(file.getKey()).isEqualTo(file.getValue());
        }
        // Without the trailing slash the directory's own name is kept, as with cp -r.
        Path named = temp.resolve("named");
        assertOk(cli.run("download", "-r", root + "up/tree", named.toString()));
        assertThat(Files.readAllBytes(named.resolve("tree/a/b/c/deep.bin"))).isEqualTo(files.get("a/b/c/deep.bin"));
    }

    @Test
    void uploadOfDirectoryWithoutRecursiveAndMissingFileAreListedFailures() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("d"));
        Path good = Files.writeString(temp.resolve("good.txt"), "good");
        CliHarness.Result result = cli.run("upload", dir.toString(), temp.resolve("nope.txt").toString(), good.toString(), "mem://t/u/");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(result.stderr()).contains(dir + ": is a directory; use -r", "nope.txt");
        assertThat(bytesOf("mem://t/u/good.txt")).isEqualTo("good".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void uploadExpandsGlobs() throws IOException {
        Files.writeString(temp.resolve("x1.csv"), "1");
        Files.writeString(temp.resolve("x2.csv"), "2");
        Files.writeString(temp.resolve("x3.txt"), "3");
        assertOk(cli.run("upload", temp.resolve("*.csv").toString(), "mem://t/g/"));
        assertThat(assertOk(cli.run("ls", "mem://t/g/")).lines()).containsExactly("mem://t/g/x1.csv", "mem://t/g/x2.csv");
    }

    @Test
    void downloadRefusesKeysEscapingTheDirectory() throws IOException {
        putBytes("mem://t/evil/../escape.txt", "gotcha".getBytes(StandardCharsets.UTF_8));
        putBytes("mem://t/evil/sub/../../up.txt", "gotcha".getBytes(StandardCharsets.UTF_8));
        putBytes("mem://t/evil/good.txt", "fine".getBytes(StandardCharsets.UTF_8));
        Path out = temp.resolve("jail/out");
        CliHarness.Result result = cli.run("--json", "download", "-r", "mem://t/evil/", out.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.SOME_FAILED);
        assertThat(result.summary()).containsEntry("objects", 1L).containsEntry("failed", 2L);
        assertThat(result.stderr()).contains("failed: mem://t/evil/../escape.txt: refused:",
                "failed: mem://t/evil/sub/../../up.txt: refused:");
        assertThat(Files.readString(out.resolve("good.txt"))).isEqualTo("fine");
        assertThat(treeOf(temp.resolve("jail"))).containsOnlyKeys("out/good.txt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem", "file"})
    void deleteWithPatternLeavesNonMatchingObjects(String scheme) throws IOException {
        String root = root(scheme);
        for (String key : List.of("keep-1.txt", "drop-1.log", "sub/drop-2.log", "sub/keep-2.txt")) {
            putBytes(root + key, key.getBytes(StandardCharsets.UTF_8));
        }
        CliHarness.Result dry = assertOk(cli.run("--json", "delete", "-r", "-p", "\\.log$", "--dry-run", root));
        assertThat(dry.summary()).containsEntry("wouldDelete", 2L).containsEntry("deleted", 0L);
        assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("4");

        CliHarness.Result delete = assertOk(cli.run("--json", "delete", "-r", "-p", "\\.log$", root));
        assertThat(delete.summary()).containsEntry("deleted", 2L);
        assertThat(assertOk(cli.run("ls", "-r", root)).lines()).containsExactlyInAnyOrder(root + "keep-1.txt", root + "sub/keep-2.txt");
        assertThat(cli.run("delete", "-p", "(", root).exitCode()).isEqualTo(ExitCodes.USAGE);
        CliHarness.Result prefixWithoutR = cli.run("delete", root);
        assertThat(prefixWithoutR.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(prefixWithoutR.stderr()).contains(root, "use -r");
        assertThat(assertOk(cli.run("ls", "-r", "-c", root)).stdout().strip()).isEqualTo("2");
    }

    @Test
    void cpAcrossBackendsFileToMemToFile() throws IOException {
        byte[] payload = pattern(3 * 1024 * 1024 + 17, 5);
        Path source = Files.write(temp.resolve("source.bin"), payload);
        assertOk(cli.run("cp", source.toString(), "mem://t/copy/"));
        assertThat(bytesOf("mem://t/copy/source.bin")).isEqualTo(payload);

        CliHarness.Result serverSide = assertOk(cli.run("--json", "cp", "mem://t/copy/source.bin", "mem://t/copy2/s.bin"));
        assertThat(serverSide.summary()).containsEntry("serverSide", true).containsEntry("bytes", (long) payload.length);

        Path back = temp.resolve("back/again.bin");
        Files.createDirectories(back.getParent());
        CliHarness.Result toFile = assertOk(cli.run("--json", "cp", "mem://t/copy2/s.bin", back.toString()));
        assertThat(toFile.summary()).containsEntry("serverSide", false);
        assertThat(Files.readAllBytes(back)).isEqualTo(payload);

        assertThat(cli.run("cp", "mem://t/copy/", "mem://t/x/").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("cp", "mem://t/copy/absent", "mem://t/x/").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void cpRecursiveAcrossBackendsKeepsStructure() throws IOException {
        Path tree = temp.resolve("src");
        Files.createDirectories(tree.resolve("a/b"));
        Files.writeString(tree.resolve("one.txt"), "1");
        Files.writeString(tree.resolve("a/b/two.txt"), "22");
        assertOk(cli.run("cp", "-r", tree.toString(), "mem://t/r/"));
        assertThat(assertOk(cli.run("ls", "-r", "mem://t/r/")).lines())
                .containsExactly("mem://t/r/src/a/b/two.txt", "mem://t/r/src/one.txt");
        Path out = temp.resolve("dst");
        CliHarness.Result back = assertOk(cli.run("--json", "cp", "-r", "mem://t/r/src/", out.toString()));
        assertThat(back.summary()).containsEntry("objects", 2L).containsEntry("bytes", 3L);
        assertThat(Files.readString(out.resolve("a/b/two.txt"))).isEqualTo("22");
        assertThat(Files.readString(out.resolve("one.txt"))).isEqualTo("1");
    }

    @Test
    void bucketsCreateListDelete() {
        assertOk(cli.run("create-bucket", "mem://zeta"));
        assertThat(assertOk(cli.run("list-buckets", "mem://")).lines()).contains("mem://t", "mem://zeta");
        CliHarness.Result json = assertOk(cli.run("--json", "list-buckets", "mem://"));
        assertThat(json.json()).filteredOn(m -> "bucket".equals(m.get("type"))).extracting(m -> m.get("name")).contains("zeta");
        assertThat(assertOk(cli.run("ls", "mem://")).lines()).contains("mem://zeta/");
        assertOk(cli.run("put", "mem://zeta/", "-n", "1", "-s", "1"));
        CliHarness.Result notEmpty = cli.run("delete-bucket", "mem://zeta");
        assertThat(notEmpty.exitCode()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(notEmpty.stderr()).contains("mem://zeta", "not empty");
        assertOk(cli.run("delete", "-r", "mem://zeta/"));
        assertOk(cli.run("delete-bucket", "mem://zeta"));
        assertThat(assertOk(cli.run("list-buckets", "mem://")).lines()).doesNotContain("mem://zeta");
    }

    @Test
    void demoOnATemporaryDirectoryCleansUp() {
        CliHarness.Result result = assertOk(cli.run("demo", "-n", "6", "-s", "100KiB"));
        assertThat(result.stdout()).contains("write:", "read:").containsPattern("6 objects, 614.4 kB in [0-9.]+ s, [0-9.]+ MB/s");
        String base = result.lines().getFirst().replaceAll(".* at file://(.*) \\(.*", "$1");
        assertThat(Path.of(base)).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mem://demo-bucket", "direct"})
    void demoOnAnyUriVerifiesAndCleansUp(String where) throws IOException {
        String uri = where.equals("direct") ? root("direct") : where;
        CliHarness.Result result = assertOk(cli.run("--json", "demo", uri, "-n", "5", "-s", "5000"));
        Map<String, Object> summary = result.summary();
        assertThat(summary).containsEntry("verified", 5L).containsEntry("failed", 0L);
        @SuppressWarnings("unchecked")
        Map<String, Object> read = (Map<String, Object>) summary.get("read");
        assertThat(read).containsEntry("objects", 5L).containsEntry("bytes", 25000L);
        if (uri.startsWith("mem://")) {
            assertThat(assertOk(cli.run("list-buckets", "mem://")).lines()).doesNotContain("mem://demo-bucket");
        } else {
            assertThat(assertOk(cli.run("ls", "-r", "-c", uri)).stdout().strip()).isEqualTo("0");
        }
    }

    @Test
    void completionPrintsABashScript() {
        CliHarness.Result result = assertOk(cli.run("completion"));
        assertThat(result.stdout()).contains("complete -F", "s3-cli", "download", "--recursive");
    }

    @Test
    void jobsComeFromTheAdaptivePolicyOrS3dlioJobsAndAreValidated() throws IOException {
        try (CliHarness configured = new CliHarness(io.s3dlio.config.ConfigSource.of(Map.of("S3DLIO_JOBS", "3")))) {
            assertOk(configured.run("create-bucket", "mem://j"));
            CliHarness.Result result = assertOk(configured.run("-v", "put", "mem://j/", "-n", "2", "-s", "1"));
            assertThat(result.stderr()).contains("jobs = 3 (S3DLIO_JOBS)");
        }
        assertThat(cli.run("put", "mem://t/", "-n", "1", "-s", "1", "-j", "0").exitCode()).isEqualTo(ExitCodes.USAGE);
        CliHarness.Result adaptive = assertOk(cli.run("-v", "put", "mem://t/adaptive/", "-n", "2", "-s", "1KiB"));
        assertThat(adaptive.stderr()).contains("jobs = 2 (adaptive policy, local store, 2 objects of 1.0 kB)");
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i * 31 + seed + (i >>> 8));
        }
        return bytes;
    }

    static Map<String, Long> treeOf(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(path).toString(), Files.size(path));
            }
        }
        return files;
    }
}
