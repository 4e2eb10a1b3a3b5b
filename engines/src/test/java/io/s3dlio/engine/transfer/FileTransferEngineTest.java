package io.s3dlio.engine.transfer;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.local.FileStoreProvider;
import io.s3dlio.testkit.StoreEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/** The transfer engine on file://, with data under target/. */
class FileTransferEngineTest extends TransferEngineContract {
    static final FileEnvironment ENVIRONMENT = new FileEnvironment();

    @AfterAll
    static void closeEnvironment() throws IOException {
        ENVIRONMENT.close();
    }

    @Override
    protected StoreEnvironment environment() {
        return ENVIRONMENT;
    }

    static final class FileEnvironment implements StoreEnvironment {
        private final ObjectStore store;
        private final Path root;
        private final AtomicInteger counter = new AtomicInteger();

        FileEnvironment() {
            try {
                Path base = Path.of("target", "transfer-file-data").toAbsolutePath();
                Files.createDirectories(base);
                root = Files.createTempDirectory(base, "engine-");
                store = new FileStoreProvider().create(ConfigSource.empty());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot set up a file:// store under target/", e);
            }
        }

        @Override
        public ObjectStore store() {
            return store;
        }

        @Override
        public Location newTestPrefix() {
            return Location.ofLocalPath(root.resolve("t" + counter.incrementAndGet())).asPrefix();
        }

        @Override
        public Location newContainerLocation() {
            return Location.ofLocalPath(root.resolve("new-" + counter.incrementAndGet()));
        }

        @Override
        public String description() {
            return "file:// at " + root;
        }

        @Override
        public void close() throws IOException {
            store.close();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
