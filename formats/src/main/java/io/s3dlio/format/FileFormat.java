package io.s3dlio.format;

import java.util.Locale;

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
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.equals("H5")) {
            return HDF5;
        }
        try {
            return valueOf(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown format '" + text + "'; expected RAW, NPY, NPZ, TFRECORD or HDF5", e);
        }
    }
}
