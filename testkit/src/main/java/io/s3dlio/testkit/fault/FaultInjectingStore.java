package io.s3dlio.testkit.fault;

import static java.util.Objects.requireNonNull;

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
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.spi.StoreChecks;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The test kit's hand-written fault injector: a decorator over a real store that counts every call by
 * operation, tracks how many calls run at once, and on command delays calls (an interruptible sleep, as a
 * remote request would be), fails the Nth call of an operation, fails every call of an operation, or
 * refuses an operation outright (an {@link AssertionError}: "the engine must never send a HEAD"). A
 * {@link Hook} runs before each call for faults a test shapes itself (hold calls on a latch, fail once N
 * others are held). Nothing is mocked: every call that is let through reaches the real store.
 *
 * <p>Configure before the calls start; the settings are read concurrently. {@link #close()} leaves the
 * delegate open (the environment owns it).
 */
public final class FaultInjectingStore extends ForwardingObjectStore {

    /** The operations of {@link ObjectStore}, as counted and targeted here. */
    public enum Operation {
        GET, GET_RANGE, READ, PUT, NEW_WRITER, STAT, EXISTS, LIST, DELETE, DELETE_PREFIX, DELETE_ALL, COPY, RENAME,
        CREATE_CONTAINER, DELETE_CONTAINER, LIST_CONTAINERS;

        /** True for the operations that move object bytes towards the caller. */
        public boolean isRead() {
            return this == GET || this == GET_RANGE || this == READ;
        }
    }

    /** Runs before a call is let through; may block, or throw to fail the call. */
    @FunctionalInterface
    public interface Hook {
        void before(Operation operation, Location location, int call) throws IOException;
    }

    private final Map<Operation, AtomicInteger> calls = new EnumMap<>(Operation.class);
    private final Map<Operation, Duration> delays = new ConcurrentHashMap<>();
    private final Map<Operation, Integer> failNth = new ConcurrentHashMap<>();
    private final Map<Operation, String> failAll = new ConcurrentHashMap<>();
    private final Map<Operation, Boolean> forbidden = new ConcurrentHashMap<>();
    private final AtomicInteger readsInFlight = new AtomicInteger();
    private final AtomicInteger maxReadsInFlight = new AtomicInteger();
    private final AtomicInteger interrupted = new AtomicInteger();
    private volatile Hook hook = (operation, location, call) -> {};
    private final Object gateLock = new Object();
    private volatile int gate;

    public FaultInjectingStore(ObjectStore delegate) {
        super(delegate);
        for (Operation operation : Operation.values()) {
            calls.put(operation, new AtomicInteger());
        }
    }

    /** Every call of {@code operation} first sleeps {@code delay} (interruptible). */
    public FaultInjectingStore delay(Operation operation, Duration delay) {
        delays.put(requireNonNull(operation, "operation is null"), requireNonNull(delay, "delay is null"));
        return this;
    }

    /** Every read (get, getRange, read) first sleeps {@code delay}, as a remote request would. */
    public FaultInjectingStore delayReads(Duration delay) {
        for (Operation operation : Operation.values()) {
            if (operation.isRead()) {
                delay(operation, delay);
            }
        }
        return this;
    }

    /**
     * Holds every read until {@code readers} reads are in flight at once (then lets all through for good), or
     * until 5 s have passed: shows whether a caller really keeps that many reads going, without timing them.
     */
    public FaultInjectingStore holdReadsUntilInFlight(int readers) {
        if (readers < 1) {
            throw new IllegalArgumentException("readers must be at least 1: " + readers);
        }
        gate = readers;
        return this;
    }

    /** The {@code n}th call (1-based) of {@code operation} fails with a {@link StorageException}. */
    public FaultInjectingStore failCall(Operation operation, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1: " + n);
        }
        failNth.put(requireNonNull(operation, "operation is null"), n);
        return this;
    }

    /** Every call of {@code operation} fails with a {@link StorageException} carrying {@code reason}. */
    public FaultInjectingStore failAll(Operation operation, String reason) {
        failAll.put(requireNonNull(operation, "operation is null"), requireNonNull(reason, "reason is null"));
        return this;
    }

    /** Any call of {@code operation} is a test failure ({@link AssertionError}), counted before it throws. */
    public FaultInjectingStore forbid(Operation operation) {
        forbidden.put(requireNonNull(operation, "operation is null"), Boolean.TRUE);
        return this;
    }

    /** Runs {@code hook} before every call (after counting, before delays and failures). */
    public FaultInjectingStore beforeEachCall(Hook hook) {
        this.hook = requireNonNull(hook, "hook is null");
        return this;
    }

    /** Calls of {@code operation} so far, including those that failed. */
    public int calls(Operation operation) {
        return calls.get(operation).get();
    }

    /** Metadata calls (stat, exists: a HEAD on HTTP stores) so far. */
    public int metadataCalls() {
        return calls(Operation.STAT) + calls(Operation.EXISTS);
    }

    /** Calls of all read operations (get, getRange, read) so far. */
    public int reads() {
        return calls(Operation.GET) + calls(Operation.GET_RANGE) + calls(Operation.READ);
    }

    /** Read calls running right now. */
    public int readsInFlight() {
        return readsInFlight.get();
    }

    /** The most read calls that ran at once. */
    public int maxReadsInFlight() {
        return maxReadsInFlight.get();
    }

    /** Delayed calls that were interrupted while waiting. */
    public int interrupted() {
        return interrupted.get();
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private <T> T call(Operation operation, Location location, Call<T> work) throws IOException {
        int call = calls.get(operation).incrementAndGet();
        if (forbidden.containsKey(operation)) {
            throw new AssertionError(operation + " was called for " + location + " (call " + call + ")");
        }
        boolean read = operation.isRead();
        if (read) {
            maxReadsInFlight.accumulateAndGet(readsInFlight.incrementAndGet(), Math::max);
        }
        try {
            if (read && gate > 0) {
                awaitGate(location);
            }
            hook.before(operation, location, call);
            Duration delay = delays.get(operation);
            if (delay != null && !delay.isZero()) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(location + ": " + operation + " interrupted");
                }
            }
            String reason = failAll.get(operation);
            if (reason != null) {
                throw new StorageException(location, "injected failure of " + operation + ": " + reason);
            }
            Integer nth = failNth.get(operation);
            if (nth != null && nth == call) {
                throw new StorageException(location, "injected failure of " + operation + " call #" + call);
            }
            return work.run();
        } finally {
            if (read) {
                readsInFlight.decrementAndGet();
            }
        }
    }

    private void awaitGate(Location location) throws InterruptedIOException {
        synchronized (gateLock) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (gate > 0 && readsInFlight.get() < gate && System.nanoTime() < deadline) {
                try {
                    gateLock.wait(50);
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(location + ": read interrupted");
                }
            }
            if (readsInFlight.get() >= gate) {
                gate = 0;
            }
            gateLock.notifyAll();
        }
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        return call(Operation.GET, location, () -> delegate().get(location));
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        return call(Operation.GET_RANGE, location, () -> delegate().getRange(location, offset, length));
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        return call(Operation.READ, location, () -> delegate().read(location, offset, target));
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        return call(Operation.PUT, location, () -> delegate().put(location, data, options));
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        return call(Operation.NEW_WRITER, location, () -> delegate().newWriter(location, options));
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        return call(Operation.STAT, location, () -> delegate().stat(location));
    }

    @Override
    public boolean exists(Location location) throws IOException {
        return call(Operation.EXISTS, location, () -> delegate().exists(location));
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        return call(Operation.LIST, prefix, () -> delegate().list(prefix, mode));
    }

    @Override
    public void delete(Location location) throws IOException {
        call(Operation.DELETE, location, () -> {
            delegate().delete(location);
            return null;
        });
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        return call(Operation.DELETE_PREFIX, prefix, () -> delegate().deletePrefix(prefix));
    }

    /**
     * One {@link Operation#DELETE_ALL} call for the whole list, targeted at its first location. An injected
     * failure refuses the whole list as data, as a refused batch request would: deleteAll never throws once
     * it started.
     */
    @Override
    public DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        List<Location> objects = StoreChecks.requireObjects(locations, schemes());
        if (objects.isEmpty()) {
            return delegate().deleteAll(objects);
        }
        try {
            return call(Operation.DELETE_ALL, objects.getFirst(), () -> delegate().deleteAll(objects));
        } catch (IOException e) {
            return new DeleteResult(0, objects.stream()
                    .map(location -> new DeleteResult.Failure(location, String.valueOf(e.getMessage()))).toList());
        }
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        call(Operation.COPY, source, () -> {
            delegate().copy(source, target);
            return null;
        });
    }

    @Override
    public void rename(Location source, Location target) throws IOException {
        call(Operation.RENAME, source, () -> {
            delegate().rename(source, target);
            return null;
        });
    }

    @Override
    public void createContainer(Location container) throws IOException {
        call(Operation.CREATE_CONTAINER, container, () -> {
            delegate().createContainer(container);
            return null;
        });
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        call(Operation.DELETE_CONTAINER, container, () -> {
            delegate().deleteContainer(container);
            return null;
        });
    }

    @Override
    public Stream<Location> listContainers(Location scope) throws IOException {
        return call(Operation.LIST_CONTAINERS, scope, () -> delegate().listContainers(scope));
    }

    @Override
    public void close() {
        // The environment owns and closes the delegate.
    }
}
