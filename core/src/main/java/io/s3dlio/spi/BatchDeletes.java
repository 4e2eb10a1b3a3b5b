package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every store's {@code deletePrefix} after its listing started: cuts the listed keys into batches of at most
 * {@code batchSize}, sends each batch, and turns per-key failures into {@link DeleteResult} data.
 *
 * <ul>
 *   <li>A batch that fails as a whole (the batch request itself was refused) makes each of its keys a failure
 *       with that cause; later batches still run.</li>
 *   <li>A listing that breaks part-way ({@link UncheckedIOException} from the iterator) sends what was
 *       collected, then adds one failure naming the prefix and the cause, and returns: once started,
 *       deletePrefix never throws.</li>
 * </ul>
 */
public final class BatchDeletes {
    private BatchDeletes() {}

    /** The outcome of deleting one key: empty when deleted (or already absent), else the cause. */
    public record Outcome(Location location, Optional<String> failure) {
        public Outcome {
            requireNonNull(location, "location is null");
            requireNonNull(failure, "failure is null");
        }

        public static Outcome deleted(Location location) {
            return new Outcome(location, Optional.empty());
        }

        public static Outcome failed(Location location, String cause) {
            return new Outcome(location, Optional.of(cause));
        }
    }

    /** Sends one batch; returns one outcome per key, in order, or throws when the batch as a whole failed. */
    @FunctionalInterface
    public interface Sender {
        List<Outcome> send(List<Location> batch) throws IOException;
    }

    /** Deletes every key {@code keys} yields, {@code batchSize} at a time. */
    public static DeleteResult deleteAll(Location prefix, Iterator<Location> keys, int batchSize, Sender sender) {
        requireNonNull(prefix, "prefix is null");
        requireNonNull(keys, "keys is null");
        requireNonNull(sender, "sender is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
        long deleted = 0;
        List<DeleteResult.Failure> failures = new ArrayList<>();
        List<Location> batch = new ArrayList<>(Math.min(batchSize, 1024));
        boolean more = true;
        while (more) {
            try {
                more = keys.hasNext();
                if (more) {
                    batch.add(keys.next());
                }
            } catch (UncheckedIOException e) {
                more = false;
                // The listing broke after it started: what was listed is still deleted, and the break is data.
                deleted += send(batch, sender, failures);
                batch.clear();
                failures.add(new DeleteResult.Failure(prefix, "listing stopped after " + deleted + " deletes: "
                        + e.getCause().getMessage()));
            }
            if (batch.size() == batchSize || (!more && !batch.isEmpty())) {
                deleted += send(batch, sender, failures);
                batch.clear();
            }
        }
        return new DeleteResult(deleted, failures);
    }

    /**
     * Every store's {@code deleteAll} with bulk delete: {@code locations} (checked, without repeats: see
     * {@link StoreChecks#requireObjects}) grouped by container, in their first order, and each group sent
     * {@code batchSize} at a time, so every batch the sender gets lies in one container. A batch refused as a
     * whole makes each of its keys a failure; later batches still run.
     */
    public static DeleteResult deleteAll(List<Location> locations, int batchSize, Sender sender) {
        requireNonNull(locations, "locations is null");
        requireNonNull(sender, "sender is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1: " + batchSize);
        }
        Map<Location, List<Location>> byContainer = new LinkedHashMap<>();
        for (Location location : locations) {
            byContainer.computeIfAbsent(location.containerRoot(), root -> new ArrayList<>()).add(location);
        }
        long deleted = 0;
        List<DeleteResult.Failure> failures = new ArrayList<>();
        for (List<Location> group : byContainer.values()) {
            for (int from = 0; from < group.size(); from += batchSize) {
                deleted += send(group.subList(from, Math.min(group.size(), from + batchSize)), sender, failures);
            }
        }
        return new DeleteResult(deleted, failures);
    }

    private static long send(List<Location> keys, Sender sender, List<DeleteResult.Failure> failures) {
        if (keys.isEmpty()) {
            return 0;
        }
        List<Location> batch = List.copyOf(keys);
        List<Outcome> outcomes;
        try {
            outcomes = sender.send(batch);
        } catch (IOException | RuntimeException e) {
            String cause = "batch delete of " + batch.size() + " objects failed: " + e.getMessage();
            for (Location location : batch) {
                failures.add(new DeleteResult.Failure(location, cause));
            }
            return 0;
        }
        if (outcomes.size() != batch.size()) {
            throw new IllegalStateException("batch of " + batch.size() + " deletes produced " + outcomes.size()
                    + " outcomes");
        }
        long deleted = 0;
        for (Outcome outcome : outcomes) {
            if (outcome.failure().isPresent()) {
                failures.add(new DeleteResult.Failure(outcome.location(), outcome.failure().get()));
            } else {
                deleted++;
            }
        }
        return deleted;
    }
}
