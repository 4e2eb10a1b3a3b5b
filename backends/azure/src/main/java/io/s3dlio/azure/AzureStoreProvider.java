package io.s3dlio.azure;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreProvider;
import java.util.Set;

/** Provides {@code az://account/container/key} (and Azure blob https URLs, which parse to az). */
public final class AzureStoreProvider implements ObjectStoreProvider {
    @Override
    public Set<String> schemes() {
        return Set.of("az");
    }

    @Override
    public ObjectStore create(ConfigSource config) {
        return create(AzureConfig.from(config));
    }

    /** A store with explicit settings (embedding, tests). The caller owns and closes it. */
    public ObjectStore create(AzureConfig config) {
        return new AzureObjectStore(config);
    }
}
