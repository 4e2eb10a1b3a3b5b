package io.s3dlio.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.RegistryStore;
import io.s3dlio.testkit.server.AzuriteServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The stores the loader is tested on, each with a fresh place for data. */
final class LoaderEnvironments {
    private LoaderEnvironments() {}

    static StoreEnvironment memory() {
        MemoryObjectStore store = new MemoryObjectStore();
        Location bucket = Location.parse("mem://loader-test");
        store.createContainer(bucket);
        return new Simple(store, bucket, "mem://", () -> { });
    }

    /** file:// or direct:// through the registry (the providers on the class path), under target/. */
    static StoreEnvironment local(String scheme) {
        try {
            Path base = Path.of("target", "loader-test-data").toAbsolutePath();
            Files.createDirectories(base);
            Path root = Files.createTempDirectory(base, scheme + "-");
            ObjectStores stores = ObjectStores.create(ConfigSource.empty());
            Location rootLocation = Location.parse(scheme + "://" + root);
            ObjectStore store = stores.forLocation(rootLocation);
            return new Simple(store, rootLocation, scheme + ":// at " + root, () -> {
                stores.close();
                try (Stream<Path> paths = Files.walk(root)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up " + scheme + ":// under target/", e);
        }
    }

    /** s3:// from the registry (as users get it), on an S3Proxy this starts; fails loudly if it cannot. */
    static StoreEnvironment s3() {
        S3ProxyServer server = S3ProxyServer.start();
        return remote(server.storeSettings(), "s3://loader-" + runId(), "s3:// on " + server.description(), server::close);
    }

    /**
     * s3:// on an S3Proxy this starts, reached through the proxy {@code front} returns for the server's port (for
     * example a {@link io.s3dlio.testkit.proxy.LatencyProxy} that counts requests); both are closed with the
     * environment.
     */
    static StoreEnvironment s3Behind(java.util.function.IntFunction<io.s3dlio.testkit.proxy.LatencyProxy> front) {
        S3ProxyServer server = S3ProxyServer.start();
        io.s3dlio.testkit.proxy.LatencyProxy proxy;
        try {
            proxy = front.apply(server.port());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Map<String, String> settings = new java.util.HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        return remote(settings, "s3://loader-" + runId(), "s3:// on " + server.description() + " behind a proxy", () -> {
            proxy.close();
            server.close();
        });
    }

    /** az:// from the registry on an Azurite this starts; fails loudly if it cannot. */
    static StoreEnvironment azure() {
        AzuriteServer server = AzuriteServer.start();
        Map<String, String> settings = server.settings();
        return remote(settings, "az://" + AzuriteServer.ACCOUNT + "/loader-" + runId(),
                "az:// on " + server.description(), server::close);
    }

    private static String runId() {
        return UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    private static StoreEnvironment remote(Map<String, String> settings, String container, String description,
            Runnable stopServer) {
        RegistryStore remote = RegistryStore.open(settings, container, description, stopServer);
        return new Simple(remote.store(), remote.root(), description, remote::close);
    }

    interface Cleanup {
        void run() throws IOException;
    }

    private static final class Simple implements StoreEnvironment {
        private final ObjectStore store;
        private final Location root;
        private final String description;
        private final Cleanup cleanup;
        private final AtomicInteger counter = new AtomicInteger();

        Simple(ObjectStore store, Location root, String description, Cleanup cleanup) {
            this.store = store;
            this.root = root;
            this.description = description;
            this.cleanup = cleanup;
        }

        @Override
        public ObjectStore store() {
            return store;
        }

        @Override
        public Location newTestPrefix() {
            return root.resolve("test-" + counter.incrementAndGet() + "/");
        }

        @Override
        public Location newContainerLocation() {
            throw new UnsupportedOperationException("the loader tests create no containers");
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public void close() throws IOException {
            cleanup.run();
        }
    }
}
