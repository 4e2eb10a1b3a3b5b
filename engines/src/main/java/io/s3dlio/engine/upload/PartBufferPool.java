package io.s3dlio.engine.upload;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Part buffers shared by the {@link PartedObjectWriter}s of one store, so that an upload, and the next one,
 * reuse the same few buffers instead of leaving a part-sized buffer of garbage behind per part. A pool keeps
 * at most {@code maxIdle} buffers while nobody uses them (set it to the parts in flight plus one: what one
 * upload holds); buffers above that, and buffers of another size than the one asked for, are let go.
 *
 * <p>Direct buffers (off the Java heap) for a store's pool: a file is read into them without the JDK's
 * temporary direct buffer, and the parts in flight never make the garbage collector grow the heap, so the
 * process's memory is what the configuration says (parts in flight x part size) plus a small heap. Thread-safe.
 */
public final class PartBufferPool {
    private final int maxIdle;
    private final boolean direct;
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /**
     * @param maxIdle the most buffers kept while unused
     * @param direct direct buffers (off-heap) when true, heap arrays otherwise
     */
    public PartBufferPool(int maxIdle, boolean direct) {
        if (maxIdle < 0) {
            throw new IllegalArgumentException("maxIdle must not be negative: " + maxIdle);
        }
        this.maxIdle = maxIdle;
        this.direct = direct;
    }

    /** A cleared buffer of exactly {@code capacity} bytes: an idle one when there is one, else a new one. */
    public ByteBuffer take(int capacity) {
        ByteBuffer buffer;
        while ((buffer = idle.poll()) != null) {
            idleCount.decrementAndGet();
            if (buffer.capacity() == capacity) {
                return buffer.clear();
            }
            // A buffer of another part size (another upload's plan): let it go rather than keep two sizes.
        }
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    /** Hands a buffer back once nothing reads it any more; kept only while fewer than maxIdle are idle. */
    public void give(ByteBuffer buffer) {
        if (idleCount.incrementAndGet() <= maxIdle) {
            idle.offer(buffer);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** Buffers kept idle now (tests). */
    int idle() {
        return idleCount.get();
    }

    public boolean direct() {
        return direct;
    }

    @Override
    public String toString() {
        return "PartBufferPool[" + (direct ? "direct" : "heap") + ", idle " + idleCount.get() + " of at most " + maxIdle + "]";
    }
}
