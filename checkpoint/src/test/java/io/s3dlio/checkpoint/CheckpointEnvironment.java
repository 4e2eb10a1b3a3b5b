package io.s3dlio.checkpoint;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.RegistryStore;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.AzuriteServer;
import io.s3dlio.testkit.server.S3MockServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * One store the checkpoint tests run on: the store (from the registry, as users get it, except memory), a
 * container that exists, the settings a child process needs to reach the same store, and cleanup. Servers are
 * started here and fail loudly when they cannot start.
 */
final class CheckpointEnvironment implements AutoCloseable {
    interface Cleanup {
        void run() throws IOException;
    }

    private final ObjectStore store;
    private final Location root;
    private final Map<String, String> settings;
    private final String description;
    private final Cleanup cleanup;
    private final AtomicInteger counter = new AtomicInteger();
    private LatencyProxy proxy;

    private CheckpointEnvironment(ObjectStore store, Location root, Map<String, String> settings, String description,
            Cleanup cleanup) {
        this.store = store;
        this.root = root;
        this.settings = settings;
        this.description = description;
        this.cleanup = cleanup;
    }

    static CheckpointEnvironment memory() {
        MemoryObjectStore store = new MemoryObjectStore();
        Location bucket = Location.parse("mem://checkpoint-test");
        store.createContainer(bucket);
        return new CheckpointEnvironment(store, bucket, Map.of(), "mem://", () -> { });
    }

    static CheckpointEnvironment file() {
        try {
            Path base = Path.of("target", "checkpoint-test-data").toAbsolutePath();
            Files.createDirectories(base);
            Path root = Files.createTempDirectory(base, "file-");
            ObjectStores stores = ObjectStores.create(ConfigSource.empty());
            Location rootLocation = Location.ofLocalPath(root).asPrefix();
            return new CheckpointEnvironment(stores.forLocation(rootLocation), rootLocation, Map.of(),
                    "file:// at " + root, () -> {
                        stores.close();
                        try (Stream<Path> paths = Files.walk(root)) {
                            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                                Files.deleteIfExists(path);
                            }
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up file:// under target/", e);
        }
    }

    static CheckpointEnvironment s3Proxy() {
        S3ProxyServer server = S3ProxyServer.start();
        return remote(server.storeSettings(), "s3://ckpt-" + runId(), "s3:// on " + server.description(), server::close);
    }

    /** S3Proxy reached through a pass-through {@link LatencyProxy}, which counts the requests by method. */
    static CheckpointEnvironment s3ProxyCounted() {
        S3ProxyServer server = S3ProxyServer.start();
        LatencyProxy proxy;
        try {
            proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.passThrough());
        } catch (IOException | RuntimeException e) {
            server.close();
            throw new IllegalStateException("cannot start a counting proxy to " + server.description() + ": " + e, e);
        }
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        CheckpointEnvironment environment = remote(settings, "s3://ckpt-" + runId(), "s3:// on " + server.description()
                + " through " + proxy, () -> {
                    proxy.close();
                    server.close();
                });
        environment.proxy = proxy;
        return environment;
    }

    /** The counting proxy of {@link #s3ProxyCounted()}. */
    LatencyProxy proxy() {
        if (proxy == null) {
            throw new IllegalStateException(description + " counts no requests");
        }
        return proxy;
    }

    static CheckpointEnvironment s3Mock() {
        S3MockServer server = S3MockServer.start();
        return remote(server.storeSettings(), "s3://ckpt-" + runId(), "s3:// on " + server.description(), server::close);
    }

    static CheckpointEnvironment radosGw() {
        io.s3dlio.testkit.server.RadosGwServer server = io.s3dlio.testkit.server.RadosGwServer.start();
        return remote(server.storeSettings(), "s3://ckpt-" + runId(), "s3:// on " + server.description(), server::close);
    }

    static CheckpointEnvironment azurite() {
        AzuriteServer server = AzuriteServer.start();
        Map<String, String> settings = server.settings();
        return remote(settings, "az://" + AzuriteServer.ACCOUNT + "/ckpt-" + runId(), "az:// on " + server.description(),
                server::close);
    }

    private static String runId() {
        return UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    }

    private static CheckpointEnvironment remote(Map<String, String> settings, String container, String description,
            Runnable stopServer) {
        RegistryStore remote = RegistryStore.open(settings, container, description, stopServer);
        return new CheckpointEnvironment(remote.store(), remote.root(), settings, description, remote::close);
    }

    ObjectStore store() {
        return store;
    }

    /** Settings a child process passes to {@link ConfigSource#of} to reach this store. */
    Map<String, String> settings() {
        return settings;
    }

    /** A new, empty base prefix. */
    Location newBase() {
        return root.resolve("run-" + counter.incrementAndGet() + "/");
    }

    String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        cleanup.run();
    }
}
