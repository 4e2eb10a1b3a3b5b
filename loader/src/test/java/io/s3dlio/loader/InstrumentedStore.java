package io.s3dlio.loader;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.api.ReadResult;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A hand-written decorator over a real store: counts requests by kind, tracks the most reads in flight at
 * once, and can add a fixed latency to every read (an interruptible sleep, as a remote request would be).
 */
final class InstrumentedStore extends ForwardingObjectStore {
    private final Duration readLatency;
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger metadataRequests = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();

    InstrumentedStore(ObjectStore delegate, Duration readLatency) {
        super(delegate);
        this.readLatency = readLatency;
    }

    private final Object gateLock = new Object();
    private volatile int gate;

    /**
     * Holds every read until {@code readers} reads are in flight at once (then lets all through for good), or
     * until 5 s have passed: a way to see whether a caller really keeps that many reads going, without timing.
     */
    void holdReadsUntilInFlight(int readers) {
        gate = readers;
    }

    private void delay() throws IOException {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        if (gate > 0) {
            synchronized (gateLock) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (gate > 0 && inFlight.get() < gate && System.nanoTime() < deadline) {
                    try {
                        gateLock.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("read interrupted");
                    }
                }
                if (inFlight.get() >= gate) {
                    gate = 0;
                }
                gateLock.notifyAll();
            }
        }
        if (readLatency.isZero()) {
            return;
        }
        try {
            Thread.sleep(readLatency);
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("read interrupted");
        }
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        gets.incrementAndGet();
        try {
            delay();
            return delegate().get(location);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        gets.incrementAndGet();
        try {
            delay();
            return delegate().getRange(location, offset, length);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        gets.incrementAndGet();
        try {
            delay();
            return delegate().read(location, offset, target);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        metadataRequests.incrementAndGet();
        return delegate().stat(location);
    }

    @Override
    public boolean exists(Location location) throws IOException {
        metadataRequests.incrementAndGet();
        return delegate().exists(location);
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        lists.incrementAndGet();
        return delegate().list(prefix, mode);
    }

    @Override
    public void close() throws IOException {
        // The environment owns and closes the delegate().
    }
}
