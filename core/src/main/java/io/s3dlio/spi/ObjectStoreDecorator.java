package io.s3dlio.spi;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;

/**
 * Wraps every store that {@link io.s3dlio.api.ObjectStores} creates, for cross-cutting behaviour that must
 * apply to all backends (the range engine; later metrics, operation logs). Plug one in by listing the class in
 * {@code META-INF/services/io.s3dlio.spi.ObjectStoreDecorator}. Decorators are applied in the order of their
 * class names (the first wraps the provider's store directly), so the stack is the same on every run.
 */
public interface ObjectStoreDecorator {

    /**
     * Returns a store that implements the same contracts as {@code store}, or {@code store} itself when this
     * decorator has nothing to add under {@code config}. A returned wrapper owns {@code store}: closing the
     * wrapper closes it.
     */
    ObjectStore decorate(ObjectStore store, ConfigSource config) throws IOException;
}
