package io.s3dlio.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * One epoch of a {@link DataLoader}: a blocking {@link Iterator} of batches and, as an alternative,
 * {@link #nextAsync()}. Batches are always {@code List}s of {@link Sample}s, delivered in the
 * {@link EpochPlan}'s order whatever order the fetches finish in.
 *
 * <p>How fetching runs: one scheduler launches the plan's items in order, each on its own virtual thread,
 * keeping at most {@code numWorkers} fetches in flight at all times (across batch boundaries: the pipe never
 * drains while the consumer works on a batch) and at most {@code prefetch * batchSize} items fetched or in
 * flight that the consumer has not taken yet, which bounds memory. A batch's items are released to the
 * consumer, and their window slots freed, when the batch is taken.
 *
 * <p>Use one consumer thread and one of the two forms per epoch. {@link #close()} stops fetching, cancels
 * fetches in flight (by interrupting them) and fails any waiting consumer.
 */
public final class LoaderEpoch implements Iterator<List<Sample>>, AutoCloseable {
    private sealed interface Outcome permits Loaded, Failed {}

    /** {@code lent}: the {@link ItemArrays} array or {@link ItemBuffers} buffer the bytes are in, or null. */
    private record Loaded(Sample sample, Object lent) implements Outcome {}

    private record Failed(Location location, Exception cause) implements Outcome {}

    private final EpochPlan plan;
    private final ItemReader reader;
    private final LoaderOptions options;
    private final ExecutorService executor;
    private final Consumer<LoaderEpoch> onEnd;
    /** Arrays whole-object items are read into, or null (see {@link DataLoader.Builder#reuseArrays}). */
    private final ItemArrays arrays;
    /** Direct buffers whole-object items are read into, or null (see {@link DataLoader.Builder#reuseBuffers}). */
    private final ItemBuffers buffers;
    private final int itemCount;
    private final AtomicReferenceArray<CompletableFuture<Outcome>> outcomes;
    private final Semaphore window;
    private final Semaphore workers;
    private final Map<Integer, Future<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger launched = new AtomicInteger();
    private final AtomicReference<Failed> firstFailure = new AtomicReference<>();
    private final Future<?> scheduler;
    private volatile boolean stopped;
    private volatile boolean closed;

    // Consumer side: takes are chained so batches come out strictly in order.
    private final Object consumerLock = new Object();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private int cursor;
    private List<Sample> peeked;
    private boolean exhausted;

    // Statistics.
    private final LongSupplier nanoTime;
    private final long startNanos;
    private final AtomicLong endNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong deliveredItems = new AtomicLong();
    private final AtomicLong deliveredBatches = new AtomicLong();
    private final AtomicLong deliveredBytes = new AtomicLong();
    private final AtomicLong waitNanos = new AtomicLong();
    private final List<SkippedItem> skipped = Collections.synchronizedList(new ArrayList<>());

    LoaderEpoch(EpochPlan plan, ItemReader reader, LoaderOptions options, ExecutorService executor,
            LongSupplier nanoTime, Consumer<LoaderEpoch> onEnd, ItemArrays arrays, ItemBuffers buffers) {
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
        this.plan = plan;
        this.reader = reader;
        this.options = options;
        this.executor = executor;
        this.onEnd = onEnd;
        this.arrays = arrays;
        this.buffers = buffers;
        this.itemCount = plan.items().size();
        this.outcomes = new AtomicReferenceArray<>(itemCount);
        for (int i = 0; i < itemCount; i++) {
            outcomes.set(i, new CompletableFuture<>());
        }
        this.window = new Semaphore(options.prefetch() * options.batchSize());
        this.workers = new Semaphore(options.numWorkers());
        // Assigned before it can run: a fetch that fails fast cancels it.
        FutureTask<Void> schedulerTask = new FutureTask<>(this::schedule, null);
        this.scheduler = schedulerTask;
        executor.execute(schedulerTask);
    }

    /** The epoch number. */
    public int number() {
        return plan.epoch();
    }

    /** What this epoch delivers, in order. */
    public EpochPlan plan() {
        return plan;
    }

    private void schedule() {
        try {
            for (int i = 0; i < itemCount && !stopped; i++) {
                window.acquire();
                workers.acquire();
                if (stopped) {
                    workers.release();
                    return;
                }
                int index = i;
                FutureTask<Void> task = new FutureTask<>(() -> fetch(index), null);
                inFlight.put(index, task);
                launched.set(index + 1);
                try {
                    executor.execute(task);
                } catch (RejectedExecutionException e) {
                    inFlight.remove(index);
                    workers.release();
                    stop();
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close() or a fail-fast failure stopped the epoch; stop() fails what was not launched.
            Thread.currentThread().interrupt();
        } finally {
            if (launched.get() < itemCount) {
                stop(); // whatever ended the loop early, unlaunched items must not leave the consumer waiting
            }
        }
    }

    private void fetch(int index) {
        DatasetEntry entry = plan.items().get(index);
        Location location = entry.location();
        Outcome outcome = null;
        // The array lent for this item, if any: kept with the item only when the read succeeds. After a failure
        // (or a timeout, whose read may still be writing) it is left to the collector, never lent again.
        Object[] lent = new Object[1];
        try {
            ObjectBytes bytes = read(entry, lent);
            outcome = new Loaded(new Sample(location, bytes), lent[0]);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Failed failure = new Failed(location, e);
            outcome = failure;
            if (options.errorPolicy() == ErrorPolicy.FAIL_FAST && !closed) {
                firstFailure.compareAndSet(null, failure);
                stop();
            }
        } finally {
            // Whatever happened (even an Error), the item gets an outcome: a consumer never waits forever.
            complete(index, outcome != null ? outcome
                    : new Failed(location, new IllegalStateException("fetching " + location + " ended without a result")));
            inFlight.remove(index);
            workers.release();
        }
    }

    /** Reads {@code entry}, into memory of the pool if there is one; {@code lent[0]} is what was lent for it. */
    private ObjectBytes read(DatasetEntry entry, Object[] lent) throws Exception {
        Location location = entry.location();
        java.util.concurrent.Callable<ObjectBytes> call;
        if (buffers != null) {
            IntFunction<java.nio.ByteBuffer> lend = size -> {
                java.nio.ByteBuffer buffer = buffers.lease(size);
                lent[0] = buffer;
                return buffer;
            };
            call = () -> reader.readInto(entry, lend);
        } else if (arrays != null) {
            IntFunction<byte[]> lend = size -> {
                byte[] array = arrays.lease(size);
                lent[0] = array;
                return array;
            };
            call = () -> reader.read(entry, lend);
        } else {
            call = () -> reader.read(entry);
        }
        if (options.itemTimeout().isEmpty()) {
            return call.call();
        }
        Duration timeout = options.itemTimeout().get();
        // The read runs on its own virtual thread so this one can give up on it and interrupt it.
        Future<ObjectBytes> read = executor.submit(call);
        try {
            return read.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new StorageException(location, "read timed out after " + timeout.toMillis() + " ms", e,
                    StorageException.Retry.RETRYABLE);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            read.cancel(true);
        }
    }

    private void complete(int index, Outcome outcome) {
        CompletableFuture<Outcome> future = outcomes.get(index);
        if (future != null) {
            future.complete(outcome);
        }
    }

    /** Stops launching fetches; items never launched fail as "not fetched". Fetches in flight finish. */
    private void stop() {
        stopped = true;
        scheduler.cancel(true);
        for (int i = launched.get(); i < itemCount; i++) {
            complete(i, new Failed(plan.items().get(i).location(), new CancellationException(
                    "not fetched: the epoch stopped" + (closed ? " (closed)" : " after an earlier item failed"))));
        }
    }

    /**
     * The next batch, asynchronously: completes with the batch, with empty at the end of the epoch, or
     * exceptionally with a {@link DataLoaderException} (fail fast, or closed). Calls may be made ahead of
     * time; their futures complete in order. Time spent waiting on these futures is not counted as consumer
     * wait (the caller decides how it waits).
     */
    public CompletableFuture<Optional<List<Sample>>> nextAsync() {
        synchronized (consumerLock) {
            CompletableFuture<Optional<List<Sample>>> next = tail.thenCompose(ignored -> takeNext());
            tail = next.handle((value, failure) -> null);
            return next;
        }
    }

    private CompletableFuture<Optional<List<Sample>>> takeNext() {
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        int index = cursor;
        if (index >= plan.batchCount()) {
            markEnded();
            return CompletableFuture.completedFuture(Optional.empty());
        }
        cursor++;
        int from = index * plan.batchSize();
        int to = Math.min(itemCount, from + plan.batchSize());
        List<CompletableFuture<Outcome>> parts = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            parts.add(outcomes.get(i));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenCompose(ignored -> {
            List<Sample> batch = assemble(from, parts);
            if (batch.isEmpty()) {
                return takeNext();
            }
            return CompletableFuture.completedFuture(Optional.of(batch));
        });
    }

    private List<Sample> assemble(int from, List<CompletableFuture<Outcome>> parts) {
        if (closed) {
            throw closedException();
        }
        List<Sample> batch = new ArrayList<>(parts.size());
        Object[] lent = arrays == null && buffers == null ? null : new Object[parts.size()];
        long bytes = 0;
        for (int i = 0; i < parts.size(); i++) {
            Outcome outcome = parts.get(i).join();
            outcomes.set(from + i, null); // the consumer owns the bytes now; keep no reference to them
            switch (outcome) {
                case Loaded loaded -> {
                    batch.add(loaded.sample());
                    bytes += loaded.sample().size();
                    if (lent != null) {
                        lent[batch.size() - 1] = loaded.lent();
                    }
                }
                case Failed failed -> {
                    if (options.errorPolicy() == ErrorPolicy.FAIL_FAST) {
                        window.release(parts.size());
                        throw failure(failed);
                    }
                    skipped.add(new SkippedItem(failed.location(), failed.cause()));
                }
            }
        }
        window.release(parts.size());
        if (!batch.isEmpty()) {
            deliveredItems.addAndGet(batch.size());
            deliveredBytes.addAndGet(bytes);
            deliveredBatches.incrementAndGet();
        }
        return lent == null ? Collections.unmodifiableList(batch)
                : new Batch(batch, java.util.Arrays.copyOf(lent, batch.size()), buffers != null ? buffers : arrays);
    }

    private DataLoaderException failure(Failed failed) {
        Failed cause = failed.cause() instanceof CancellationException && firstFailure.get() != null
                ? firstFailure.get() : failed;
        return new DataLoaderException(cause.location(), "loading " + cause.location() + " failed: "
                + cause.cause().getMessage(), cause.cause());
    }

    private DataLoaderException closedException() {
        return new DataLoaderException(null, "epoch " + plan.epoch() + " of the data loader was closed", null);
    }

    @Override
    public boolean hasNext() {
        if (peeked != null) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        Optional<List<Sample>> next = await(nextAsync());
        if (next.isEmpty()) {
            exhausted = true;
            return false;
        }
        peeked = next.get();
        return true;
    }

    /**
     * The next batch, blocking until it is complete (the time blocked counts as consumer wait).
     *
     * @throws DataLoaderException naming the URI of a failed item (fail fast), or when the epoch was closed
     */
    @Override
    public List<Sample> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + plan.epoch() + " has no more batches");
        }
        List<Sample> batch = peeked;
        peeked = null;
        return batch;
    }

    private Optional<List<Sample>> await(CompletableFuture<Optional<List<Sample>>> future) {
        long start = nanoTime.getAsLong();
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoaderException(null, "interrupted while waiting for a batch of epoch " + plan.epoch(), e);
        } finally {
            waitNanos.addAndGet(nanoTime.getAsLong() - start);
        }
    }

    private static DataLoaderException unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof DataLoaderException loaderException) {
            return loaderException;
        }
        return new DataLoaderException(null, "loading a batch failed: " + cause, cause);
    }

    /** Items skipped so far under {@link ErrorPolicy#SKIP_AND_REPORT}, in delivery order. */
    public List<SkippedItem> skipped() {
        synchronized (skipped) {
            return List.copyOf(skipped);
        }
    }

    /** A snapshot of what this epoch delivered so far. */
    public LoaderStats stats() {
        long end = endNanos.get();
        long elapsed = (end == Long.MIN_VALUE ? nanoTime.getAsLong() : end) - startNanos;
        return new LoaderStats(deliveredItems.get(), deliveredBatches.get(), deliveredBytes.get(), skipped.size(),
                Duration.ofNanos(elapsed), Duration.ofNanos(waitNanos.get()));
    }

    private void markEnded() {
        if (endNanos.compareAndSet(Long.MIN_VALUE, nanoTime.getAsLong())) {
            onEnd.accept(this);
        }
    }

    /**
     * Stops the epoch: no new fetches, fetches in flight are interrupted, a waiting consumer gets a
     * {@link DataLoaderException}. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        for (Future<?> task : inFlight.values()) {
            task.cancel(true);
        }
        for (int i = 0; i < itemCount; i++) {
            CompletableFuture<Outcome> future = outcomes.get(i);
            if (future != null) {
                future.completeExceptionally(closedException());
            }
        }
        markEnded();
    }
}
