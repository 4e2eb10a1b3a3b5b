package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.util.stream.Stream;

/**
 * A store that can tell whether a container exists more cheaply than by listing it (S3: one HEAD bucket on the
 * lean request path, where a listing builds the SDK client, a tenth of a small-file {@code upload -r}'s CPU).
 * Internal: for the CLI's fail-fast check before bulk writes.
 */
public interface ContainerProbe {
    /**
     * Returns when {@code container} exists and is reachable with these credentials.
     *
     * @throws io.s3dlio.api.ContainerNotFoundException naming the container when it does not exist
     */
    void requireContainer(Location container) throws IOException;

    /**
     * Fails with {@link io.s3dlio.api.ContainerNotFoundException} when {@code container} is missing: through the
     * first {@link ContainerProbe} found in {@code store} or the stores it forwards to, else by starting a
     * listing of its root (which fails on a missing container on every store).
     */
    static void require(ObjectStore store, Location container) throws IOException {
        requireNonNull(container, "container is null");
        for (ObjectStore at = requireNonNull(store, "store is null"); ; ) {
            if (at instanceof ContainerProbe probe) {
                probe.requireContainer(container.containerRoot());
                return;
            }
            if (!(at instanceof ForwardingObjectStore forwarding)) {
                break;
            }
            at = forwarding.delegate();
        }
        try (Stream<ListEntry> listing = store.list(container.containerRoot(), ListMode.ONE_LEVEL)) {
            var unused = listing.findFirst(); // the listing itself is the check
        }
    }
}
