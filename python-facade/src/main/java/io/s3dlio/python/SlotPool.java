package io.s3dlio.python;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The facade's reusable direct buffers ("slots") that Python loaders' items are staged in ({@link StagedReads}),
 * shared by every loader of the process so that a new loader (one per epoch loop, in many scripts) reuses the
 * memory of the last instead of allocating and zeroing fresh buffers: that cost more CPU than the copy it saves.
 * At most {@code maxBytes} are ever allocated (kept for reuse, never freed before the facade is dropped); a read
 * that finds no idle slot of its size class, or a loader over its quota, is not staged.
 */
final class SlotPool {
    static final int SMALLEST = 64 << 10;
    static final int LARGEST = 64 << 20;
    /** Default bound of the memory of all slots (the Python package's own pool keeps as much). */
    static final long DEFAULT_MAX_BYTES = 512L << 20;

    private final long maxBytes;
    private long allocatedBytes;
    private final List<ByteBuffer> slots = new ArrayList<>();
    private final List<StagedReads> owners = new ArrayList<>();
    private final Map<Integer, ArrayDeque<Integer>> idle = new HashMap<>();

    SlotPool(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    static int capacity(int size) {
        return Math.max(SMALLEST, Integer.highestOneBit(size - 1) << 1);
    }

    /** An idle or new slot for {@code size} bytes, owned by {@code owner} until released; -1 when there is none. */
    synchronized int take(int size, StagedReads owner) {
        int capacity = capacity(size);
        ArrayDeque<Integer> free = idle.get(capacity);
        int id;
        if (free != null && !free.isEmpty()) {
            id = free.pop();
            owners.set(id, owner);
        } else if (allocatedBytes + capacity <= maxBytes) {
            allocatedBytes += capacity;
            slots.add(ByteBuffer.allocateDirect(capacity));
            owners.add(owner);
            id = slots.size() - 1;
        } else {
            return -1;
        }
        return id;
    }

    /** The slot's whole buffer (Python wraps it once and reuses its view for every item staged there). */
    synchronized ByteBuffer slot(int id) {
        return slots.get(id);
    }

    /** Slots whose items are no longer viewed: idle again, and off their loader's quota. */
    void release(int[] ids) {
        List<StagedReads> returned = new ArrayList<>(ids.length);
        synchronized (this) {
            for (int id : ids) {
                StagedReads owner = owners.get(id);
                if (owner == null) {
                    throw new IllegalStateException("slot " + id + " released twice");
                }
                owners.set(id, null);
                returned.add(owner);
                idle.computeIfAbsent(slots.get(id).capacity(), c -> new ArrayDeque<>()).push(id);
            }
        }
        returned.forEach(StagedReads::returned);
    }

    /** Slots allocated so far. */
    synchronized int allocated() {
        return slots.size();
    }
}
