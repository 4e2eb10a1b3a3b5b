package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;

/**
 * One loaded item: where it came from and its bytes (read-only views of the buffer the store filled; nothing
 * is copied by the loader).
 */
public record Sample(Location location, ObjectBytes bytes) {
    public Sample {
        requireNonNull(location, "location is null");
        requireNonNull(bytes, "bytes is null");
    }

    public int size() {
        return bytes.size();
    }
}
