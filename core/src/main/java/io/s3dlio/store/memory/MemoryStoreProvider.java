package io.s3dlio.store.memory;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreProvider;
import java.util.Set;

/** Provides {@code mem://}: one fresh, empty {@link MemoryObjectStore} per registry. */
public final class MemoryStoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("mem");
    }

    @Override
    public ObjectStore create(ConfigSource config) {
        return new MemoryObjectStore();
    }
}
