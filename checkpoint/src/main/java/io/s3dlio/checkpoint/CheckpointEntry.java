package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import java.util.Optional;

/**
 * One checkpoint found by {@link CheckpointStore#list}: its manifest, or why it could not be read.
 *
 * @param step the step its manifest's name carries
 * @param location the manifest
 * @param manifest the parsed manifest, when readable
 * @param problem why the manifest could not be read, when it could not
 */
public record CheckpointEntry(long step, Location location, Optional<Manifest> manifest, Optional<String> problem) {
    public CheckpointEntry {
        requireNonNull(location, "location is null");
        requireNonNull(manifest, "manifest is null");
        requireNonNull(problem, "problem is null");
        if (manifest.isPresent() == problem.isPresent()) {
            throw new IllegalArgumentException("an entry has either a manifest or a problem");
        }
    }

    public boolean isComplete() {
        return manifest.map(Manifest::isComplete).orElse(false);
    }

    /** complete, incomplete or unreadable. */
    public String status() {
        return manifest.map(m -> m.status().id()).orElse("unreadable");
    }
}
