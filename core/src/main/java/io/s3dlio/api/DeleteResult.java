package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Outcome of a bulk delete: partial failure is data, not an exception.
 *
 * @param deleted number of objects deleted
 * @param failures each object that could not be deleted, with its cause
 */
public record DeleteResult(long deleted, List<Failure> failures) {
    public DeleteResult {
        failures = List.copyOf(requireNonNull(failures, "failures is null"));
    }

    public boolean isComplete() {
        return failures.isEmpty();
    }

    /** One object that was not deleted. */
    public record Failure(Location location, String cause) {
        public Failure {
            requireNonNull(location, "location is null");
            requireNonNull(cause, "cause is null");
        }
    }
}
