package io.s3dlio.format;

import io.s3dlio.text.EnumNames;
import java.util.Map;

/** The file formats a dataset can be written in. */
public enum FileFormat {
    RAW("dat"), NPY("npy"), NPZ("npz"), TFRECORD("tfrecord"), HDF5("h5");

    private final String extension;

    FileFormat(String extension) {
        this.extension = extension;
    }

    /** The usual file-name extension, without the dot. */
    public String extension() {
        return extension;
    }

    /** Parses a name case-insensitively ({@code npz}, {@code TFRECORD}, {@code hdf5}, {@code h5}). */
    public static FileFormat parse(String text) {
        return EnumNames.parse(FileFormat.class, "format", text, Map.of("h5", HDF5));
    }
}
