package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.file.Path;

/** Writes one dataset file of a {@link SampleFileSpec} in its format, from one content source. */
public final class SampleFiles {
    private SampleFiles() {
    }

    /**
     * Writes the file. Label arrays (NPZ {@code y}) are zeros; every other payload byte comes from
     * {@code content}. {@code tempDirectory} is used by HDF5 only (see {@link Hdf5}).
     */
    public static WriteResult write(ObjectStore store, Location location, SampleFileSpec spec, ContentSource content,
            WriteOptions options, Path tempDirectory) throws IOException {
        requireNonNull(spec, "spec is null");
        requireNonNull(content, "content is null");
        return switch (spec.format()) {
            case RAW -> Raw.write(store, location, spec.payloadBytes(), content, options);
            case NPY -> Npy.write(store, location, spec.arrays().get(0), content, options);
            case NPZ -> {
                try (NpzWriter writer = NpzWriter.open(store, location, options)) {
                    writer.add(spec.arrays().get(0), content);
                    writer.add(spec.arrays().get(1), ContentSource.zeros());
                    yield writer.finish();
                }
            }
            case TFRECORD -> {
                try (TfRecordWriter writer = TfRecordWriter.open(store, location,
                        options.withExpectedSizeIfAbsent(spec.samples() * (spec.sampleBytes() + TfRecords.OVERHEAD)))) {
                    for (long i = 0; i < spec.samples(); i++) {
                        writer.write(spec.sampleBytes(), content);
                    }
                    yield writer.finish();
                }
            }
            case HDF5 -> Hdf5.write(store, location, spec.arrays(), content, options, tempDirectory);
        };
    }
}
