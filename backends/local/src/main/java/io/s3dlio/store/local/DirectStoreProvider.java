package io.s3dlio.store.local;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreProvider;
import java.util.Set;

/**
 * Provides {@code direct://}: local files with O_DIRECT. It reads no settings: the alignment comes from each
 * file system's block size.
 */
public final class DirectStoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("direct");
    }

    @Override
    public ObjectStore create(ConfigSource config) {
        return new DirectObjectStore();
    }
}
