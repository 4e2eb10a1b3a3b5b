package io.s3dlio.oplog;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreDecorator;
import java.io.IOException;
import java.util.Optional;

/**
 * The registry's op log: when {@code S3DLIO_OP_LOG} names a file in the registry's configuration, every store
 * {@link io.s3dlio.api.ObjectStores} creates records into one {@link OpLogWriter}, opened with the first store
 * and closed (complete, renamed) when the registry closes. Found through {@link java.util.ServiceLoader}; its
 * class name sorts after the range engine's, so it wraps it and logs what callers asked for.
 */
public final class OpLogStoreDecorator implements ObjectStoreDecorator, AutoCloseable {
    private OpLogWriter writer;
    private OpClock clock;
    private boolean closed;

    @Override
    public synchronized ObjectStore decorate(ObjectStore store, ConfigSource config) throws IOException {
        Optional<OpLogOptions> options = OpLogOptions.fromConfig(config);
        if (options.isEmpty()) {
            return store;
        }
        if (closed) {
            throw new IllegalStateException("op log " + options.get().path() + " is closed");
        }
        if (writer == null) {
            writer = OpLogWriter.open(options.get());
            clock = OpClock.system();
        }
        return new RecordingObjectStore(store, writer, clock);
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        if (writer != null) {
            writer.close();
        }
    }
}
