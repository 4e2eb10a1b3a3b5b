package io.s3dlio.spi;

import io.s3dlio.api.Location;
import java.io.EOFException;
import java.util.OptionalLong;

/** Argument checks every store applies the same way, so their messages read the same. */
public final class StoreChecks {
    private StoreChecks() {}

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

    /** Refuses a location whose scheme this store does not serve. */
    public static Location requireScheme(Location location, java.util.Set<String> schemes) {
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
        if (wanted > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(location + ": range of " + wanted
                    + " bytes is larger than one buffer can hold; read it in smaller ranges");
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
