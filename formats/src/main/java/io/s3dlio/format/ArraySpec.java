package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One named n-dimensional array: element type and shape (C order). Its payload is {@link #byteSize()} bytes.
 *
 * @param name the array's name (an NPZ member becomes {@code name.npy}; an HDF5 dataset path)
 * @param dtype the element type
 * @param shape dimensions, each non-negative; empty for a scalar
 */
public record ArraySpec(String name, DType dtype, List<Long> shape) {
    public ArraySpec {
        requireNonNull(name, "name is null");
        requireNonNull(dtype, "dtype is null");
        shape = List.copyOf(requireNonNull(shape, "shape is null"));
        if (name.isEmpty()) {
            throw new IllegalArgumentException("array name is empty");
        }
        long elements = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("array " + name + ": negative dimension in shape " + shape);
            }
            elements = Math.multiplyExact(elements, dimension);
        }
        Math.multiplyExact(elements, (long) dtype.itemSize());
    }

    /** A 1-D array of {@code length} elements. */
    public static ArraySpec vector(String name, DType dtype, long length) {
        return new ArraySpec(name, dtype, List.of(length));
    }

    /** The most nearly square 1-D array holding {@code bytes} bytes: {@code bytes / itemSize} elements, which must divide. */
    public static ArraySpec ofBytes(String name, DType dtype, long bytes) {
        if (bytes % dtype.itemSize() != 0) {
            throw new IllegalArgumentException(bytes + " bytes is not a whole number of " + dtype.numpyName()
                    + " elements (" + dtype.itemSize() + " bytes each)");
        }
        return vector(name, dtype, bytes / dtype.itemSize());
    }

    /** Number of elements (1 for a scalar). */
    public long elementCount() {
        long elements = 1;
        for (long dimension : shape) {
            elements *= dimension;
        }
        return elements;
    }

    /** Payload bytes. */
    public long byteSize() {
        return elementCount() * dtype.itemSize();
    }
}
