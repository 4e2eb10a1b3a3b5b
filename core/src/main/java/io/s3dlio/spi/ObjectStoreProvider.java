package io.s3dlio.spi;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.util.Set;

/**
 * How a backend plugs in: list the class in {@code META-INF/services/io.s3dlio.spi.ObjectStoreProvider}.
 * A provider's public face is its schemes and the typed config it maps from a {@link ConfigSource}; the
 * store it creates may be package-private.
 */
public interface ObjectStoreProvider {

    /** Canonical schemes served, e.g. {@code s3}. A scheme must be served by exactly one provider. */
    Set<String> schemes();

    /** Creates a store, reading its settings from {@code config}. The caller owns and closes it. */
    ObjectStore create(ConfigSource config) throws IOException;
}
