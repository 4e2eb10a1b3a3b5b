package io.s3dlio.engine.transfer;

/**
 * Progress of one transfer. The lifecycle is fixed: {@link #started} once, first; then any number of
 * {@link #bytesTransferred}; {@link #itemDone} or {@link #itemFailed} exactly once for each item that was
 * started (items never started because of a cancellation get neither); {@link #completed} once, last, after
 * every other event has returned. Events other than {@code started} and {@code completed} come from the
 * engine's worker threads, several at once: implementations must be thread-safe and quick (they run on the
 * transfer's threads). An exception thrown by a listener is ignored, so it cannot break the transfer.
 */
public interface TransferListener {
    /** A listener that ignores every event. */
    TransferListener NONE = new TransferListener() {};

    default void started(TransferSnapshot snapshot) {}

    /** {@code bytes} more were moved by one item; {@code snapshot} includes them. */
    default void bytesTransferred(long bytes, TransferSnapshot snapshot) {}

    default void itemDone(ItemDone item, TransferSnapshot snapshot) {}

    default void itemFailed(ItemFailure failure, TransferSnapshot snapshot) {}

    default void completed(TransferResult result) {}
}
