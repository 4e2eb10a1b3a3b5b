package io.s3dlio.loader;

/** How one item's bytes are fetched. */
public enum ReadMode {
    /** One {@link io.s3dlio.api.ObjectStore#get} per item: the bytes arrive in one read-only buffer. */
    WHOLE_OBJECT
}
