package io.s3dlio.checkpoint;

import io.s3dlio.api.DeleteResult;
import java.util.List;

/**
 * What a delete, a retention pass or a prune removed; failures are data, as with
 * {@link io.s3dlio.api.ObjectStore#deletePrefix}.
 *
 * @param steps the checkpoints (steps) removed completely
 * @param objectsDeleted objects deleted, shards, records and manifests together
 * @param failures objects that could not be deleted, each with its cause
 */
public record CheckpointDeleteResult(List<Long> steps, long objectsDeleted, List<DeleteResult.Failure> failures) {
    public CheckpointDeleteResult {
        steps = List.copyOf(steps);
        failures = List.copyOf(failures);
    }

    public boolean isComplete() {
        return failures.isEmpty();
    }
}
