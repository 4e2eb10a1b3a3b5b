package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreDecorator;
import java.io.IOException;

/**
 * Wraps stores in a {@link RecordingObjectStore} reporting to one listener; closing it closes that listener when
 * it is {@link AutoCloseable} (an {@link OpLogWriter}). Use it with
 * {@link io.s3dlio.api.ObjectStores#decoratedWith}:
 *
 * <pre>{@code
 * try (ObjectStores stores = ObjectStores.create(config);
 *      ObjectStores logged = stores.decoratedWith(new RecordingDecorator(OpLogWriter.open(OpLogOptions.of(path))))) {
 *     logged.forLocation(location).get(location);   // one GET line in path
 * }
 * }</pre>
 */
public final class RecordingDecorator implements ObjectStoreDecorator, AutoCloseable {
    private final OperationListener listener;
    private final OpClock clock;

    public RecordingDecorator(OperationListener listener) {
        this(listener, OpClock.system());
    }

    public RecordingDecorator(OperationListener listener, OpClock clock) {
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public ObjectStore decorate(ObjectStore store, ConfigSource config) {
        return new RecordingObjectStore(store, listener, clock);
    }

    @Override
    public void close() throws IOException {
        if (listener instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }
}
