package io.s3dlio.api;

/**
 * A conditional write ({@link WriteCondition}) found the condition false: the object exists where
 * {@link WriteCondition.Kind#IF_ABSENT} required none, or its ETag differs from the one required (or it is
 * gone). Nothing was written. Final: retrying the same request fails the same way; read the object again.
 */
public class PreconditionFailedException extends StorageException {
    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(Location location, WriteCondition condition, Throwable cause) {
        super(location, "conditional write refused (" + condition + "): the stored object does not satisfy it", cause);
    }
}
