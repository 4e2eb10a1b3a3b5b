package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.testkit.python.ReferencePython;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put -o FORMAT, datagen and tfrecord-index write files that the reference readers (NumPy, h5py, crcmod) accept. */
class FormatCommandsTest {
    private CliHarness cli;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        cli = new CliHarness();
    }

    @AfterEach
    void stop() throws IOException {
        cli.close();
    }

    private static CliHarness.Result assertOk(CliHarness.Result result) {
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    void putInEveryFormatWritesFilesTheReferenceReadersAcceptWithTheGeneratorsBytes() throws Exception {
        for (String format : List.of("RAW", "NPY", "NPZ", "TFRECORD", "HDF5")) {
            CliHarness.Result put = assertOk(cli.run("--json", "put", Location.ofLocalPath(dir.resolve(format)) + "/",
                    "-o", format, "--dtype", "int32", "-r", "3", "-s", "4KiB", "-n", "2", "--seed", "11", "-x", "2"));
            Map<String, Object> summary = put.summary();
            assertThat(summary.get("objects")).isEqualTo(2L);
            assertThat(((Number) summary.get("bytes")).longValue()).isEqualTo(2 * 3 * 4096);
        }
        // File i's payload is synthetic stream i in every format: each must equal the RAW file's bytes.
        String check = """
                import sys, os, h5py, numpy as np
                d = sys.argv[1]
                for i in range(2):
                    raw = open(os.path.join(d, 'RAW', 'object_%d_of_2.dat' % i), 'rb').read()
                    assert len(raw) == 3 * 4096
                    a = np.load(os.path.join(d, 'NPY', 'object_%d_of_2.npy' % i))
                    assert a.dtype == np.dtype('<i4') and a.shape == (3, 1024), (a.dtype, a.shape)
                    assert a.tobytes() == raw
                    z = np.load(os.path.join(d, 'NPZ', 'object_%d_of_2.npz' % i))
                    assert sorted(z.files) == ['x', 'y'], z.files
                    assert z['x'].shape == (3, 1024) and z['x'].tobytes() == raw
                    assert z['y'].shape == (3,) and z['y'].dtype == np.dtype('<i8')
                    with h5py.File(os.path.join(d, 'HDF5', 'object_%d_of_2.h5' % i), 'r') as f:
                        r = f['records']
                        assert r.shape == (3, 1024) and r.dtype == np.dtype('<i4'), (r.shape, r.dtype)
                        assert r[()].tobytes() == raw
                print('ok')
                """;
        assertThat(ReferencePython.check(check, dir.toString())).contains("ok");
        for (int i = 0; i < 2; i++) {
            Path tfrecord = dir.resolve("TFRECORD").resolve("object_" + i + "_of_2.tfrecord");
            String output = ReferencePython.check(ReferencePython.TFRECORD_READER, tfrecord.toString());
            assertThat(output).contains("records 3");
            byte[] raw = Files.readAllBytes(dir.resolve("RAW").resolve("object_" + i + "_of_2.dat"));
            List<String> lines = output.lines().filter(line -> !line.startsWith("records")).toList();
            for (int r = 0; r < 3; r++) {
                assertThat(lines.get(r).split(" ")[2]).isEqualTo(sha256(java.util.Arrays.copyOfRange(raw, r * 4096, (r + 1) * 4096)));
            }
        }
    }

    @Test
    void datagenWritesTheWorkloadsFormatAndTheTfRecordIndexMatchesAnIndependentOne() throws Exception {
        Location resnet = Location.ofLocalPath(dir.resolve("resnet50"));
        CliHarness.Result result = assertOk(cli.run("--json", "datagen", resnet.toString(), "--workload", "resnet50",
                "-n", "3", "--samples-per-file", "5", "--sample-size", "1000", "--seed", "1"));
        assertThat(result.summary()).containsEntry("workload", "resnet50").containsEntry("format", "TFRECORD");
        for (int i = 0; i < 3; i++) {
            Path file = dir.resolve("resnet50").resolve("img_" + i + "_of_3.tfrecord");
            String output = ReferencePython.check(ReferencePython.TFRECORD_READER, file.toString());
            assertThat(output).contains("records 5");
            String independent = indexOf(output);
            assertThat(Files.readString(Path.of(file + ".idx"), StandardCharsets.UTF_8)).isEqualTo(independent);

            Path rebuilt = dir.resolve("rebuilt-" + i + ".idx");
            assertOk(cli.run("tfrecord-index", Location.ofLocalPath(file).toString(), Location.ofLocalPath(rebuilt).toString()));
            assertThat(Files.readString(rebuilt, StandardCharsets.UTF_8)).isEqualTo(independent);
        }
        Files.delete(dir.resolve("resnet50").resolve("img_0_of_3.tfrecord.idx"));
        CliHarness.Result index = assertOk(cli.run("--json", "tfrecord-index",
                Location.ofLocalPath(dir.resolve("resnet50").resolve("img_0_of_3.tfrecord")).toString()));
        assertThat(index.summary()).containsEntry("records", 5L);
        assertThat(dir.resolve("resnet50").resolve("img_0_of_3.tfrecord.idx")).exists();

        assertOk(cli.run("datagen", Location.ofLocalPath(dir.resolve("unet3d")).toString(), "-w", "unet3d", "-n", "2",
                "--sample-size", "4096", "--seed", "2"));
        assertThat(ReferencePython.check("""
                import sys, numpy as np
                for i in range(2):
                    z = np.load(sys.argv[1] + '/img_%d_of_2.npz' % i)
                    assert z['x'].shape == (4096,) and z['x'].dtype == np.uint8, (z['x'].shape, z['x'].dtype)
                print('ok')
                """, dir.resolve("unet3d").toString())).contains("ok");
    }

    @Test
    void badFormatsAndWorkloadsAreUsageErrors() throws Exception {
        CliHarness.Result format = cli.run("put", "mem://b/x/", "-o", "PARQUET", "-n", "1", "-s", "10", "-c");
        assertThat(format.exitCode()).as(format.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(format.stderr()).contains("PARQUET");
        CliHarness.Result dtype = cli.run("put", "mem://b/x/", "-o", "NPY", "--dtype", "int3", "-n", "1", "-s", "10", "-c");
        assertThat(dtype.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dtype.stderr()).contains("int3");
        CliHarness.Result workload = cli.run("datagen", "mem://b/x/", "-w", "bert");
        assertThat(workload.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(workload.stderr()).contains("bert");
        CliHarness.Result odd = cli.run("put", "mem://b/x/", "-o", "NPY", "--dtype", "float32", "-n", "1", "-s", "10", "-c");
        assertThat(odd.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(odd.stderr()).contains("not a whole number of float32");
        Files.write(dir.resolve("bad.tfrecord"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13});
        String bad = Location.ofLocalPath(dir.resolve("bad.tfrecord")).toString();
        CliHarness.Result corrupt = cli.run("tfrecord-index", bad);
        assertThat(corrupt.exitCode()).isNotZero();
        assertThat(corrupt.stderr()).contains(bad).contains("offset 0");
        assertThat(dir.resolve("bad.tfrecord.idx")).doesNotExist();
    }

    private static String indexOf(String readerOutput) {
        StringBuilder index = new StringBuilder();
        for (String line : readerOutput.lines().filter(line -> !line.startsWith("records") && !line.isBlank()).toList()) {
            String[] fields = line.split(" ");
            index.append(fields[0]).append(' ').append(fields[1]).append('\n');
        }
        return index.toString();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
