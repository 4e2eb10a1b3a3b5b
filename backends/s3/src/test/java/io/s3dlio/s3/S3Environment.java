package io.s3dlio.s3;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.StoreEnvironment;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The s3:// store against one running server, with one bucket for this test class. */
final class S3Environment implements StoreEnvironment {
    private final S3ObjectStore store;
    private final ObjectStore contractStore;
    private final String description;
    private final AutoCloseable server;
    private final String runId = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    private final Location bucket;
    private final AtomicInteger counter = new AtomicInteger();

    S3Environment(Map<String, String> settings, String description, AutoCloseable server) throws IOException {
        this(settings, description, server, Set.of());
    }

    /** {@code serverLacks}: capabilities the store has but this server cannot honour. */
    S3Environment(Map<String, String> settings, String description, AutoCloseable server, Set<Capability> serverLacks)
            throws IOException {
        this.store = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
        this.contractStore = serverLacks.isEmpty() ? store : new CapabilityLimitedStore(store, serverLacks);
        this.description = "s3:// on " + description;
        this.server = server;
        this.bucket = Location.parse("s3://contract-" + runId);
        store.createContainer(bucket);
    }

    @Override
    public ObjectStore store() {
        return contractStore;
    }

    /** The real store, with the SDK client for server-side checks. */
    S3ObjectStore s3Store() {
        return store;
    }

    Location bucket() {
        return bucket;
    }

    @Override
    public Location newTestPrefix() {
        Location prefix = bucket.withKey("test-" + counter.incrementAndGet() + "/");
        // The store is checked empty under each new prefix, so no test sees another's objects.
        try (Stream<ListEntry> left = store.list(prefix, ListMode.RECURSIVE)) {
            if (left.findAny().isPresent()) {
                throw new IllegalStateException(prefix + " is not empty before the test");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return prefix;
    }

    @Override
    public Location newContainerLocation() {
        return Location.parse("s3://bucket-" + runId + "-" + counter.incrementAndGet());
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    @SuppressWarnings("Finally") // a server that does not stop matters more than a failed client close
    public void close() throws IOException {
        try {
            store.close();
        } finally {
            try {
                server.close();
            } catch (Exception e) {
                throw new IOException("stopping " + description + " failed", e);
            }
        }
    }
}
