package io.s3dlio.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.testkit.python.ReferencePython;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.local.FileStoreProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NPY and NPZ written here are loaded by NumPy with the declared dtype, shape and exact bytes, and read back here. */
class NpyNpzTest {
    private static ObjectStore store;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws IOException {
        store = new FileStoreProvider().create(ConfigSource.empty());
    }

    @AfterAll
    static void close() throws IOException {
        store.close();
    }

    private static final List<List<Long>> SHAPES = List.of(List.of(), List.of(0L), List.of(1L), List.of(7L),
            List.of(3L, 5L), List.of(2L, 3L, 4L));

    /** Script: argv = manifest lines "path|name-or-empty|descr|shape|expected.bin". */
    private static final String CHECK = """
            import sys, numpy as np
            n = 0
            for line in open(sys.argv[1]):
                path, name, descr, shape, expected = line.rstrip('\\n').split('\\t')
                shape = tuple(int(s) for s in shape.split(',') if s)
                a = np.load(path) if not name else np.load(path)[name]
                want = open(expected, 'rb').read()
                assert a.dtype.str == descr or (a.dtype.itemsize == 1 and a.dtype.str[1:] == descr[1:]), (path, name, a.dtype.str, descr)
                assert a.shape == shape, (path, name, a.shape, shape)
                assert a.tobytes() == want, (path, name, 'bytes differ')
                n += 1
            if sys.argv[1].endswith('.npzlist'):
                import zipfile
                for p in set(l.split('\\t')[0] for l in open(sys.argv[1])):
                    with zipfile.ZipFile(p) as z:
                        assert z.testzip() is None, p
            print('checked', n)
            """;

    @Test
    void numpyLoadsEveryNpyWithItsDtypeShapeAndBytes() throws Exception {
        List<String> manifest = new ArrayList<>();
        int seed = 0;
        for (DType dtype : DType.values()) {
            for (List<Long> shape : SHAPES) {
                ArraySpec spec = new ArraySpec("a", dtype, shape);
                byte[] payload = TestContent.bytes(seed++, (int) spec.byteSize());
                Path file = dir.resolve(dtype.numpyName() + "-" + shape.size() + "-" + seed + ".npy");
                Path expected = Files.write(dir.resolve(file.getFileName() + ".bin"), payload);
                Npy.write(store, Location.ofLocalPath(file), spec, TestContent.of(payload), WriteOptions.DEFAULT);
                manifest.add(file + "\t\t" + dtype.descr() + "\t" + join(shape) + "\t" + expected);

                NpyArray back = Npy.read(store, Location.ofLocalPath(file));
                assertThat(back.dtype()).isEqualTo(dtype);
                assertThat(back.shape()).isEqualTo(shape);
                assertThat(back.data()).isEqualTo(ObjectBytes.wrap(payload));
                assertThat(back.data().buffer().isReadOnly()).isTrue();
                assertThat((Files.size(file) - spec.byteSize()) % 64).isZero();
            }
        }
        Path list = Files.write(dir.resolve("check.npylist"), manifest);
        assertThat(ReferencePython.check(CHECK, list.toString())).contains("checked " + manifest.size());
    }

    @Test
    void aHeaderTooLongForVersion1IsWrittenAsVersion2() throws Exception {
        List<Long> shape = new ArrayList<>();
        for (int i = 0; i < 30000; i++) {
            shape.add(1L);
        }
        ArraySpec spec = new ArraySpec("a", DType.UINT8, shape);
        assertThat(Npy.header(spec).get(6)).isEqualTo((byte) 2);
        Path file = dir.resolve("v2.npy");
        // NumPy loads at most 64 dimensions, so only this reader checks the round trip of such a header.
        Npy.write(store, Location.ofLocalPath(file), spec, TestContent.of(new byte[] {42}), WriteOptions.DEFAULT);
        NpyArray back = Npy.read(store, Location.ofLocalPath(file));
        assertThat(back.shape()).hasSize(30000);
        assertThat(back.data().byteAt(0)).isEqualTo((byte) 42);
    }

    @Test
    void numpyLoadsEveryNpzWithOneOrSeveralArraysAndZip64() throws Exception {
        List<String> manifest = new ArrayList<>();
        int seed = 100;
        for (boolean zip64 : new boolean[] {false, true}) {
            for (int arrays : new int[] {1, 3}) {
                Path file = dir.resolve("f-" + arrays + "-" + zip64 + ".npz");
                List<byte[]> payloads = new ArrayList<>();
                List<ArraySpec> specs = new ArrayList<>();
                try (NpzWriter writer = NpzWriter.open(store, Location.ofLocalPath(file), WriteOptions.DEFAULT, zip64)) {
                    for (int i = 0; i < arrays; i++) {
                        DType dtype = List.of(DType.values()).get((seed + i) % DType.values().length);
                        ArraySpec spec = new ArraySpec("arr_" + i, dtype, SHAPES.get((seed + i) % SHAPES.size()));
                        byte[] payload = TestContent.bytes(seed + i, (int) spec.byteSize());
                        writer.add(spec, TestContent.of(payload));
                        Path expected = Files.write(dir.resolve(file.getFileName() + "-" + i + ".bin"), payload);
                        manifest.add(file + "\t" + spec.name() + "\t" + dtype.descr() + "\t" + join(spec.shape()) + "\t" + expected);
                        payloads.add(payload);
                        specs.add(spec);
                    }
                    writer.finish();
                }
                seed += 7;

                Map<String, NpyArray> back = Npz.read(store, Location.ofLocalPath(file));
                assertThat(back.keySet()).containsExactlyElementsOf(specs.stream().map(ArraySpec::name).toList());
                List<NpzMember> members = Npz.members(store, Location.ofLocalPath(file));
                for (int i = 0; i < arrays; i++) {
                    NpyArray array = back.get(specs.get(i).name());
                    assertThat(array.dtype()).isEqualTo(specs.get(i).dtype());
                    assertThat(array.shape()).isEqualTo(specs.get(i).shape());
                    assertThat(array.data()).isEqualTo(ObjectBytes.wrap(payloads.get(i)));
                    assertThat(Npz.readArray(store, Location.ofLocalPath(file), specs.get(i).name()).data())
                            .isEqualTo(ObjectBytes.wrap(payloads.get(i)));
                    assertThat(members.get(i).size()).isEqualTo(Npy.fileSize(specs.get(i)));
                }
            }
        }
        Path list = Files.write(dir.resolve("check.npzlist"), manifest);
        assertThat(ReferencePython.check(CHECK, list.toString())).contains("checked " + manifest.size());
    }

    @Test
    void readsWhatNumpyWrites() throws Exception {
        Path npy = dir.resolve("np.npy");
        Path npz = dir.resolve("np.npz");
        ReferencePython.check("""
                import sys, numpy as np
                np.save(sys.argv[1], np.arange(12, dtype='<i4').reshape(3, 4))
                np.savez(sys.argv[2], a=np.arange(5, dtype='<f8'), b=np.zeros((2, 2), dtype='|u1'))
                """, npy.toString(), npz.toString());
        NpyArray array = Npy.read(store, Location.ofLocalPath(npy));
        assertThat(array.dtype()).isEqualTo(DType.INT32);
        assertThat(array.shape()).containsExactly(3L, 4L);
        assertThat(array.data().buffer().order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(11 * 4)).isEqualTo(11);
        Map<String, NpyArray> arrays = Npz.read(store, Location.ofLocalPath(npz));
        assertThat(arrays.keySet()).containsExactly("a", "b");
        assertThat(arrays.get("a").dtype()).isEqualTo(DType.FLOAT64);
        assertThat(arrays.get("b").shape()).containsExactly(2L, 2L);
        assertThat(Npz.readArray(store, Location.ofLocalPath(npz), "a").data().buffer()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble(4 * 8)).isEqualTo(4.0);
    }

    @Test
    void badInputIsAnErrorNamingTheUri() throws Exception {
        Path file = dir.resolve("not.npy");
        Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        Location location = Location.ofLocalPath(file);
        assertThatThrownBy(() -> Npy.read(store, location)).isInstanceOf(IOException.class)
                .hasMessageContaining(location.toString()).hasMessageContaining("not an NPY file");
        assertThatThrownBy(() -> Npz.read(store, location)).isInstanceOf(IOException.class)
                .hasMessageContaining(location.toString());
        assertThatThrownBy(() -> Npz.readArray(store, Location.ofLocalPath(writeNpz()), "missing"))
                .hasMessageContaining("no array 'missing'");
    }

    @Test
    void aWriterClosedWithoutFinishLeavesNothing() throws Exception {
        Path file = dir.resolve("partial.npz");
        try (NpzWriter writer = NpzWriter.open(store, Location.ofLocalPath(file), WriteOptions.DEFAULT)) {
            writer.add(ArraySpec.vector("x", DType.UINT8, 10), ContentSource.zeros());
        }
        assertThat(file).doesNotExist();
    }

    private Path writeNpz() throws IOException {
        Path file = dir.resolve("one.npz");
        NpzWriter.write(store, Location.ofLocalPath(file), List.of(ArraySpec.vector("x", DType.UINT8, 3)),
                TestContent.of(new byte[] {1, 2, 3}), WriteOptions.DEFAULT);
        return file;
    }

    static String join(List<Long> shape) {
        StringBuilder text = new StringBuilder();
        for (long dimension : shape) {
            text.append(text.isEmpty() ? "" : ",").append(dimension);
        }
        return text.toString();
    }
}
