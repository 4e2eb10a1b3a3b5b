package io.s3dlio.api;

/** The object does not exist. */
public class ObjectNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(Location location) {
        this(location, null);
    }

    public ObjectNotFoundException(Location location, Throwable cause) {
        super(location, "object not found", cause);
    }
}
