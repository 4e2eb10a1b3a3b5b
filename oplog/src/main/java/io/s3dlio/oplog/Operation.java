package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One finished store call, as a {@link RecordingObjectStore} saw it. Cheap to build on the I/O thread: text
 * (the URI, the log line) is made later, by whoever consumes it.
 *
 * @param type what it was
 * @param location the object or prefix it addressed (a location never holds credentials)
 * @param bytes bytes read or written (for STAT the object's size; 0 where nothing moved)
 * @param objects objects it covered (1, or the count a listing or prefix delete produced)
 * @param startNanos when the call began, nanoseconds since the epoch on the recorder's clock
 * @param firstByteNanos when the first byte arrived, where the call could tell
 * @param endNanos when the call returned (for a listing: when its stream was closed)
 * @param threadId the calling thread's {@link Thread#threadId()}
 * @param error what went wrong, if it failed
 */
public record Operation(OpType type, Location location, long bytes, int objects, long startNanos,
        OptionalLong firstByteNanos, long endNanos, long threadId, Optional<String> error) {
    public Operation {
        requireNonNull(type, "type is null");
        requireNonNull(location, "location is null");
        requireNonNull(firstByteNanos, "firstByteNanos is null");
        requireNonNull(error, "error is null");
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    public boolean failed() {
        return error.isPresent();
    }
}
