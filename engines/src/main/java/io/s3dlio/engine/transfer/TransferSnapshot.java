package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * Where one transfer stands, as an immutable value: listeners receive a fresh one with every event.
 *
 * @param operation what runs, e.g. {@code get}, {@code upload}, {@code copy}, {@code delete}
 * @param objectsDone items finished successfully
 * @param objectsFailed items that failed
 * @param bytes bytes moved so far (also by items that later failed)
 * @param expectedObjects the item count when known up front
 * @param expectedBytes the total bytes when known up front
 * @param elapsed time since the transfer started, by the engine's clock
 */
public record TransferSnapshot(String operation, long objectsDone, long objectsFailed, long bytes,
        OptionalLong expectedObjects, OptionalLong expectedBytes, Duration elapsed) {
    public TransferSnapshot {
        requireNonNull(operation, "operation is null");
        requireNonNull(expectedObjects, "expectedObjects is null");
        requireNonNull(expectedBytes, "expectedBytes is null");
        requireNonNull(elapsed, "elapsed is null");
    }
}
