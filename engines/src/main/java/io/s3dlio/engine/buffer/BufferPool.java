package io.s3dlio.engine.buffer;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Buffers of one kind for reuse by the engines (the range engine's streamed pieces, a download's O_DIRECT staging
 * buffers): at most {@code kept} stay idle, a new one is made when none is. Not public API (the package is outside
 * the engines module's checked packages). Thread-safe.
 */
public final class BufferPool {
    private final ConcurrentLinkedQueue<ByteBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private final Supplier<ByteBuffer> make;
    private final int kept;

    /**
     * @param make makes a buffer when none is idle
     * @param kept the most idle buffers kept; more given back are dropped
     */
    public BufferPool(Supplier<ByteBuffer> make, int kept) {
        this.make = requireNonNull(make, "make is null");
        this.kept = kept;
    }

    /** An idle buffer, or a new one. */
    public ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        if (buffer != null) {
            idleCount.decrementAndGet();
            return buffer;
        }
        return make.get();
    }

    /** Gives back a buffer taken from this pool; kept if fewer than {@code kept} are idle. */
    public void give(ByteBuffer buffer) {
        if (idleCount.incrementAndGet() <= kept) {
            idle.offer(buffer);
        } else {
            idleCount.decrementAndGet();
        }
    }

    /** Drops the idle buffers. */
    public void clear() {
        idle.clear();
    }

    /**
     * A direct buffer of {@code bytes} whose address is a multiple of {@code alignment} (a power of two), with room
     * for whole aligned blocks past its start, as {@code O_DIRECT} needs.
     */
    public static ByteBuffer alignedDirect(int bytes, int alignment) {
        // alignedSlice rounds both ends to the alignment: room for whole aligned blocks past the start.
        int blocks = (bytes + alignment - 1) / alignment * alignment;
        return ByteBuffer.allocateDirect(blocks + alignment).alignedSlice(alignment).slice(0, bytes);
    }
}
