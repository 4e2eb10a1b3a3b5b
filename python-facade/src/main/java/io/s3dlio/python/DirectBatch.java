package io.s3dlio.python;

import java.nio.ByteBuffer;

/**
 * A loader's batch handed to Python without a copy ({@link LoaderSession#nextDirect}): per item a direct buffer of
 * exactly its bytes (null for an empty item), which NumPy views where it is, and the id Python passes back once
 * its last view of the item is gone (-1: the buffer is the item's own, nothing to give back).
 */
public final class DirectBatch {
    private final String[] uris;
    private final long[] sizes;
    private final ByteBuffer[] buffers;
    private final int[] ids;

    DirectBatch(String[] uris, long[] sizes, ByteBuffer[] buffers, int[] ids) {
        this.uris = uris;
        this.sizes = sizes;
        this.buffers = buffers;
        this.ids = ids;
    }

    /** The URI of each item, in order. */
    public String[] uris() {
        return uris.clone();
    }

    /** Size of each item, in order. */
    public long[] sizes() {
        return sizes.clone();
    }

    /** Each item's bytes: a direct buffer whose capacity is the item's size, or null for an empty item. */
    public ByteBuffer[] buffers() {
        return buffers.clone();
    }

    /** Each item's id for {@link LoaderSession#nextDirect}'s {@code returned}, or -1. */
    public int[] ids() {
        return ids.clone();
    }
}
