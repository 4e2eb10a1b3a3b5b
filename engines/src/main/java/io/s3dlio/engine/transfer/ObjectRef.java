package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import java.util.OptionalLong;

/**
 * An object to read, with its size when the caller knows it (a listing does), so the read needs no probe.
 */
public record ObjectRef(Location location, OptionalLong size) {
    public ObjectRef {
        requireNonNull(location, "location is null");
        requireNonNull(size, "size is null");
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException(location + ": negative size " + size.getAsLong());
        }
    }

    /** An object of unknown size. */
    public static ObjectRef of(Location location) {
        return new ObjectRef(location, OptionalLong.empty());
    }

    public static ObjectRef of(Location location, long size) {
        return new ObjectRef(location, OptionalLong.of(size));
    }
}
