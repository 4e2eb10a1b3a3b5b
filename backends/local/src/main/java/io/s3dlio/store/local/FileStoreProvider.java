package io.s3dlio.store.local;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreProvider;
import java.util.Set;

/** Provides {@code file://}; settings in {@link LocalStoreConfig}. */
public final class FileStoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("file");
    }

    @Override
    public ObjectStore create(ConfigSource config) {
        return new FileObjectStore(LocalStoreConfig.from(config));
    }
}
