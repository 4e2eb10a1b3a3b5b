package io.s3dlio.gcs;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.Location;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * deletePrefix's batching: cuts a stream of keys into batches of at most {@code batchSize} (GCS takes at
 * most 100 calls per batch request), sends each batch, and turns per-key failures into {@link DeleteResult}
 * data. A batch that fails as a whole (the batch request itself was refused) makes each of its keys a
 * failure with that cause; later batches still run.
 */
final class BatchDeletes {
    private BatchDeletes() {}

    /** The outcome of deleting one key: empty when deleted (or already absent), else the cause. */
    record Outcome(Location location, Optional<String> failure) {
        Outcome {
            requireNonNull(location, "location is null");
            requireNonNull(failure, "failure is null");
        }

        static Outcome deleted(Location location) {
            return new Outcome(location, Optional.empty());
        }

        static Outcome failed(Location location, String cause) {
            return new Outcome(location, Optional.of(cause));
        }
    }

    /** Sends one batch; returns one outcome per key, or throws when the batch as a whole failed. */
    interface Sender {
        List<Outcome> send(List<Location> batch) throws IOException;
    }

    static DeleteResult deleteAll(Iterator<Location> keys, int batchSize, Sender sender) {
        if (batchSize < 1 || batchSize > GcsConfig.MAX_DELETE_BATCH) {
            throw new IllegalArgumentException("batchSize must be 1.." + GcsConfig.MAX_DELETE_BATCH + ": " + batchSize);
        }
        long deleted = 0;
        List<DeleteResult.Failure> failures = new ArrayList<>();
        List<Location> batch = new ArrayList<>(batchSize);
        while (keys.hasNext()) {
            batch.add(keys.next());
            if (batch.size() == batchSize || !keys.hasNext()) {
                deleted += send(List.copyOf(batch), sender, failures);
                batch.clear();
            }
        }
        return new DeleteResult(deleted, failures);
    }

    private static long send(List<Location> batch, Sender sender, List<DeleteResult.Failure> failures) {
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
