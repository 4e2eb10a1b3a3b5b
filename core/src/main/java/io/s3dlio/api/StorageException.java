package io.s3dlio.api;

import java.io.IOException;
import java.util.Optional;

/**
 * Base of the project's storage errors. Every message names the location. Subclasses say what went wrong in
 * a way callers branch on (not found, access denied); {@link #isRetryable()} says whether trying again could
 * help. Backends translate their SDK's errors into these in one place each.
 */
public class StorageException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Location location;
    private final boolean retryable;

    public StorageException(Location location, String message, Throwable cause, Retry retry) {
        super(location == null ? message : location + ": " + message, cause);
        this.location = location;
        this.retryable = retry == Retry.RETRYABLE;
    }

    public StorageException(Location location, String message, Throwable cause) {
        this(location, message, cause, Retry.FINAL);
    }

    public StorageException(Location location, String message) {
        this(location, message, null, Retry.FINAL);
    }

    /** Whether the failure is transient (throttling, 5xx, connection reset) and a later try may succeed. */
    public enum Retry { RETRYABLE, FINAL }

    public Optional<Location> location() {
        return Optional.ofNullable(location);
    }

    /** True when the operation failed for a transient reason (after the backend's own retries ran out). */
    public boolean isRetryable() {
        return retryable;
    }
}
