package io.s3dlio.python;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The store a Python loader reads through: each whole object, once read, is copied on the fetching thread (while
 * its bytes are still in cache, and the heap array they landed in dies young) into a reusable direct buffer, a
 * "slot", which Python then views without a copy of its own. Before this, the consumer thread copied each batch
 * from the heap arrays, long out of cache, into Python memory: that copy was most of its time.
 *
 * <p>Memory is bounded: at most {@code maxSlots} slots (the session sizes it to the loader's window plus the
 * batches Python holds), each a power of two from 64 KiB, objects above 64 MiB never staged. Python hands slot ids
 * back ({@link #release}) when the last view of an item is gone. An object read when no slot is free is returned
 * as read, and Python copies it as before; a consumer that keeps every batch never blocks the loader.
 */
final class StagedReads extends ForwardingObjectStore {
    static final int SMALLEST = 64 << 10;
    static final int LARGEST = 64 << 20;

    private final int maxSlots;
    private final List<ByteBuffer> slots = new ArrayList<>();
    private final Map<Integer, ArrayDeque<Integer>> idle = new HashMap<>();
    // Staged bytes not yet delivered, by identity (ObjectBytes equality is by content).
    private final Map<ObjectBytes, Integer> pending = Collections.synchronizedMap(new IdentityHashMap<>());

    StagedReads(ObjectStore delegate, int maxSlots) {
        super(delegate);
        if (maxSlots < 0) {
            throw new IllegalArgumentException("maxSlots is negative: " + maxSlots);
        }
        this.maxSlots = maxSlots;
    }

    /** The delegate's known-size read (the range engine splits it there), then the copy into a slot. */
    @Override
    public ObjectBytes get(Location location, OptionalLong size) throws IOException {
        return stage(delegate().get(location, size));
    }

    private ObjectBytes stage(ObjectBytes read) {
        int size = read.size();
        if (size == 0 || size > LARGEST) {
            return read;
        }
        int id = take(size);
        if (id < 0) {
            return read;
        }
        ByteBuffer target = slot(id).duplicate();
        target.put(read.buffer()).flip();
        ObjectBytes staged = ObjectBytes.wrap(target);
        pending.put(staged, id);
        return staged;
    }

    private static int capacity(int size) {
        return Math.max(SMALLEST, Integer.highestOneBit(size - 1) << 1);
    }

    private synchronized int take(int size) {
        int capacity = capacity(size);
        ArrayDeque<Integer> free = idle.get(capacity);
        if (free != null && !free.isEmpty()) {
            return free.pop();
        }
        if (slots.size() >= maxSlots) {
            return -1;
        }
        slots.add(ByteBuffer.allocateDirect(capacity));
        return slots.size() - 1;
    }

    /** The slot's whole buffer (Python wraps it once and reuses its view for every item staged there). */
    synchronized ByteBuffer slot(int id) {
        return slots.get(id);
    }

    /** The slot {@code bytes} were staged in, now handed to the consumer, or -1 when they were not staged. */
    int claim(ObjectBytes bytes) {
        Integer id = pending.remove(bytes);
        return id == null ? -1 : id;
    }

    /** Slots whose items Python no longer views. */
    synchronized void release(int[] ids) {
        for (int id : ids) {
            idle.computeIfAbsent(slots.get(id).capacity(), c -> new ArrayDeque<>()).push(id);
        }
    }

    /** Frees the slots of items staged but never delivered (an epoch closed before its end). */
    void releaseUndelivered() {
        int[] ids;
        synchronized (pending) {
            ids = pending.values().stream().mapToInt(Integer::intValue).toArray();
            pending.clear();
        }
        release(ids);
    }

    /** Slots allocated so far (for tests). */
    synchronized int allocated() {
        return slots.size();
    }
}
