package io.s3dlio.engine.range;

import io.s3dlio.api.Capability;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
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
final class InstrumentedStore implements ObjectStore {
    final ObjectStore delegate;
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
        this.delegate = delegate;
    }

    @Override
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
            return delegate.read(location, offset, target);
        } finally {
            concurrent.decrementAndGet();
        }
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        gets.incrementAndGet();
        return delegate.get(location);
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, java.util.OptionalLong length) throws IOException {
        ranges.incrementAndGet();
        return delegate.getRange(location, offset, length);
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

    @Override public Set<String> schemes() { return delegate.schemes(); }
    @Override public Set<Capability> capabilities() { return delegate.capabilities(); }
    @Override public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException { return delegate.put(location, data, options); }
    @Override public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException { return delegate.newWriter(location, options); }
    @Override public java.util.stream.Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException { return delegate.list(prefix, mode); }
    @Override public void delete(Location location) throws IOException { delegate.delete(location); }
    @Override public DeleteResult deletePrefix(Location prefix) throws IOException { return delegate.deletePrefix(prefix); }
    @Override public void copy(Location source, Location target) throws IOException { delegate.copy(source, target); }
    @Override public void rename(Location source, Location target) throws IOException { delegate.rename(source, target); }
    @Override public void createContainer(Location container) throws IOException { delegate.createContainer(container); }
    @Override public void deleteContainer(Location container) throws IOException { delegate.deleteContainer(container); }
    @Override public java.util.stream.Stream<Location> listContainers(Location scope) throws IOException { return delegate.listContainers(scope); }
    @Override public void close() throws IOException { delegate.close(); }
}
