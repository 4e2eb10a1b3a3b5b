package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * How a transfer ended. Per-item failures are listed here, not thrown.
 *
 * @param operation what ran
 * @param objects items finished successfully
 * @param bytes bytes moved by the items that finished
 * @param elapsed from start to end, by the engine's clock
 * @param failures every failed item, in the order they failed
 * @param cancelled whether {@link TransferHandle#cancel()} stopped it before every item ran
 */
public record TransferResult(String operation, long objects, long bytes, Duration elapsed, List<ItemFailure> failures,
        boolean cancelled) {
    public TransferResult {
        requireNonNull(operation, "operation is null");
        requireNonNull(elapsed, "elapsed is null");
        failures = List.copyOf(requireNonNull(failures, "failures is null"));
    }

    /** Every item finished and nothing was cancelled. */
    public boolean isComplete() {
        return failures.isEmpty() && !cancelled;
    }
}
