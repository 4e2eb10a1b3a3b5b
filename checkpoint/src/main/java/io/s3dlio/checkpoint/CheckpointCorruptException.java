package io.s3dlio.checkpoint;

import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;

/** A shard or manifest differs from what the manifest recorded (size, CRC32C) or cannot be parsed. */
public class CheckpointCorruptException extends StorageException {
    private static final long serialVersionUID = 1L;

    public CheckpointCorruptException(Location location, String message) {
        super(location, message);
    }

    public CheckpointCorruptException(Location location, String message, Throwable cause) {
        super(location, message, cause);
    }
}
