package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One item of a {@link Dataset}: where it is and, when a listing said so, how large it is (kept so that the
 * loader never needs a HEAD/stat request). An item with a {@link ItemRange} is that part of the object (a
 * record), read with one range request; its size is the range's length.
 */
public record DatasetEntry(io.s3dlio.api.Location location, OptionalLong size, Optional<ItemRange> range) {
    public DatasetEntry {
        requireNonNull(location, "location is null");
        requireNonNull(size, "size is null");
        requireNonNull(range, "range is null");
        if (!location.isObject()) {
            throw new IllegalArgumentException("a dataset entry must name an object, not a prefix: " + location);
        }
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException("size of " + location + " is negative: " + size.getAsLong());
        }
        if (range.isPresent() && size.orElse(-1) != range.get().length()) {
            throw new IllegalArgumentException("a ranged entry's size is its range's length: " + location + " " + range.get());
        }
    }

    /** A whole object. */
    public DatasetEntry(io.s3dlio.api.Location location, OptionalLong size) {
        this(location, size, Optional.empty());
    }

    /** The item {@code range} of the object at {@code location}. */
    public static DatasetEntry ofRange(io.s3dlio.api.Location location, ItemRange range) {
        return new DatasetEntry(location, OptionalLong.of(range.length()), Optional.of(range));
    }
}
