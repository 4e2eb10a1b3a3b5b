package io.s3dlio.examples;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How every example starts: its one argument, a URI ({@code s3://bucket/prefix/}) or a local directory (then
 * {@code file://}), and the store for it.
 */
final class Example {
    private Example() {}

    /** What an example does with the store for its prefix. */
    @FunctionalInterface
    interface Body {
        void run(ObjectStores stores, ObjectStore store, Location prefix) throws IOException;
    }

    /**
     * Runs {@code body} on the prefix {@code args} names. One registry per application: it opens each store once,
     * from the environment's S3DLIO_* and cloud variables, and closes them all when {@code body} returns.
     */
    static void run(String[] args, Body body) throws IOException {
        Location prefix = prefix(args);
        try (ObjectStores stores = ObjectStores.create(ConfigSource.fromEnvironment())) {
            body.run(stores, stores.forLocation(prefix), prefix);
        }
    }

    static Location prefix(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: <prefix URI or local directory>");
        }
        String argument = args[0];
        if (argument.contains("://")) {
            return Location.parse(argument).asPrefix();
        }
        return Location.ofLocalPath(Path.of(argument).toAbsolutePath()).asPrefix();
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("example check failed: " + what);
        }
    }
}
