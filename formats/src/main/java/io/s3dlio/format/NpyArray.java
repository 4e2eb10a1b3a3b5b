package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import java.util.List;

/**
 * An array read from an NPY file or NPZ member: its name (empty for a lone NPY file), element type, shape and
 * payload, a read-only view of the bytes the store filled (nothing copied).
 *
 * @param fortranOrder whether the header says the payload is in Fortran (column-major) order
 */
public record NpyArray(String name, DType dtype, List<Long> shape, boolean fortranOrder, ObjectBytes data) {
    public NpyArray {
        requireNonNull(name, "name is null");
        requireNonNull(dtype, "dtype is null");
        shape = List.copyOf(requireNonNull(shape, "shape is null"));
        requireNonNull(data, "data is null");
    }

    /** The spec this array matches (name, dtype, shape). */
    public ArraySpec spec() {
        return new ArraySpec(name.isEmpty() ? "array" : name, dtype, shape);
    }
}
