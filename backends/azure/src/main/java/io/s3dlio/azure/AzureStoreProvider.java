package io.s3dlio.azure;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.SchemeProvider;
import java.util.Set;

/** Provides {@code az://account/container/key} (and Azure blob https URLs, which parse to az). */
public final class AzureStoreProvider extends SchemeProvider {
    public AzureStoreProvider() {
        super(Set.of("az"), config -> new AzureObjectStore(AzureConfig.from(config)));
    }

    /** A store with explicit settings (embedding, tests). The caller owns and closes it. */
    public ObjectStore create(AzureConfig config) {
        return new AzureObjectStore(config);
    }
}
