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
 */
public final class LoaderSession implements AutoCloseable {
    private final String uri;
    private final DataLoader loader;
    private final Optional<ObjectStores> ownStores;
    private final Optional<StagedReads> staged;
    private final SlotPool slots;
    private LoaderEpoch epoch;
    private boolean closed;

    /**
     * {@code staged}: the store the loader reads through when its items are staged in slots for Python;
     * {@code slots}: the facade's pool, to which {@link #next(int[])} returns released slots.
     */
    LoaderSession(String uri, DataLoader loader, Optional<ObjectStores> ownStores, Optional<StagedReads> staged,
            SlotPool slots) {
        this.uri = requireNonNull(uri, "uri is null");
        this.loader = requireNonNull(loader, "loader is null");
        this.ownStores = requireNonNull(ownStores, "ownStores is null");
        this.staged = requireNonNull(staged, "staged is null");
        this.slots = requireNonNull(slots, "slots is null");
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
        try {
            if (epoch != null) {
                epoch.close();
                staged.ifPresent(StagedReads::releaseUndelivered);
            }
            epoch = loader.epoch(number);
        } catch (RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** The next batch of the current epoch, or null at its end. Blocks (without the GIL) until it is complete. */
    public Blob next() throws FacadeException {
        return next(new int[0]);
    }

    /**
     * Hands back the slots of {@code released} (items whose last Python view is gone), then returns the next batch
     * as {@link #next()}: one bridge call per batch.
     */
    public Blob next(int[] released) throws FacadeException {
        requireNonNull(released, "released is null");
        if (released.length > 0) {
            slots.release(released); // any loader's slots: Python's views may outlive the loader they came from
        }
        LoaderEpoch current;
        synchronized (this) {
            if (epoch == null) {
                throw new FacadeException(FacadeException.Kind.INVALID, uri, uri + ": no epoch started", null);
            }
            current = epoch;
        }
        try {
            if (!current.hasNext()) {
                return null;
            }
            List<Sample> batch = current.next();
            List<String> uris = new ArrayList<>(batch.size());
            List<ObjectBytes> parts = new ArrayList<>(batch.size());
            int[] staging = staged.isPresent() ? new int[batch.size()] : null;
            for (Sample sample : batch) {
                if (staging != null) {
                    staging[parts.size()] = staged.get().claim(sample.bytes());
                }
                uris.add(sample.location().toString());
                parts.add(sample.bytes());
            }
            return new Blob(uris, parts, staging);
        } catch (RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Slots this loader holds (staged and not yet released); 0 when nothing is staged. */
    public int slotsInUse() {
        return staged.map(StagedReads::inUse).orElse(0);
    }

    /** Closes the loader, then the registry of its own range settings (reader_mode="range"). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            loader.close(); // waits for the fetching threads: nothing is staged after this
            staged.ifPresent(StagedReads::releaseUndelivered); // or the process's pool would lose those slots
        } finally {
            ownStores.ifPresent(LoaderSession::closeStores);
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
