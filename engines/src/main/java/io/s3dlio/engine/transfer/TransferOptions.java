package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * Per-operation settings.
 *
 * @param jobs items in flight at once (1 to 4096)
 * @param expectedObjects the item count, when the caller knows it, for progress listeners (an ETA)
 * @param expectedBytes the total bytes, when known, for progress listeners
 */
public record TransferOptions(int jobs, OptionalLong expectedObjects, OptionalLong expectedBytes) {
    public static final int MAX_JOBS = 4096;

    public TransferOptions {
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("jobs must be between 1 and " + MAX_JOBS + ": " + jobs);
        }
        requireNonNull(expectedObjects, "expectedObjects is null");
        requireNonNull(expectedBytes, "expectedBytes is null");
    }

    /** {@code jobs} in flight, totals unknown. */
    public static TransferOptions jobs(int jobs) {
        return new TransferOptions(jobs, OptionalLong.empty(), OptionalLong.empty());
    }

    /** The same, with the totals known up front. */
    public TransferOptions withExpected(long objects, long bytes) {
        return new TransferOptions(jobs, OptionalLong.of(objects), OptionalLong.of(bytes));
    }
}
