package io.s3dlio.checkpoint;

import java.util.List;

/**
 * What {@link CheckpointStore#validate} found, shard by shard.
 *
 * @param manifest the checkpoint checked
 * @param problems one line per shard that differs from the manifest, naming it; empty when all match
 */
public record ValidationResult(Manifest manifest, List<String> problems) {
    public ValidationResult {
        problems = List.copyOf(problems);
    }

    public boolean isValid() {
        return problems.isEmpty() && manifest.isComplete();
    }
}
