package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.util.Set;

/**
 * A provider given as its schemes and a factory, so a backend's provider class is one constructor:
 * {@code public FileStoreProvider() { super(Set.of("file"), config -> new FileObjectStore(...)); }}.
 */
public abstract class SchemeProvider implements ObjectStoreProvider {

    /** Creates a store from settings. */
    @FunctionalInterface
    public interface Factory {
        ObjectStore create(ConfigSource config) throws IOException;
    }

    private final Set<String> schemes;
    private final Factory factory;

    protected SchemeProvider(Set<String> schemes, Factory factory) {
        this.schemes = Set.copyOf(requireNonNull(schemes, "schemes is null"));
        this.factory = requireNonNull(factory, "factory is null");
    }

    @Override
    public final Set<String> schemes() {
        return schemes;
    }

    @Override
    public final ObjectStore create(ConfigSource config) throws IOException {
        return factory.create(requireNonNull(config, "config is null"));
    }
}
