package io.s3dlio.azure;

import io.s3dlio.api.Location;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.server.AzuriteServer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * az:// against an Azurite this environment starts (and stops). Settings go through the same mapper users
 * hit: a connection string plus the service-version pin the emulator needs, and 1,000-blob pages so the
 * contract's 2,500-blob listing pages in both modes.
 */
final class AzuriteEnvironment implements StoreEnvironment {
    private final AzuriteServer server;
    private final AzureObjectStore store;
    private final Location container;
    private final AtomicInteger counter = new AtomicInteger();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    AzuriteEnvironment() {
        this(Map.of());
    }

    AzuriteEnvironment(Map<String, String> extraSettings) {
        server = AzuriteServer.start();
        try {
            store = (AzureObjectStore) new AzureStoreProvider().create(ConfigSource.of(settings(extraSettings)));
            container = Location.parse("az://" + AzuriteServer.ACCOUNT + "/contract-" + run);
            store.createContainer(container);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("cannot prepare a container on " + server.description() + ": " + e, e);
        }
    }

    Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("AZURE_STORAGE_CONNECTION_STRING", server.connectionString());
        settings.put("S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
        settings.put("S3DLIO_AZURE_LIST_PAGE_SIZE", "1000");
        settings.putAll(extra);
        return settings;
    }

    AzuriteServer server() {
        return server;
    }

    @Override
    public AzureObjectStore store() {
        return store;
    }

    Location container() {
        return container;
    }

    @Override
    public Location newTestPrefix() {
        return container.withKey("test-" + counter.incrementAndGet() + "/");
    }

    @Override
    public Location newContainerLocation() {
        return Location.parse("az://" + AzuriteServer.ACCOUNT + "/new-" + run + "-" + counter.incrementAndGet());
    }

    @Override
    public String description() {
        return "az:// on " + server.description();
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            server.close();
        }
    }
}
