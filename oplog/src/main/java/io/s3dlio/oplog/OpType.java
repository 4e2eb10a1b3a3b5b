package io.s3dlio.oplog;

import java.util.Locale;
import java.util.Optional;

/**
 * The operations a {@link RecordingObjectStore} records, with the names written in the log's {@code op} column.
 * GET, PUT, STAT, LIST and DELETE are warp's names; the others follow the original s3dlio's.
 */
public enum OpType {
    /** A whole-object read ({@code get}, or a read that covered the whole object). */
    GET,
    /** A read of part of an object ({@code getRange}, positional {@code read}). */
    GET_RANGE,
    /** A whole-object write ({@code put}, or a streaming writer's {@code finish}). */
    PUT,
    /** {@code stat} and {@code exists}. */
    STAT,
    LIST,
    DELETE,
    DELETE_PREFIX,
    COPY,
    RENAME,
    CREATE_CONTAINER,
    DELETE_CONTAINER,
    LIST_CONTAINERS;

    /** The type a log's {@code op} text names (case-insensitive; {@code HEAD} is {@link #STAT}), if any. */
    public static Optional<OpType> parse(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT);
        if (name.equals("HEAD")) {
            return Optional.of(STAT);
        }
        for (OpType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
