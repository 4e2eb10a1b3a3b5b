package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

/**
 * Where one member of an NPZ file lies: its array name (the member name without {@code .npy}) and the byte range
 * of the member's NPY bytes (header and payload) inside the file.
 */
public record NpzMember(String name, long offset, long size) {
    public NpzMember {
        requireNonNull(name, "name is null");
        if (offset < 0 || size < 0) {
            throw new IllegalArgumentException("member " + name + ": negative offset or size " + offset + ", " + size);
        }
    }
}
