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
 * reuse the same few buffers instead of leaving a part-sized buffer of garbage behind per part. A pool keeps
 * at most {@code maxIdle} buffers while nobody uses them; buffers above that, and buffers of another size than
 * the one asked for, are let go.
 *
 * <p>A {@linkplain #bounded bounded} pool is also the memory budget of all its writers together: at most
 * {@code budget} buffers are out at once (being filled or uploading), however many objects upload
 * concurrently, so four 1 GiB files in flight share the budget instead of multiplying it. {@link #take} waits
 * while the budget is spent and some part is uploading (an upload hands its buffer back without anyone's
 * help). It never waits when every buffer out is being filled: a caller writing several objects in turn on
 * one thread would otherwise wait for itself. So the bound can be passed only by writers each filling their
 * first buffer at once (more objects in flight than the budget has buffers).
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
     * A pool that hands out at most {@code budget} buffers at once to all its writers together (see the class
     * comment for the one exception), and keeps as many idle.
     *
     * @param budget the most buffers out at once, at least 1
     * @param direct direct buffers (off-heap) when true, heap arrays otherwise
     */
    public static PartBufferPool bounded(int budget, boolean direct) {
        return new PartBufferPool(budget, direct, budget);
    }

    /**
     * A cleared buffer of exactly {@code capacity} bytes: an idle one when there is one, else a new one. On a
     * bounded pool, waits while the budget is spent and a part is uploading.
     *
     * @throws InterruptedIOException if the thread is interrupted while it waits
     */
    public ByteBuffer take(int capacity) throws InterruptedIOException {
        ByteBuffer reused = null;
        lock.lock();
        try {
            while (out >= budget && !uploading.isEmpty()) {
                handedBack.await();
            }
            out++;
            mostOut = Math.max(mostOut, out);
            ByteBuffer buffer;
            while ((buffer = idle.poll()) != null) {
                if (buffer.capacity() == capacity) {
                    reused = buffer;
                    break;
                }
                // A buffer of another part size (another upload's plan): let it go rather than keep two sizes.
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
            if (reuse && idle.size() < maxIdle) {
                idle.offer(buffer);
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
