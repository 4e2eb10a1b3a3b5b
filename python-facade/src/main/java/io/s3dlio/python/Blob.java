package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Bytes read for Python, handed over in two calls: Python asks for the {@link #sizes()}, allocates memory it owns
 * (a NumPy array, or a shared-memory mapping in a helper process) and lets {@link #copyInto} fill it. One copy,
 * into memory whose lifetime Python controls; nothing per byte crosses the bridge.
 */
public final class Blob {
    private final List<ObjectBytes> parts;
    private final long[] sizes;
    private final String[] uris;
    private final int[] slots;

    Blob(List<String> uris, List<ObjectBytes> parts) {
        this(uris, parts, null);
    }

    /** {@code slots}: per item, the loader slot it was staged in ({@link StagedReads}), or -1; null: none staged. */
    Blob(List<String> uris, List<ObjectBytes> parts, int[] slots) {
        this.parts = List.copyOf(requireNonNull(parts, "parts is null"));
        this.uris = uris.toArray(String[]::new);
        this.sizes = new long[parts.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = this.parts.get(i).size();
        }
        if (slots == null) {
            slots = new int[sizes.length];
            java.util.Arrays.fill(slots, -1);
        } else if (slots.length != sizes.length) {
            throw new IllegalArgumentException(slots.length + " slots for " + sizes.length + " items");
        }
        this.slots = slots;
    }

    /** Size of each item, in order. */
    public long[] sizes() {
        return sizes.clone();
    }

    /**
     * Per item, the loader slot whose direct buffer holds it (Python views it there without a copy), or -1 for
     * an item that {@link #copyUnstagedInto} copies.
     */
    public int[] slots() {
        return slots.clone();
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
     */
    public void copyInto(ByteBuffer target) {
        requireNonNull(target, "target is null");
        if (target.remaining() < totalSize()) {
            throw new IllegalArgumentException("target holds " + target.remaining() + " bytes, " + totalSize() + " needed");
        }
        for (ObjectBytes part : parts) {
            target.put(part.buffer());
        }
    }

    /** The sum of the sizes of the items not staged in a slot. */
    public long unstagedSize() {
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            total += slots[i] < 0 ? sizes[i] : 0;
        }
        return total;
    }

    /** Copies the items not staged in a slot, back to back, into {@code target} from its position. */
    public void copyUnstagedInto(ByteBuffer target) {
        requireNonNull(target, "target is null");
        if (target.remaining() < unstagedSize()) {
            throw new IllegalArgumentException("target holds " + target.remaining() + " bytes, " + unstagedSize() + " needed");
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] < 0) {
                target.put(parts.get(i).buffer());
            }
        }
    }
}
