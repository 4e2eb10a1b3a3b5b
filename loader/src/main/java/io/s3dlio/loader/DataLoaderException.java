package io.s3dlio.loader;

import io.s3dlio.api.Location;
import java.util.Optional;

/** An item could not be loaded (under {@link ErrorPolicy#FAIL_FAST}) or the epoch was closed while waiting. */
public final class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;

    DataLoaderException(Location location, String message, Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    /** The item that failed, when one did. */
    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }
}
