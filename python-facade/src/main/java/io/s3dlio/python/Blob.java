package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Bytes read for Python, handed over in two calls: Python asks for the {@link #sizes()}, allocates memory it owns
 * (a NumPy array, or a shared-memory mapping in a helper process) and lets {@link #copyInto} fill it. One copy,
 * into memory whose lifetime Python controls; nothing per byte crosses the bridge. A loader's blob whose items
 * are in reused arrays gives them back once copied ({@link #copyInto}) or once the loader's next batch is asked
 * for, whichever comes first; from then on it cannot be copied (its arrays hold other items).
 */
public final class Blob {
    private final List<ObjectBytes> parts;
    private final long[] sizes;
    private final String[] uris;
    /** Run once, after the copy or {@link #expire()}: the parts' arrays are reused from then on. Null: bytes owned. */
    private final Runnable release;
    private boolean released; // guarded by this

    Blob(List<String> uris, List<ObjectBytes> parts) {
        this(uris, parts, null);
    }

    Blob(List<String> uris, List<ObjectBytes> parts, Runnable release) {
        this.release = release;
        this.parts = List.copyOf(requireNonNull(parts, "parts is null"));
        this.uris = uris.toArray(String[]::new);
        this.sizes = new long[parts.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = this.parts.get(i).size();
        }
    }

    /** Size of each item, in order. */
    public long[] sizes() {
        return sizes.clone();
    }

    /** The URI of each item, in order. */
    public String[] uris() {
        return uris.clone();
    }

    /** The sum of {@link #sizes()}. */
    public long totalSize() {
        long total = 0;
        for (long size : sizes) {
            total += size;
        }
        return total;
    }

    /**
     * Copies every item, back to back, into {@code target} (a direct buffer over Python memory) from its position.
     *
     * @throws IllegalArgumentException when the target has fewer than {@link #totalSize()} bytes remaining
     * @throws IllegalStateException when this is a loader's blob that was copied already, or whose loader was asked
     *     for a later batch (its memory is reused)
     */
    public void copyInto(ByteBuffer target) {
        requireNonNull(target, "target is null");
        if (target.remaining() < totalSize()) {
            throw new IllegalArgumentException("target holds " + target.remaining() + " bytes, " + totalSize() + " needed");
        }
        if (release == null) {
            copy(target);
            return;
        }
        synchronized (this) {
            if (released) {
                throw new IllegalStateException("this batch was copied already, or a later one was asked for: its"
                        + " memory was given back to the loader");
            }
            copy(target);
            released = true;
        }
        release.run();
    }

    /** Gives a loader's arrays back without a copy (a later batch was asked for); waits for a copy under way. */
    void expire() {
        if (release == null) {
            return;
        }
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        release.run();
    }

    private void copy(ByteBuffer target) {
        for (ObjectBytes part : parts) {
            target.put(part.buffer());
        }
    }
}
