package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes HDF5 files of 1-D and 2-D datasets through jHDF, a pure-Java HDF5 writer (no native libhdf5).
 *
 * <p>Memory and disk: jHDF builds a file from whole Java arrays and needs a seekable local file, so each
 * dataset is held in memory while the file is built in a temporary local file, which is then streamed to the
 * store (any backend) in 1 MiB chunks and deleted. Memory is therefore bounded by the largest dataset, not by
 * the file; NPY, NPZ, TFRecord and RAW stream in bounded memory whatever the size.
 *
 * <p>Types: signed integers and float32/float64 are written as such; unsigned integers are written as the
 * signed type of the same width (the same bytes; HDF5 readers see signed values); float16 is refused.
 */
public final class Hdf5 {
    private Hdf5() {
    }

    /**
     * Writes one HDF5 file holding every dataset of {@code datasets} (1-D or 2-D, at most 2^31-1 elements each),
     * filled from {@code content} in turn. {@code tempDirectory} holds the file while it is built.
     */
    public static WriteResult write(ObjectStore store, Location location, List<ArraySpec> datasets, ContentSource content,
            WriteOptions options, Path tempDirectory) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(location, "location is null");
        requireNonNull(datasets, "datasets is null");
        requireNonNull(content, "content is null");
        requireNonNull(tempDirectory, "tempDirectory is null");
        for (ArraySpec spec : datasets) {
            check(spec, location);
        }
        Path temp = Files.createTempFile(tempDirectory, "s3dlio-", ".h5");
        try {
            try (WritableHdfFile file = HdfFile.write(temp)) {
                for (ArraySpec spec : datasets) {
                    file.putDataset(spec.name(), array(spec, content));
                }
            }
            long size = Files.size(temp);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.READ);
                 ObjectWriter writer = store.newWriter(location, options.withExpectedSizeIfAbsent(size))) {
                ByteBuffer chunk = Streams.newChunk(size);
                while (channel.read(chunk.clear()) > 0) {
                    writer.write(chunk.flip());
                }
                return writer.finish();
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void check(ArraySpec spec, Location location) {
        if (spec.shape().size() != 1 && spec.shape().size() != 2) {
            throw new IllegalArgumentException(location + ": HDF5 dataset " + spec.name() + " must be 1-D or 2-D, shape "
                    + spec.shape());
        }
        if (spec.dtype() == DType.FLOAT16) {
            throw new IllegalArgumentException(location + ": HDF5 dataset " + spec.name() + ": float16 is not supported");
        }
        if (spec.elementCount() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(location + ": HDF5 dataset " + spec.name() + " has " + spec.elementCount()
                    + " elements; at most 2^31 - 9 fit one Java array");
        }
        for (long dimension : spec.shape()) {
            if (dimension == 0) {
                throw new IllegalArgumentException(location + ": HDF5 dataset " + spec.name() + " has an empty dimension");
            }
        }
    }

    /** A Java array of the dataset's type and shape, filled row by row from {@code content}. */
    private static Object array(ArraySpec spec, ContentSource content) throws IOException {
        List<Long> shape = spec.shape();
        int rows = shape.size() == 1 ? 1 : Math.toIntExact(shape.get(0));
        int columns = Math.toIntExact(shape.get(shape.size() - 1));
        ByteBuffer row = ByteBuffer.allocate(Math.multiplyExact(columns, spec.dtype().itemSize())).order(ByteOrder.LITTLE_ENDIAN);
        Object[] out = new Object[rows];
        for (int r = 0; r < rows; r++) {
            content.fill(row.clear());
            row.flip();
            out[r] = switch (spec.dtype()) {
                case INT8, UINT8 -> {
                    byte[] values = new byte[columns];
                    row.get(values);
                    yield values;
                }
                case INT16, UINT16 -> {
                    short[] values = new short[columns];
                    row.asShortBuffer().get(values);
                    yield values;
                }
                case INT32, UINT32 -> {
                    int[] values = new int[columns];
                    row.asIntBuffer().get(values);
                    yield values;
                }
                case INT64, UINT64 -> {
                    long[] values = new long[columns];
                    row.asLongBuffer().get(values);
                    yield values;
                }
                case FLOAT32 -> {
                    float[] values = new float[columns];
                    row.asFloatBuffer().get(values);
                    yield values;
                }
                case FLOAT64 -> {
                    double[] values = new double[columns];
                    row.asDoubleBuffer().get(values);
                    yield values;
                }
                case FLOAT16 -> throw new IllegalArgumentException("float16");
            };
        }
        if (shape.size() == 1) {
            return out[0];
        }
        Object matrix = java.lang.reflect.Array.newInstance(out[0].getClass(), rows);
        for (int r = 0; r < rows; r++) {
            java.lang.reflect.Array.set(matrix, r, out[r]);
        }
        return matrix;
    }
}
