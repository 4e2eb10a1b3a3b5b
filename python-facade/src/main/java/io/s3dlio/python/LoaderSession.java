package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.loader.DataLoader;
import io.s3dlio.loader.LoaderEpoch;
import io.s3dlio.loader.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link DataLoader} driven from Python: one epoch at a time, one bridge call per batch ({@link #next()}).
 * Owns the loader, and the range engine when the options asked for range reads; {@link #close()} stops both.
 * With {@code S3DLIO_PYTHON_LOADER_POOL} (on by default) whole-object items are read into arrays the facade's
 * loaders reuse: each batch's arrays go back when Python has copied the batch ({@link Blob#copyInto}), or at the
 * latest when the next batch is asked for, the epoch changes or the session closes.
 */
public final class LoaderSession implements AutoCloseable {
    private final String uri;
    private final DataLoader loader;
    private final Optional<ObjectStores> ownStores;
    /** Whether the loader reuses item arrays: each batch then goes back to it once copied. */
    private final boolean recycles;
    /** The last batch handed out, whose arrays go back (if its copy did not give them back) before the next. */
    private Blob handedOut;
    private LoaderEpoch epoch;
    private boolean closed;

    LoaderSession(String uri, DataLoader loader, Optional<ObjectStores> ownStores, boolean recycles) {
        this.uri = requireNonNull(uri, "uri is null");
        this.recycles = recycles;
        this.loader = requireNonNull(loader, "loader is null");
        this.ownStores = requireNonNull(ownStores, "ownStores is null");
    }

    /** Items in the dataset (before sharding). */
    public int datasetSize() {
        return loader.dataset().size();
    }

    /** Items this rank receives in epoch {@code number} (after sharding and drop_last). */
    public int itemsInEpoch(int number) {
        return loader.plan(number).items().size();
    }

    /** Starts epoch {@code number}, closing the previous one; fetching begins at once. */
    public synchronized void startEpoch(int number) throws FacadeException {
        expireHandedOut();
        try {
            if (epoch != null) {
                epoch.close();
            }
            epoch = loader.epoch(number);
        } catch (RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /**
     * The next batch of the current epoch, or null at its end. Blocks (without the GIL) until it is complete. The
     * batch handed out before is no longer copyable from here on (its arrays are reused).
     */
    public Blob next() throws FacadeException {
        LoaderEpoch current;
        synchronized (this) {
            if (epoch == null) {
                throw new FacadeException(FacadeException.Kind.INVALID, uri, uri + ": no epoch started", null);
            }
            current = epoch;
        }
        expireHandedOut();
        try {
            if (!current.hasNext()) {
                return null;
            }
            List<Sample> batch = current.next();
            List<String> uris = new ArrayList<>(batch.size());
            List<ObjectBytes> parts = new ArrayList<>(batch.size());
            for (Sample sample : batch) {
                uris.add(sample.location().toString());
                parts.add(sample.bytes());
            }
            if (!recycles) {
                return new Blob(uris, parts);
            }
            // Once Python has its copy, the items' arrays go back to the loader.
            Blob blob = new Blob(uris, parts, () -> loader.recycle(batch));
            synchronized (this) {
                handedOut = blob;
            }
            return blob;
        } catch (RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Closes the loader, then the registry of its own range settings (reader_mode="range"). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        expireHandedOut();
        try {
            loader.close();
        } finally {
            ownStores.ifPresent(LoaderSession::closeStores);
        }
    }

    /** Gives back the arrays of the batch handed out last, unless its copy did (the copy, if under way, ends first). */
    private void expireHandedOut() {
        Blob last;
        synchronized (this) {
            last = handedOut;
            handedOut = null;
        }
        if (last != null) {
            last.expire();
        }
    }

    private static void closeStores(ObjectStores stores) {
        try {
            stores.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
