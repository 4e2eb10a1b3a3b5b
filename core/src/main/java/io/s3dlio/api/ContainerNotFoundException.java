package io.s3dlio.api;

/** The bucket or container does not exist. */
public class ContainerNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    public ContainerNotFoundException(Location location, Throwable cause) {
        super(location, "bucket/container '" + location.container() + "' not found", cause);
    }
}
