package io.s3dlio.python;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The store a Python loader reads through: each whole object, once read, is copied on the fetching thread (while
 * its bytes are still in cache, and the heap array they landed in dies young) into a slot of the facade's
 * {@link SlotPool}, which Python then views without a copy of its own. Before this, the consumer thread copied
 * each batch from the heap arrays, long out of cache, into Python memory.
 *
 * <p>Memory is bounded: this loader holds at most {@code quota} slots at a time (the session sizes it to the
 * loader's window plus the batches Python holds), the pool at most its bytes, and objects above 64 MiB are never
 * staged. Python hands slot ids back when the last view of an item is gone. An object read when no slot is free
 * is returned as read, and Python copies it as before: a consumer that keeps every batch never blocks the loader.
 */
final class StagedReads extends ForwardingObjectStore {
    private final SlotPool pool;
    private final int quota;
    private final AtomicInteger inUse = new AtomicInteger();
    // Staged bytes not yet delivered, by identity (ObjectBytes equality is by content).
    private final Map<ObjectBytes, Integer> pending = Collections.synchronizedMap(new IdentityHashMap<>());

    StagedReads(ObjectStore delegate, SlotPool pool, int quota) {
        super(delegate);
        if (quota < 0) {
            throw new IllegalArgumentException("quota is negative: " + quota);
        }
        this.pool = pool;
        this.quota = quota;
    }

    /** The delegate's known-size read (the range engine splits it there), then the copy into a slot. */
    @Override
    public ObjectBytes get(Location location, OptionalLong size) throws IOException {
        return stage(delegate().get(location, size));
    }

    private ObjectBytes stage(ObjectBytes read) {
        int size = read.size();
        if (size == 0 || size > SlotPool.LARGEST) {
            return read;
        }
        if (inUse.incrementAndGet() > quota) {
            inUse.decrementAndGet();
            return read;
        }
        int id = pool.take(size, this);
        if (id < 0) {
            inUse.decrementAndGet();
            return read;
        }
        ByteBuffer target = pool.slot(id).duplicate();
        target.put(read.buffer()).flip();
        ObjectBytes staged = ObjectBytes.wrap(target);
        pending.put(staged, id);
        return staged;
    }

    /** One of this loader's slots went back to the pool. */
    void returned() {
        inUse.decrementAndGet();
    }

    /** The slot {@code bytes} were staged in, now handed to the consumer, or -1 when they were not staged. */
    int claim(ObjectBytes bytes) {
        Integer id = pending.remove(bytes);
        return id == null ? -1 : id;
    }

    /** Frees the slots of items staged but never delivered (an epoch closed before its end). */
    void releaseUndelivered() {
        int[] ids;
        synchronized (pending) {
            ids = pending.values().stream().mapToInt(Integer::intValue).toArray();
            pending.clear();
        }
        pool.release(ids);
    }

    /** Slots this loader holds (staged and not yet released). */
    int inUse() {
        return inUse.get();
    }
}
