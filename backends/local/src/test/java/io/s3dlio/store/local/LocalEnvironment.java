package io.s3dlio.store.local;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.testkit.StoreEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A file:// or direct:// store with its data in a fresh directory under this module's {@code target/}
 * (a disk file system, unlike /dev/shm), removed again on close.
 */
final class LocalEnvironment implements StoreEnvironment {
    private final LocalObjectStore store;
    private final Path root;
    private final String description;
    private final AtomicInteger counter = new AtomicInteger();

    private LocalEnvironment(LocalObjectStore store, String name) {
        this.store = store;
        try {
            Path base = Path.of("target", "local-store-data").toAbsolutePath();
            Files.createDirectories(base);
            this.root = Files.createTempDirectory(base, name + "-");
            String type = Files.getFileStore(root).type();
            this.description = scheme() + ":// on " + type + " at " + root;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test data directory under target/", e);
        }
        System.err.println("[" + name + "] testing " + description);
    }

    static LocalEnvironment file(String name) {
        return new LocalEnvironment(new FileObjectStore(), name);
    }

    static LocalEnvironment direct(String name) {
        return new LocalEnvironment(new DirectObjectStore(), name);
    }

    /** file:// with the read buffers its default does not use. */
    static LocalEnvironment fileWithDirectBuffers(String name) {
        return new LocalEnvironment(new FileObjectStore(new LocalStoreConfig(LocalStoreConfig.ReadBuffers.DIRECT)), name);
    }

    private String scheme() {
        return store.schemes().iterator().next();
    }

    Path root() {
        return root;
    }

    /** A location of this store's scheme for a path. */
    Location at(Path path) {
        return new Location(scheme(), "", "", LocalPaths.keyOf(path.toAbsolutePath()));
    }

    @Override
    public LocalObjectStore store() {
        return store;
    }

    @Override
    public Location newTestPrefix() {
        return at(root.resolve("test-" + counter.incrementAndGet())).asPrefix();
    }

    @Override
    public Location newContainerLocation() {
        return at(root.resolve("container-" + counter.incrementAndGet()));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() throws IOException {
        store.close();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
