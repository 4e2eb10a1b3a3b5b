package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A running transfer: its completion and a way to stop it. The future completes normally with the
 * {@link TransferResult} (per-item failures inside it) once every item has ended and
 * {@link TransferListener#completed} has returned; it never completes exceptionally for item failures.
 */
public final class TransferHandle {
    private final CompletableFuture<TransferResult> completion;
    private final Runnable canceller;

    TransferHandle(CompletableFuture<TransferResult> completion, Runnable canceller) {
        this.completion = requireNonNull(completion, "completion is null").copy();
        this.canceller = requireNonNull(canceller, "canceller is null");
    }

    /** Completes with the result when the transfer has ended (a copy: completing it changes nothing). */
    public CompletableFuture<TransferResult> completion() {
        return completion.copy();
    }

    /**
     * Stops the transfer: no further item starts, and items in flight are interrupted; each of them ends as
     * an {@link ItemFailure} whose cause is a {@link java.util.concurrent.CancellationException}, and a file
     * being downloaded is removed (nothing partial stays under a final name). Returns at once; wait on
     * {@link #completion()} or {@link #await()} for the end. Idempotent; no effect once the transfer ended.
     */
    public void cancel() {
        canceller.run();
    }

    /**
     * Waits for the end and returns the result. If the waiting thread is interrupted, the transfer is
     * cancelled and the interrupt is passed on as {@link InterruptedException} (the transfer still winds
     * down on its own threads).
     */
    public TransferResult await() throws InterruptedException {
        try {
            return completion.get();
        } catch (InterruptedException e) {
            cancel();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("the transfer engine failed: " + e.getCause(), e.getCause());
        }
    }
}
