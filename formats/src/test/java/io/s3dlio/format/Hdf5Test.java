package io.s3dlio.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.testkit.python.ReferencePython;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.local.FileStoreProvider;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** h5py opens every HDF5 file written here and reads each dataset's bytes back. */
class Hdf5Test {
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

    private static final String CHECK = """
            import sys, h5py, numpy as np
            n = 0
            for line in open(sys.argv[1]):
                path, name, size, shape, expected = line.rstrip('\\n').split('\\t')
                shape = tuple(int(s) for s in shape.split(','))
                with h5py.File(path, 'r') as f:
                    d = f[name]
                    assert d.shape == shape, (path, name, d.shape, shape)
                    assert d.dtype.itemsize == int(size), (path, name, d.dtype)
                    got = np.ascontiguousarray(d[()]).astype(d.dtype.newbyteorder('<')).tobytes()
                    assert got == open(expected, 'rb').read(), (path, name, 'bytes differ')
                n += 1
            print('checked', n)
            """;

    @Test
    void h5pyReadsEveryDatasetBack() throws Exception {
        List<String> manifest = new ArrayList<>();
        int seed = 7;
        List<DType> types = List.of(DType.INT8, DType.UINT8, DType.INT16, DType.INT32, DType.UINT32, DType.INT64,
                DType.FLOAT32, DType.FLOAT64);
        for (int file = 0; file < types.size(); file++) {
            DType dtype = types.get(file);
            List<ArraySpec> specs = List.of(new ArraySpec("vector", dtype, List.of(1000L)),
                    new ArraySpec("matrix", dtype, List.of(17L, 33L)));
            Path path = dir.resolve("f" + file + ".h5");
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (ArraySpec spec : specs) {
                byte[] payload = TestContent.bytes(seed++, (int) spec.byteSize());
                if (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) {
                    payload = finiteFloats(payload, dtype.itemSize());
                }
                all.writeBytes(payload);
                Path expected = Files.write(dir.resolve(path.getFileName() + "-" + spec.name() + ".bin"), payload);
                manifest.add(path + "\t" + spec.name() + "\t" + dtype.itemSize() + "\t"
                        + NpyNpzTest.join(spec.shape()) + "\t" + expected);
            }
            Hdf5.write(store, Location.ofLocalPath(path), specs, TestContent.of(all.toByteArray()), WriteOptions.DEFAULT, dir);
        }
        Path list = Files.write(dir.resolve("check.h5list"), manifest);
        assertThat(ReferencePython.check(CHECK, list.toString())).contains("checked " + manifest.size());
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("s3dlio-"))).isEmpty();
        }
    }

    @Test
    void unsupportedShapesAndTypesAreRefusedNamingTheLocation() {
        Location location = Location.ofLocalPath(dir.resolve("x.h5"));
        assertThatThrownBy(() -> Hdf5.write(store, location, List.of(new ArraySpec("c", DType.INT8, List.of(2L, 2L, 2L))),
                ContentSource.zeros(), WriteOptions.DEFAULT, dir)).hasMessageContaining(location.toString());
        assertThatThrownBy(() -> Hdf5.write(store, location, List.of(ArraySpec.vector("h", DType.FLOAT16, 4)),
                ContentSource.zeros(), WriteOptions.DEFAULT, dir)).hasMessageContaining("float16");
    }

    /** Random bits may spell NaN, whose payload bits h5py/NumPy need not preserve: clear the exponent's top bit. */
    private static byte[] finiteFloats(byte[] payload, int size) {
        for (int i = size - 1; i < payload.length; i += size) {
            payload[i] &= 0x3F;
        }
        return payload;
    }
}
