package io.s3dlio.engine.upload;

import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Part buffers shared by the {@link PartedObjectWriter}s of one store, so that an upload, and the next one,
 * reuse the same few buffers instead of leaving a part-sized buffer of garbage behind per part (or an
 * object-sized one per small object). A pool keeps at most {@code maxIdle} buffers while nobody uses them, of
 * any sizes; a buffer is reused only for a request of exactly its capacity.
 *
 * <p>A {@linkplain #bounded bounded} pool is also the memory budget of all its writers together: at most
 * {@code budget} parts of bytes are out at once (being filled or uploading), counted by capacity against the
 * largest part size asked for, however many objects upload concurrently, so four 1 GiB files in flight share
 * the budget instead of multiplying it, and an object smaller than a part (one request) takes only a buffer of
 * its own size out of it. Buffers kept idle count too: what the pool holds, out and idle, stays within the
 * budget (idle buffers of another size are let go to make room). {@link #take} waits while the budget would be
 * passed and some buffer is uploading (an upload hands its buffer back without anyone's help). It never waits
 * when every buffer out is being filled: a caller writing several objects in turn on one thread would
 * otherwise wait for itself. So the bound can be passed only by writers each filling a buffer at once, more
 * than the budget holds (more objects in flight than the budget has room for).
 *
 * <p>Direct buffers (off the Java heap) for a store's pool: a file is read into them without the JDK's
 * temporary direct buffer, and the parts in flight never make the garbage collector grow the heap, so the
 * process's memory is what the configuration says (budget x part size) plus a small heap. Thread-safe.
 */
public final class PartBufferPool {
    private final int maxIdle;
    private final boolean direct;
    /** Buffers out at once, at most (Integer.MAX_VALUE: no bound). */
    private final int budget;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition handedBack = lock.newCondition();
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();
    /** Buffers out that an upload holds: each comes back (give or release) without the writers' help. */
    private final Set<ByteBuffer> uploading = Collections.newSetFromMap(new IdentityHashMap<>());
    private int out;
    private int mostOut;
    /** Bytes of the buffers out now (capacities), their high-water mark, and the bytes kept idle. */
    private long bytesOut;
    private long mostBytesOut;
    private long idleBytes;
    /** The largest part size asked for so far: a bounded pool's byte budget is {@code budget} parts of it. */
    private long partSize;
    /** Buffers this pool allocated (not reused) since it was made. */
    private long allocated;

    /**
     * A pool without a budget.
     *
     * @param maxIdle the most buffers kept while unused
     * @param direct direct buffers (off-heap) when true, heap arrays otherwise
     */
    public PartBufferPool(int maxIdle, boolean direct) {
        this(maxIdle, direct, Integer.MAX_VALUE);
    }

    private PartBufferPool(int maxIdle, boolean direct, int budget) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative: " + maxIdle);
        }
        if (budget < 1) {
            throw new IllegalArgumentException("budget must be at least 1: " + budget);
        }
        this.maxIdle = maxIdle;
        this.direct = direct;
        this.budget = budget;
    }

    /**
     * A pool that hands out at most {@code budget} parts of bytes at once to all its writers together (see the
     * class comment for the one exception), and keeps idle only what fits the same budget beside them.
     *
     * @param budget the most buffers out at once, at least 1
     * @param direct direct buffers (off-heap) when true, heap arrays otherwise
     */
    public static PartBufferPool bounded(int budget, boolean direct) {
        // Idle buffers are bounded by the byte budget (out and idle together), so many small ones may wait idle.
        return new PartBufferPool(Integer.MAX_VALUE, direct, budget);
    }

    /**
     * A cleared buffer of exactly {@code capacity} bytes, counted as a whole part: {@code take(capacity, capacity)}.
     *
     * @throws InterruptedIOException if the thread is interrupted while it waits
     */
    public ByteBuffer take(int capacity) throws InterruptedIOException {
        return take(capacity, capacity);
    }

    /**
     * A cleared buffer of exactly {@code capacity} bytes for an upload whose parts are {@code partSize} bytes: an
     * idle one of that capacity when there is one, else a new one. A bounded pool counts its budget in bytes,
     * {@code budget} parts of the largest part size asked for: a buffer smaller than a part (an object smaller
     * than a part, sent in one request) takes only its own capacity of it, so many small objects in flight share
     * what one part would use. Waits while the budget would be passed and some buffer is uploading.
     *
     * @throws InterruptedIOException if the thread is interrupted while it waits
     */
    public ByteBuffer take(int capacity, int partSize) throws InterruptedIOException {
        if (capacity < 0 || partSize < capacity) {
            throw new IllegalArgumentException("capacity " + capacity + " must be between 0 and the part size " + partSize);
        }
        ByteBuffer reused = null;
        lock.lock();
        try {
            this.partSize = Math.max(this.partSize, partSize);
            while (bytesOut + capacity > budgetBytes() && !uploading.isEmpty()) {
                handedBack.await();
            }
            out++;
            bytesOut += capacity;
            mostOut = Math.max(mostOut, out);
            mostBytesOut = Math.max(mostBytesOut, bytesOut);
            for (java.util.Iterator<ByteBuffer> it = idle.iterator(); it.hasNext(); ) {
                ByteBuffer buffer = it.next();
                if (buffer.capacity() == capacity) {
                    it.remove();
                    idleBytes -= capacity;
                    reused = buffer;
                    break;
                }
            }
            if (reused == null) {
                allocated++;
                // Room for the new buffer: idle ones of other sizes go (oldest first) while what this pool holds,
                // out and idle together, would pass its budget.
                while (!idle.isEmpty() && bytesOut + idleBytes > budgetBytes()) {
                    idleBytes -= idle.poll().capacity();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a part buffer (" + this + ")");
        } finally {
            lock.unlock();
        }
        if (reused != null) {
            return reused.clear();
        }
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** Bytes out at once at most: budget parts of the largest part size asked (no bound: Long.MAX_VALUE). */
    private long budgetBytes() {
        return budget == Integer.MAX_VALUE ? Long.MAX_VALUE : budget * partSize;
    }

    /** Marks a buffer from {@link #take} as handed to an upload, which gives it back or releases it when done. */
    public void uploading(ByteBuffer buffer) {
        lock.lock();
        try {
            uploading.add(buffer);
        } finally {
            lock.unlock();
        }
    }

    /** Hands a buffer from {@link #take} back once nothing reads it any more; kept only while fewer than maxIdle are idle. */
    public void give(ByteBuffer buffer) {
        handBack(buffer, true);
    }

    /**
     * Returns a buffer from {@link #take} to the budget without keeping it: a failed or cancelled request may
     * still read it, so it must not be handed out again.
     */
    public void release(ByteBuffer buffer) {
        handBack(buffer, false);
    }

    private void handBack(ByteBuffer buffer, boolean reuse) {
        lock.lock();
        try {
            uploading.remove(buffer);
            out--;
            bytesOut -= buffer.capacity();
            if (reuse && idle.size() < maxIdle && bytesOut + idleBytes + buffer.capacity() <= budgetBytes()) {
                idle.offer(buffer);
                idleBytes += buffer.capacity();
            }
            handedBack.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Buffers kept idle now (tests). */
    int idle() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    /** Buffers out now: taken and not yet given back or released. */
    public int buffersOut() {
        lock.lock();
        try {
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The most buffers that were out at once since this pool was made (its high-water mark). */
    public int mostBuffersOut() {
        lock.lock();
        try {
            return mostOut;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes of the buffers out now (their capacities). */
    public long bytesOut() {
        lock.lock();
        try {
            return bytesOut;
        } finally {
            lock.unlock();
        }
    }

    /** The most bytes of buffers that were out at once since this pool was made. */
    public long mostBytesOut() {
        lock.lock();
        try {
            return mostBytesOut;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The byte budget of a bounded pool now: {@code budget} parts of the largest part size asked for so far
     * (empty for a pool without a budget, or before the first part size is known).
     */
    public java.util.OptionalLong budgetBytesNow() {
        lock.lock();
        try {
            return budget == Integer.MAX_VALUE || partSize == 0 ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(budgetBytes());
        } finally {
            lock.unlock();
        }
    }

    /** Buffers this pool allocated since it was made (the rest of its hand-outs were reused buffers). */
    public long allocated() {
        lock.lock();
        try {
            return allocated;
        } finally {
            lock.unlock();
        }
    }

    public boolean direct() {
        return direct;
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "PartBufferPool[" + (direct ? "direct" : "heap") + ", " + out + " out"
                    + (budget == Integer.MAX_VALUE ? "" : " of at most " + budget) + ", " + idle.size()
                    + " idle of at most " + maxIdle + "]";
        } finally {
            lock.unlock();
        }
    }
}
