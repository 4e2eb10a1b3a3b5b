package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line of an op-log file, as read back: this project's, warp's, or the original s3dlio's.
 *
 * @param index the {@code idx} column (the line number where absent)
 * @param thread the {@code thread} column
 * @param op the {@code op} column as written ({@link #type()} maps it)
 * @param clientId empty where absent
 * @param objects the {@code n_objects} column (1 where absent)
 * @param bytes the {@code bytes} column
 * @param endpoint {@code s3://bucket}, {@code file://}, or a warp server URL
 * @param file the object: the URI without {@code scheme://} (this project, original s3dlio) or a key (warp)
 * @param error empty for a success
 * @param startNanos start, nanoseconds since the epoch
 * @param firstByteNanos first byte, where recorded
 * @param endNanos end, nanoseconds since the epoch (start + duration where the end column is absent)
 */
public record OpRecord(long index, long thread, String op, String clientId, long objects, long bytes, String endpoint,
        String file, Optional<String> error, long startNanos, OptionalLong firstByteNanos, long endNanos) {
    public OpRecord {
        requireNonNull(op, "op is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(file, "file is null");
        requireNonNull(error, "error is null");
        requireNonNull(firstByteNanos, "firstByteNanos is null");
    }

    public Optional<OpType> type() {
        return OpType.parse(op);
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    public boolean failed() {
        return error.isPresent();
    }

    /** Time to first byte, where recorded. */
    public OptionalLong timeToFirstByteNanos() {
        return firstByteNanos.isPresent() ? OptionalLong.of(firstByteNanos.getAsLong() - startNanos) : OptionalLong.empty();
    }

    /**
     * The object's full URI where the endpoint names one of this project's schemes ({@code s3://bucket} +
     * {@code bucket/key} gives {@code s3://bucket/key}); otherwise (warp's {@code http://host:9000}) the file
     * column alone, a key relative to the benchmark's bucket.
     */
    public String uri() {
        int colon = endpoint.indexOf("://");
        if (colon <= 0) {
            return file;
        }
        String scheme = endpoint.substring(0, colon);
        if (scheme.equals("http") || scheme.equals("https")) {
            return file;
        }
        return scheme + "://" + file;
    }
}
