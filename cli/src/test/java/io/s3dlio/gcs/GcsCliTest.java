package io.s3dlio.gcs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Storage;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.spi.ObjectStoreProvider;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.cli.CliEnvironment;
import io.s3dlio.cli.S3Cli;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's ls, stat, get, cp and delete command classes, run in-process through the registry on gs:// backed by
 * the LocalStorageHelper <b>fake</b> (see {@link GcsFakeContractTest} for what the fake cannot show). The
 * registry's gs:// provider is the real one; only its client comes from the fake.
 */
class GcsCliTest {
    private static final String ROOT = "gs://cli-bucket/run/";

    @TempDir
    Path temp;

    private ObjectStores stores;

    @BeforeEach
    void start() {
        Storage fake = LocalStorageHelper.customOptions(false).getService();
        // The registry's gs:// provider, on the fake's client: the same store class and decorators.
        ObjectStoreProvider onFake = new ObjectStoreProvider() {
            @Override
            public java.util.Set<String> schemes() {
                return new GcsStoreProvider().schemes();
            }

            @Override
            public ObjectStore create(ConfigSource config) {
                return GcsStoreProvider.create(fake, GcsConfig.from(config));
            }
        };
        stores = ObjectStores.create(ConfigSource.empty(), java.util.List.of(onFake));
    }

    @AfterEach
    void stop() throws IOException {
        stores.close();
    }

    private record Result(int exitCode, String stdout, byte[] stdoutBytes, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = S3Cli.execute(new CliEnvironment(stores, stores.config(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CliEnvironment.Terminal.NOT_INTERACTIVE), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static Result ok(Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    private byte[] put(String uri, int size, long seed) throws IOException {
        Location location = Location.parse(uri);
        byte[] data = TestData.bytes(size, seed);
        stores.forLocation(location).put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT.withContentType("application/x-test"));
        return data;
    }

    @Test
    void theRegistryServesGsAndGcsWithTheRealProvider() throws IOException {
        ObjectStore store = stores.forLocation(Location.parse("gcs://cli-bucket/x"));
        // The GCS store's own claims show through the registry's decorators (no downcast to find it).
        assertThat(store.capabilities()).containsExactlyInAnyOrder(Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE,
                Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST, Capability.CONDITIONAL_WRITE,
                Capability.FULL_OBJECT_CRC32C);
        assertThat(store.schemes()).containsExactly("gs");
    }

    @Test
    void lsListsOneLevelAndRecursively() throws IOException {
        put(ROOT + "a.bin", 10, 1);
        put(ROOT + "dir/b.bin", 20, 2);
        put(ROOT + "dir/sub/c.bin", 30, 3);
        assertThat(ok(run("ls", ROOT)).stdout().lines()).containsExactly(ROOT + "a.bin", ROOT + "dir/");
        assertThat(ok(run("ls", "-r", ROOT)).stdout().lines())
                .containsExactly(ROOT + "a.bin", ROOT + "dir/b.bin", ROOT + "dir/sub/c.bin");
        assertThat(ok(run("ls", "-r", "-c", "gcs://cli-bucket/run/dir/")).stdout().strip()).isEqualTo("2");
    }

    @Test
    void statShowsSizeAndContentType() throws IOException {
        put(ROOT + "stat-me", 1234, 4);
        Result stat = ok(run("stat", ROOT + "stat-me"));
        assertThat(stat.stdout()).contains("1234").contains("application/x-test");
        Result missing = run("stat", ROOT + "absent");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(io.s3dlio.cli.ExitCodes.NOT_FOUND);
        assertThat(missing.stderr()).contains(ROOT + "absent");
    }

    /**
     * Fake gap: get reads an object of unknown size in chunks, and the fake pads a chunk that reaches past the
     * end with zeros where GCS cuts it (see GcsFakeContractTest), so on the fake the output is the object
     * followed by zeros up to the chunk size. What the fake shows: the command resolves gs:// through the
     * registry, exits 0, and writes the object's bytes first, nothing else but that padding. Exact output on
     * real GCS: GcsLiveContractTest's positional-read contracts, which this command is built on.
     */
    @Test
    void getWritesTheObjectsBytesToStdoutAndToAFile() throws IOException {
        byte[] data = put(ROOT + "data.bin", 70_000, 5);
        assertStartsWithDataThenOnlyPadding(ok(run("get", ROOT + "data.bin", "-o", "-")).stdoutBytes(), data);
        Path file = temp.resolve("out.bin");
        ok(run("get", ROOT + "data.bin", "-o", file.toString()));
        assertStartsWithDataThenOnlyPadding(Files.readAllBytes(file), data);
    }

    private static void assertStartsWithDataThenOnlyPadding(byte[] output, byte[] data) {
        assertThat(output.length).isGreaterThanOrEqualTo(data.length);
        assertThat(java.util.Arrays.copyOf(output, data.length)).isEqualTo(data);
        for (int i = data.length; i < output.length; i++) {
            assertThat(output[i]).as("byte %d after the object (the fake's padding)", i).isZero();
        }
    }

    @Test
    void cpCopiesInsideGcsAndToAndFromLocalFiles() throws IOException {
        byte[] data = put(ROOT + "src.bin", 5000, 6);
        ok(run("cp", ROOT + "src.bin", ROOT + "copies/dst.bin"));
        Location copied = Location.parse(ROOT + "copies/dst.bin");
        assertThat(stores.forLocation(copied).get(copied).toArray()).isEqualTo(data);

        Path local = temp.resolve("down.bin");
        ok(run("cp", ROOT + "src.bin", local.toUri().toString().replace("file:/", "file:///")));
        assertThat(Files.readAllBytes(local)).isEqualTo(data);

        ok(run("cp", "file://" + local, ROOT + "up/again.bin"));
        Location uploaded = Location.parse(ROOT + "up/again.bin");
        assertThat(stores.forLocation(uploaded).get(uploaded).toArray()).isEqualTo(data);
    }

    @Test
    void deleteRemovesOneObject() throws IOException {
        put(ROOT + "doomed", 5, 7);
        ok(run("delete", ROOT + "doomed"));
        assertThat(run("stat", ROOT + "doomed").exitCode()).isEqualTo(io.s3dlio.cli.ExitCodes.NOT_FOUND);
        ok(run("delete", ROOT + "doomed")); // absent is not an error
    }

    /**
     * delete -r goes through deletePrefix's batch request, which the fake does not implement: the CLI must
     * report each key as a failed item (exit 1) and delete nothing, rather than crash or claim success.
     */
    @Test
    void recursiveDeleteReportsTheFakesMissingBatchEndpointPerKey() throws IOException {
        put(ROOT + "tree/one", 5, 8);
        put(ROOT + "tree/two", 5, 9);
        Result result = run("delete", "-r", ROOT + "tree/");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains(ROOT + "tree/one").contains(ROOT + "tree/two").contains("batch delete");
        assertThat(ok(run("ls", "-r", "-c", ROOT + "tree/")).stdout().strip()).isEqualTo("2");
    }
}
