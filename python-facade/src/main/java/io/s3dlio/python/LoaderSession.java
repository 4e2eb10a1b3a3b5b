package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.loader.DataLoader;
import io.s3dlio.loader.ItemBuffers;
import io.s3dlio.loader.LoaderEpoch;
import io.s3dlio.loader.Sample;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link DataLoader} driven from Python: one epoch at a time, one bridge call per batch ({@link #next()}).
 * Owns the loader, and the range engine when the options asked for range reads; {@link #close()} stops both.
 * With {@code S3DLIO_PYTHON_LOADER_POOL} (on by default) whole-object items are read into arrays the facade's
 * loaders reuse: each batch's arrays go back when Python has copied the batch ({@link Blob#copyInto}), or at the
 * latest when the next batch is asked for, the epoch changes or the session closes. With
 * {@code S3DLIO_PYTHON_LOADER_DIRECT} (large items) they are read into direct buffers instead, which
 * {@link #nextDirect} hands to Python as they are, each buffer given back when Python's last view of it is gone.
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
    /** The loader's direct buffers (S3DLIO_PYTHON_LOADER_DIRECT), or null. */
    private final ItemBuffers buffers;
    /** The buffers Python holds views of, by the id it gives back (guarded by this); none of them lent twice. */
    private final Map<Integer, ByteBuffer> viewed = new HashMap<>();
    private int nextId;

    LoaderSession(String uri, DataLoader loader, Optional<ObjectStores> ownStores, boolean recycles) {
        this(uri, loader, ownStores, recycles, null);
    }

    LoaderSession(String uri, DataLoader loader, Optional<ObjectStores> ownStores, boolean recycles,
            ItemBuffers buffers) {
        this.uri = requireNonNull(uri, "uri is null");
        this.recycles = recycles;
        this.buffers = buffers;
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
        LoaderEpoch current = currentEpoch();
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

    private synchronized LoaderEpoch currentEpoch() throws FacadeException {
        if (epoch == null) {
            throw new FacadeException(FacadeException.Kind.INVALID, uri, uri + ": no epoch started", null);
        }
        return epoch;
    }

    /** Whether items come in direct buffers that {@link #nextDirect} hands over without a copy. */
    public boolean direct() {
        return buffers != null;
    }

    /**
     * The next batch of the current epoch without a copy, or null at its end; blocks (without the GIL) until it is
     * complete. First gives back the buffers of {@code returned}, ids of earlier items whose last Python view is
     * gone (unknown or repeated ids are ignored, so no buffer is lent twice). Items not in a buffer of the loader's
     * (smaller than half of one, ranged) come in a direct copy of their own, id -1.
     */
    public DirectBatch nextDirect(int[] returned) throws FacadeException {
        giveBack(returned);
        LoaderEpoch current = currentEpoch();
        expireHandedOut();
        try {
            if (!current.hasNext()) {
                return null;
            }
            List<Sample> batch = current.next();
            int n = batch.size();
            String[] uris = new String[n];
            long[] sizes = new long[n];
            ByteBuffer[] views = new ByteBuffer[n];
            int[] ids = new int[n];
            for (int i = 0; i < n; i++) {
                Sample sample = batch.get(i);
                ObjectBytes bytes = sample.bytes();
                int size = bytes.size();
                uris[i] = sample.location().toString();
                sizes[i] = size;
                ids[i] = -1;
                ByteBuffer lent = loader.takeBuffer(batch, i);
                if (lent != null) {
                    // The item's bytes are the buffer's first ones; the view Python gets is exactly them.
                    views[i] = lent.slice(0, size);
                    synchronized (this) {
                        ids[i] = nextId++ & Integer.MAX_VALUE;
                        viewed.put(ids[i], lent);
                    }
                } else if (size > 0) {
                    views[i] = ByteBuffer.allocateDirect(size).put(bytes.buffer()).flip();
                }
            }
            loader.recycle(batch); // whatever was lent and not taken (nothing, normally)
            return new DirectBatch(uris, sizes, views, ids);
        } catch (RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Gives the buffers of {@code ids} (from {@link #nextDirect}) back for reuse; the others are ignored. */
    public void giveBack(int[] ids) {
        if (ids == null || buffers == null) {
            return;
        }
        for (int id : ids) {
            ByteBuffer buffer;
            synchronized (this) {
                buffer = viewed.remove(id);
            }
            if (buffer != null) {
                buffers.giveBack(buffer);
            }
        }
    }

    /** Buffers Python holds views of now (tests). */
    synchronized int viewedBuffers() {
        return viewed.size();
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
