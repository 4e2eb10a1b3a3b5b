package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * One object of a {@link Dataset}: where it is and, when a listing said so, how large it is (kept so that the
 * loader never needs a HEAD/stat request).
 */
public record DatasetEntry(io.s3dlio.api.Location location, OptionalLong size) {
    public DatasetEntry {
        requireNonNull(location, "location is null");
        requireNonNull(size, "size is null");
        if (!location.isObject()) {
            throw new IllegalArgumentException("a dataset entry must name an object, not a prefix: " + location);
        }
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("size of " + location + " is negative: " + size.getAsLong());
        }
    }
}
