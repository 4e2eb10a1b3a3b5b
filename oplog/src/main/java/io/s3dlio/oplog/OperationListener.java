package io.s3dlio.oplog;

/**
 * Receives every operation a {@link RecordingObjectStore} finishes, on the thread that made the call, so it must
 * be quick and thread-safe (hand work to another thread, as {@link OpLogWriter} does).
 */
@FunctionalInterface
public interface OperationListener {
    void onOperation(Operation operation);

    /** A listener that passes each operation to all of {@code listeners}, in order. */
    static OperationListener all(OperationListener... listeners) {
        OperationListener[] copy = listeners.clone();
        return operation -> {
            for (OperationListener listener : copy) {
                listener.onOperation(operation);
            }
        };
    }
}
