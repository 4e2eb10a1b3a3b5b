package io.s3dlio.api;

/**
 * The service refused the request: missing or wrong credentials, or a lack of permission. The message says
 * which and, for missing credentials, what to set.
 */
public class AccessDeniedException extends StorageException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public AccessDeniedException(Location location, Reason reason, String message, Throwable cause) {
        super(location, message, cause);
        this.reason = reason;
    }

    public enum Reason {
        /** No credentials could be found. */
        MISSING_CREDENTIALS,
        /** Credentials were rejected (bad key or signature). */
        INVALID_CREDENTIALS,
        /** Authenticated, but not allowed to do this. */
        PERMISSION
    }

    public Reason reason() {
        return reason;
    }
}
