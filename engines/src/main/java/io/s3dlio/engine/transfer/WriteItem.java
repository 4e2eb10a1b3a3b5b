package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;

/**
 * One object that a caller's own code writes (a file format that frames its payload, say), scheduled, counted
 * and reported by the engine like a {@link PutItem}.
 *
 * @param expectedBytes what the producer is expected to write, for progress (the count reported is what it returns)
 */
public record WriteItem(Location target, long expectedBytes, Producer producer) {
    public WriteItem {
        requireNonNull(target, "target is null");
        requireNonNull(producer, "producer is null");
        if (expectedBytes < 0) {
            throw new IllegalArgumentException(target + ": negative expected size " + expectedBytes);
        }
    }

    /** Writes the whole object at {@code target} on {@code store} and returns the bytes it counts as written. */
    @FunctionalInterface
    public interface Producer {
        long write(ObjectStore store, Location target) throws IOException;
    }
}
