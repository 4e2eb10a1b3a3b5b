package io.s3dlio.testkit;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.util.Map;

/**
 * A store as users get it (from the registry, decorators included) on a server a test started, with its
 * container created: what the loader's and the checkpoint tests' environments share. Closing it closes the
 * registry, then stops the server; a set-up that fails does both and says what it could not prepare.
 *
 * @param stores the registry, closed by {@link #close()}
 * @param store the store serving {@code root}
 * @param root the container, created
 * @param stopServer stops the server, after the registry closed
 */
public record RegistryStore(ObjectStores stores, ObjectStore store, Location root, Runnable stopServer)
        implements AutoCloseable {

    /**
     * Opens the registry with {@code settings} and creates {@code container} on it.
     *
     * @param description what the server is, for the error message
     * @param stopServer stops the server; run on close, or at once when the set-up fails
     * @throws IllegalStateException naming the container and server when the set-up fails
     */
    public static RegistryStore open(Map<String, String> settings, String container, String description,
            Runnable stopServer) {
        requireNonNull(stopServer, "stopServer is null");
        ObjectStores stores = ObjectStores.create(ConfigSource.of(settings));
        try {
            Location root = Location.parse(container);
            ObjectStore store = stores.forLocation(root);
            store.createContainer(root);
            return new RegistryStore(stores, store, root, stopServer);
        } catch (IOException | RuntimeException e) {
            try {
                stores.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            stopServer.run();
            throw new IllegalStateException("cannot prepare " + container + " on " + description + ": " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            stores.close();
        } finally {
            stopServer.run();
        }
    }
}
