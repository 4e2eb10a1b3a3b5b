package io.s3dlio.engine.range;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.local.DirectStoreProvider;
import io.s3dlio.store.local.FileStoreProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/**
 * The range engine contract on file:// and direct:// (O_DIRECT: chunk offsets are aligned, but the
 * unaligned-range and vectored cases reach the store at odd offsets). Data lives under target/ on a disk
 * file system, since tmpfs refuses O_DIRECT.
 */
class LocalRangeEngineTest {
    static final Path ROOT;
    static final ObjectStore FILE;
    static final ObjectStore DIRECT;
    static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        try {
            Path base = Path.of("target", "range-local-data").toAbsolutePath();
            Files.createDirectories(base);
            ROOT = Files.createTempDirectory(base, "engine-");
            FILE = new FileStoreProvider().create(ConfigSource.empty());
            DIRECT = new DirectStoreProvider().create(ConfigSource.empty());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up file:// and direct:// stores under target/", e);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        FILE.close();
        DIRECT.close();
        try (Stream<Path> paths = Files.walk(ROOT)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    static Path newPath(String name) {
        return ROOT.resolve("t" + COUNTER.incrementAndGet()).resolve(name);
    }

    @Nested
    class File extends RangeEngineContract {
        @Override protected ObjectStore backend() { return FILE; }
        @Override protected Location newLocation(String name) { return Location.ofLocalPath(newPath(name)); }
    }

    @Nested
    class Direct extends RangeEngineContract {
        @Override protected ObjectStore backend() { return DIRECT; }
        @Override protected Location newLocation(String name) { return Location.parse("direct://" + newPath(name)); }
    }
}
