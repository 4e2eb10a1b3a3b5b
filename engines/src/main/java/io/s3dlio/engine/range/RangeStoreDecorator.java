package io.s3dlio.engine.range;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreDecorator;
import java.util.TreeSet;

/**
 * Puts a {@link RangedObjectStore} around every store {@link io.s3dlio.api.ObjectStores} creates, when the
 * {@link RangeConfig} mapped for that store's schemes is enabled; otherwise leaves the store untouched, so a
 * disabled engine costs nothing.
 */
public final class RangeStoreDecorator implements ObjectStoreDecorator {
    /**
     * Whether downloads stream each chunk through a small reused buffer where the store can (default true);
     * false reads each chunk whole into a chunk-sized buffer first, as before (docs/CONFIGURATION.md).
     */
    static final String STREAM = "S3DLIO_RANGE_STREAM";

    @Override
    public ObjectStore decorate(ObjectStore store, ConfigSource config) {
        RangeConfig range = RangeConfig.fromConfig(config, store.schemes());
        if (!range.enabled()) {
            return store;
        }
        return new RangedObjectStore(store, new RangeEngine(range, String.join("+", new TreeSet<>(store.schemes())),
                config.booleanValue(STREAM).orElse(true) ? RangeEngine.PIECE : 0));
    }
}
