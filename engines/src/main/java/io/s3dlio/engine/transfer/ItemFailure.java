package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

/**
 * One item that failed, as data: the transfer carries on with the others.
 *
 * @param item what failed, as the user named it (a URI, a local path, or the prefix whose listing broke)
 * @param cause why; a {@link java.util.concurrent.CancellationException} for items stopped by
 *        {@link TransferHandle#cancel()}
 */
public record ItemFailure(String item, Throwable cause) {
    public ItemFailure {
        requireNonNull(item, "item is null");
        requireNonNull(cause, "cause is null");
    }
}
