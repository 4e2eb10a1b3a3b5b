package io.s3dlio.spi;

import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;
import java.io.EOFException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Argument checks every store applies the same way, so their messages read the same. */
public final class StoreChecks {
    private StoreChecks() {}

    /**
     * The most bytes one heap buffer (one Java array) can hold: the JVM refuses arrays within a few elements
     * of {@code Integer.MAX_VALUE}. Whole-object reads and single ranges larger than this are refused.
     */
    public static final int MAX_BUFFER = Integer.MAX_VALUE - 8;

    /**
     * Refuses {@code bytes} that do not fit one buffer ({@link #MAX_BUFFER}), with the message every store
     * uses.
     *
     * @throws StorageException naming the location and the size
     */
    public static void requireOneBuffer(Location location, long bytes) throws StorageException {
        if (bytes > MAX_BUFFER) {
            throw new StorageException(location, tooLargeForOneBuffer(bytes));
        }
    }

    /** The one message for "larger than one buffer". */
    public static String tooLargeForOneBuffer(long bytes) {
        return bytes + " bytes do not fit one buffer (at most " + MAX_BUFFER
                + " bytes, about 2 GiB); read it in ranges (getRange, or read into your own buffers)";
    }

    /** Refuses a location that names a prefix rather than an object. */
    public static Location requireObject(Location location) {
        if (location == null) {
            throw new NullPointerException("location is null");
        }
        if (!location.isObject()) {
            throw new IllegalArgumentException(location + " names a prefix (empty key or trailing '/'), not an object");
        }
        return location;
    }

    /**
     * The argument check of {@link io.s3dlio.api.ObjectStore#deleteAll}: every location is an object of one of
     * {@code schemes}. Returns them without repeats, in their first order.
     *
     * @throws IllegalArgumentException naming the first location that is a prefix or of another scheme
     */
    public static List<Location> requireObjects(Collection<Location> locations, Set<String> schemes) {
        if (locations == null) {
            throw new NullPointerException("locations is null");
        }
        Set<Location> distinct = new LinkedHashSet<>();
        for (Location location : locations) {
            if (location == null) {
                throw new NullPointerException("locations holds a null location");
            }
            distinct.add(requireScheme(requireObject(location), schemes));
        }
        return List.copyOf(distinct);
    }

    /** Refuses a location whose scheme this store does not serve. */
    public static Location requireScheme(Location location, Set<String> schemes) {
        if (!schemes.contains(location.scheme())) {
            throw new IllegalArgumentException(location + " is not served by this store (schemes " + schemes + ")");
        }
        return location;
    }

    /** Validates a range request's arguments. */
    public static void checkRange(Location location, long offset, OptionalLong length) {
        if (offset < 0) {
            throw new IllegalArgumentException(location + ": negative offset " + offset);
        }
        if (length.isPresent() && length.getAsLong() < 0) {
            throw new IllegalArgumentException(location + ": negative length " + length.getAsLong());
        }
    }

    /**
     * Resolves a range against the object size: returns the number of bytes to read, cut at the end.
     *
     * @throws EOFException when {@code offset > size}
     */
    public static long rangeLength(Location location, long offset, OptionalLong length, long size) throws EOFException {
        if (offset > size) {
            throw new EOFException(location + ": range offset " + offset + " is past the end of the object (" + size + " bytes)");
        }
        long available = size - offset;
        long wanted = length.isPresent() ? Math.min(length.getAsLong(), available) : available;
        if (wanted > MAX_BUFFER) {
            throw new IllegalArgumentException(location + ": " + tooLargeForOneBuffer(wanted));
        }
        return wanted;
    }

    /**
     * Refuses a write condition a store cannot honour, so a missing {@link io.s3dlio.api.Capability#CONDITIONAL_WRITE}
     * never turns into a silently unconditional write.
     */
    public static void requireConditionSupported(Location location, io.s3dlio.api.WriteOptions options,
            java.util.Set<io.s3dlio.api.Capability> capabilities) {
        if (!options.condition().isNone() && !capabilities.contains(io.s3dlio.api.Capability.CONDITIONAL_WRITE)) {
            throw new IllegalArgumentException(location + ": this store has no conditional writes and cannot honour '"
                    + options.condition() + "'");
        }
    }
}
