package io.s3dlio.testkit;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;

/**
 * One backend under test: a store plus a place to put test data. Environments start their server (if any)
 * once, when created, and fail loudly if it cannot start; they never skip. Each test asks for a fresh prefix,
 * so tests do not see each other's objects.
 */
public interface StoreEnvironment extends AutoCloseable {

    /** The store under test. */
    ObjectStore store();

    /** A new, empty prefix (ending with '/') inside a container that exists. */
    Location newTestPrefix();

    /** A container location (empty key) whose container does not exist yet. */
    Location newContainerLocation();

    /** Says what is being tested, e.g. "file:// on ext4 at /tmp/x" or "s3:// on S3Proxy 4.1.0 at 127.0.0.1:41234". */
    String description();

    @Override
    void close() throws java.io.IOException;
}
