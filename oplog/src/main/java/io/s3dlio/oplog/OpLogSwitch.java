package io.s3dlio.oplog;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An op log that can be started and finished while its stores stay in use: the original s3dlio's
 * {@code init_op_log(path)} / {@code finalize_op_log()} / {@code is_op_log_active()} (its Python API), for an
 * embedding (the Python facade) that creates its registry once. Decorate the registry with it
 * ({@link io.s3dlio.api.ObjectStores#decoratedWith}); operations go to the writer started by {@link #start} until
 * {@link #finish}, and nowhere otherwise. Thread-safe. Closing it finishes the log.
 */
public final class OpLogSwitch implements OperationListener, io.s3dlio.spi.ObjectStoreDecorator, AutoCloseable {
    private final OpClock clock;
    private volatile OpLogWriter writer;

    public OpLogSwitch() {
        this(OpClock.system());
    }

    public OpLogSwitch(OpClock clock) {
        this.clock = java.util.Objects.requireNonNull(clock, "clock is null");
    }

    @Override
    public ObjectStore decorate(ObjectStore store, ConfigSource config) {
        return new RecordingObjectStore(store, this, clock);
    }

    @Override
    public void onOperation(Operation operation) {
        OpLogWriter current = writer;
        if (current != null) {
            current.onOperation(operation);
        }
    }

    /**
     * Starts logging to {@code options.path()}. Starting again with the same file while it is active does nothing
     * (as in the original); another file while one is active is refused.
     *
     * @throws IllegalStateException when another log is active
     * @throws IOException when the file cannot be created
     */
    public synchronized void start(OpLogOptions options) throws IOException {
        OpLogWriter current = writer;
        if (current != null) {
            if (current.path().equals(options.path().toAbsolutePath())) {
                return;
            }
            throw new IllegalStateException("an op log is active already (" + current.path()
                    + "): finalize it before starting " + options.path());
        }
        writer = OpLogWriter.open(options);
    }

    /** The active log's file, if any. */
    public Optional<Path> active() {
        OpLogWriter current = writer;
        return current == null ? Optional.empty() : Optional.of(current.path());
    }

    /**
     * Stops logging, writes what is queued and renames the file to its final name; the writer's counts, or empty
     * when no log was active (finishing twice is harmless).
     */
    public synchronized Optional<OpLogWriter.Stats> finish() throws IOException {
        OpLogWriter current = writer;
        if (current == null) {
            return Optional.empty();
        }
        // Operations finishing from here on are not logged (counted by the writer as after close).
        writer = null;
        current.close();
        return Optional.of(current.stats());
    }

    @Override
    public void close() throws IOException {
        finish();
    }
}
