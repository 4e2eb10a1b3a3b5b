package io.s3dlio.engine.range;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written decorator over a real store that counts what the engine does: reads (and how many run at
 * once), plain gets, and stat/exists calls, which the engine must never make (each one also fails loudly).
 * It can fail the Nth read, and hold reads until they are interrupted, to test cancellation.
 */
final class InstrumentedStore extends ForwardingObjectStore {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger ranges = new AtomicInteger();
    final AtomicInteger stats = new AtomicInteger();
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    final Set<Thread> readThreads = ConcurrentHashMap.newKeySet();

    /** Which read call (1-based) fails; 0 for none. */
    volatile int failRead;
    /** Reads other than the failing one wait on this (until interrupted) when set. */
    volatile CountDownLatch hold;
    /** The failing read first waits until this many other reads are held. */
    final AtomicInteger held = new AtomicInteger();
    volatile int failAfterHeld;
    /** Each read sleeps this long, so that reads overlap. */
    volatile long readDelayMillis;

    InstrumentedStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    @SuppressWarnings("ThreadPriorityCheck") // the spin below yields so the held readers get the 2 cores
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        int call = reads.incrementAndGet();
        readThreads.add(Thread.currentThread());
        int now = concurrent.incrementAndGet();
        maxConcurrent.accumulateAndGet(now, Math::max);
        try {
            if (call == failRead) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (held.get() < failAfterHeld && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
                throw new StorageException(location, "injected failure of read #" + call);
            }
            CountDownLatch gate = hold;
            if (gate != null) {
                held.incrementAndGet();
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) {
                        throw new IOException("held read was never released nor interrupted");
                    }
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw new InterruptedIOException(location + ": read interrupted");
                }
            }
            if (readDelayMillis > 0) {
                try {
                    Thread.sleep(readDelayMillis);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw new InterruptedIOException(location + ": read interrupted");
                }
            }
            return delegate().read(location, offset, target);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        gets.incrementAndGet();
        return delegate().get(location);
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, java.util.OptionalLong length) throws IOException {
        ranges.incrementAndGet();
        return delegate().getRange(location, offset, length);
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        stats.incrementAndGet();
        throw new AssertionError("stat (a HEAD) was called for " + location);
    }

    @Override
    public boolean exists(Location location) throws IOException {
        stats.incrementAndGet();
        throw new AssertionError("exists (a HEAD) was called for " + location);
    }

}
