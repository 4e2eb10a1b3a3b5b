package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * How an operation log is written.
 *
 * @param path the {@code .csv.zst} file (written under {@code path + ".partial"} and renamed when closed)
 * @param queueCapacity operations that may wait for the writer thread
 * @param whenFull what a recording thread does when that many are waiting
 * @param clientId the {@code client_id} column (which process or agent wrote the line); may be empty
 */
public record OpLogOptions(Path path, int queueCapacity, WhenFull whenFull, String clientId) {
    /** Environment variable naming the op-log file; unset means no op log. */
    public static final String VARIABLE = "S3DLIO_OP_LOG";
    public static final String QUEUE_VARIABLE = "S3DLIO_OP_LOG_QUEUE";
    public static final String WHEN_FULL_VARIABLE = "S3DLIO_OP_LOG_WHEN_FULL";
    public static final String CLIENT_ID_VARIABLE = "S3DLIO_OP_LOG_CLIENT_ID";
    public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

    /** The choice when the writer falls behind; either way it is counted and reported. */
    public enum WhenFull {
        /** The recording thread waits for space (a complete log; the wait is counted and reported). */
        BLOCK,
        /** The line is dropped (I/O never waits; the drop is counted, reported and noted in the file). */
        DROP
    }

    public OpLogOptions {
        requireNonNull(path, "path is null");
        requireNonNull(whenFull, "whenFull is null");
        requireNonNull(clientId, "clientId is null");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
        }
    }

    /** Defaults for {@code path}: 65,536 queued, BLOCK, no client id. */
    public static OpLogOptions of(Path path) {
        return new OpLogOptions(path, DEFAULT_QUEUE_CAPACITY, WhenFull.BLOCK, "");
    }

    public OpLogOptions withClientId(String id) {
        return new OpLogOptions(path, queueCapacity, whenFull, id);
    }

    public OpLogOptions withQueue(int capacity, WhenFull policy) {
        return new OpLogOptions(path, capacity, policy, clientId);
    }

    /**
     * The options {@code config} asks for: {@code S3DLIO_OP_LOG} (the file; empty when unset),
     * {@code S3DLIO_OP_LOG_QUEUE}, {@code S3DLIO_OP_LOG_WHEN_FULL} ({@code block} or {@code drop}),
     * {@code S3DLIO_OP_LOG_CLIENT_ID}.
     */
    public static Optional<OpLogOptions> fromConfig(ConfigSource config) {
        Optional<String> file = config.get(VARIABLE);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(fromConfig(config, Path.of(file.get())));
    }

    /** The options {@code config} asks for, writing to {@code path} (a command-line flag's file). */
    public static OpLogOptions fromConfig(ConfigSource config, Path path) {
        int capacity = config.intValue(QUEUE_VARIABLE).orElse(DEFAULT_QUEUE_CAPACITY);
        if (capacity < 1) {
            throw new IllegalArgumentException(QUEUE_VARIABLE + "='" + capacity + "' is not valid: expected at least 1");
        }
        WhenFull policy = config.get(WHEN_FULL_VARIABLE).map(text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "block" -> WhenFull.BLOCK;
            case "drop" -> WhenFull.DROP;
            default -> throw new IllegalArgumentException(WHEN_FULL_VARIABLE + "='" + text
                    + "' is not valid: expected block or drop");
        }).orElse(WhenFull.BLOCK);
        return new OpLogOptions(path, capacity, policy, config.get(CLIENT_ID_VARIABLE).orElse(""));
    }
}
