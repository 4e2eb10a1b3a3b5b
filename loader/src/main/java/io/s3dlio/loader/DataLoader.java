package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ArrayReads;
import io.s3dlio.spi.BufferReads;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Loads a {@link Dataset} from an {@link ObjectStore} in batches, epoch after epoch, keeping
 * {@code numWorkers} fetches in flight so that the consumer (a training step) waits as little as possible.
 *
 * <pre>{@code
 * LoaderOptions options = LoaderOptions.builder(ConfigSource.fromEnvironment())
 *         .batchSize(64).shuffle(42).build();
 * try (DataLoader loader = DataLoader.create(store, Dataset.fromPrefix(store, prefix), options)) {
 *     for (int epoch = 0; epoch < 3; epoch++) {
 *         try (LoaderEpoch batches = loader.epoch(epoch)) {
 *             while (batches.hasNext()) {
 *                 List<Sample> batch = batches.next();   // always a List, even for batchSize 1
 *                 train(batch);
 *             }
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Threads: by default the loader owns one thread-per-task executor of virtual threads named
 * {@code s3dlio-loader-N-...}; {@link #close()} closes every open epoch, interrupts fetches in flight and waits
 * for those threads to end. {@link #builder} accepts the caller's executor instead (never shut down by the
 * loader) and a clock for the statistics, so tests need no sleeps. The store is the caller's and is not closed.
 */
public final class DataLoader implements Iterable<List<Sample>>, AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ObjectStore store;
    private final Dataset dataset;
    private final LoaderOptions options;
    private final String threadNamePrefix;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final LongSupplier nanoTime;
    /** The arrays items are read into and reused ({@link Builder#reuseArrays}), or null. */
    private final ItemArrays arrays;
    /** The direct buffers items are read into and reused ({@link Builder#reuseBuffers}), or null. */
    private final ItemBuffers buffers;
    private final Set<LoaderEpoch> open = new LinkedHashSet<>();
    private LoaderStats finished = LoaderStats.ZERO;
    private int nextEpoch;
    private boolean closed;

    private DataLoader(Builder builder) {
        this.store = builder.store;
        this.dataset = builder.dataset;
        this.options = builder.options;
        int id = IDS.incrementAndGet();
        this.threadNamePrefix = "s3dlio-loader-" + id + "-";
        this.ownsExecutor = builder.executor == null;
        this.executor = ownsExecutor
                ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadNamePrefix, 0).factory())
                : builder.executor;
        this.nanoTime = builder.nanoTime;
        this.arrays = builder.arrays;
        this.buffers = builder.buffers;
    }

    /**
     * A loader of {@code dataset} from {@code store}. Sends no request.
     *
     * @throws IllegalArgumentException naming the first entry whose scheme the store does not serve
     */
    public static DataLoader create(ObjectStore store, Dataset dataset, LoaderOptions options) {
        return builder(store, dataset, options).build();
    }

    /** A loader with the caller's executor or clock; {@link Builder#build()} checks as {@link #create} does. */
    public static Builder builder(ObjectStore store, Dataset dataset, LoaderOptions options) {
        return new Builder(store, dataset, options);
    }

    /** Settings of a loader beyond its {@link LoaderOptions}: where its threads and its time come from. */
    public static final class Builder {
        private final ObjectStore store;
        private final Dataset dataset;
        private final LoaderOptions options;
        private ExecutorService executor;
        private LongSupplier nanoTime = System::nanoTime;
        private ItemArrays arrays;
        private ItemBuffers buffers;

        private Builder(ObjectStore store, Dataset dataset, LoaderOptions options) {
            this.store = requireNonNull(store, "store is null");
            this.dataset = requireNonNull(dataset, "dataset is null");
            this.options = requireNonNull(options, "options is null");
        }

        /**
         * Runs fetches on {@code value} instead of the loader's own virtual threads. It stays the caller's (the
         * loader never shuts it down) and must run tasks concurrently: an epoch occupies one task for its
         * scheduler plus one per worker.
         */
        public Builder executor(ExecutorService value) {
            this.executor = requireNonNull(value, "executor is null");
            return this;
        }

        /** The clock of the statistics (elapsed time, consumer wait); default the JVM's monotonic clock. */
        public Builder clock(InstantSource value) {
            requireNonNull(value, "clock is null");
            this.nanoTime = () -> {
                Instant now = value.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            };
            return this;
        }

        /**
         * Reads each whole-object item that fills more than half of one of {@code arrays}' arrays (its size as the
         * store reports it) into one, on stores that can ({@link ArrayReads}: S3, through the range engine and the
         * op log), and reuses the arrays of the batches given back with {@link DataLoader#recycle}: no array is
         * zeroed per item, and the window's arrays, long-lived, are not copied from one young collection to the
         * next. Several loaders may share {@code arrays} (one loader per epoch keeps them). Other items are read as
         * without it. Off by default: it pays only when the consumer gives every batch back once it has copied it
         * (the Python package does).
         */
        public Builder reuseArrays(ItemArrays arrays) {
            this.arrays = requireNonNull(arrays, "arrays is null");
            return this;
        }

        /**
         * Reads each whole-object item that fills more than half of one of {@code buffers}' direct buffers into one
         * (on S3 over plain http straight from the socket, {@link BufferReads}; on other stores the store's bytes
         * are copied in), for a consumer that uses the bytes where they are: it takes each item's buffer over
         * ({@link DataLoader#takeBuffer}) and gives it back to {@code buffers} when its last use is gone, or gives
         * whole batches back with {@link DataLoader#recycle}. Replaces {@link #reuseArrays} when both are set.
         * Off by default.
         */
        public Builder reuseBuffers(ItemBuffers buffers) {
            this.buffers = requireNonNull(buffers, "buffers is null");
            return this;
        }

        /**
         * Builds the loader.
         *
         * @throws IllegalArgumentException naming the first entry whose scheme the store does not serve
         */
        public DataLoader build() {
            Set<String> schemes = store.schemes();
            for (DatasetEntry entry : dataset.entries()) {
                if (!schemes.contains(entry.location().scheme())) {
                    throw new IllegalArgumentException("dataset entry " + entry.location() + " is not served by this store"
                            + " (schemes " + schemes + ")");
                }
            }
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public LoaderOptions options() {
        return options;
    }

    /** The arrays items are read into, or null (tests). */
    ItemArrays arrays() {
        return arrays;
    }

    /** The prefix of every thread this loader starts. */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** What {@code epoch} delivers on this rank, computed without I/O. */
    public EpochPlan plan(int epoch) {
        return EpochPlan.of(dataset, options, epoch);
    }

    /**
     * Starts epoch {@code number}: fetching begins at once. Epochs may overlap (each keeps its own window).
     *
     * @throws IllegalStateException when the loader is closed
     */
    public synchronized LoaderEpoch epoch(int number) {
        if (closed) {
            throw new IllegalStateException("the data loader is closed");
        }
        EpochPlan plan = EpochPlan.of(dataset, options, number);
        LoaderEpoch epoch = new LoaderEpoch(plan, RangeItems.reader(store, plan, newReader()), options, executor, nanoTime,
                this::ended, buffers != null ? null : arrays, buffers);
        open.add(epoch);
        nextEpoch = number + 1;
        return epoch;
    }

    /**
     * Each item is one {@link ObjectStore#get(io.s3dlio.api.Location, java.util.OptionalLong)} with the listing's
     * size: the store alone decides whether to split it (the range engine, configured by
     * {@code S3DLIO_RANGE_*}), and the known size spares it a probe.
     */
    private ItemReader newReader() {
        return new ItemReader() {
            @Override
            public ObjectBytes read(DatasetEntry entry) throws Exception {
                return store.get(entry.location(), entry.size());
            }

            @Override
            public ObjectBytes read(DatasetEntry entry, IntFunction<byte[]> into) throws Exception {
                return ArrayReads.get(store, entry.location(), entry.size(), into);
            }

            @Override
            public ObjectBytes readInto(DatasetEntry entry, IntFunction<java.nio.ByteBuffer> into) throws Exception {
                // On a store without BufferReads the bytes are copied into a lent buffer, so the consumer finds
                // every item of a fitting size in one (the copy it would otherwise make itself).
                return BufferReads.getInto(store, entry.location(), entry.size(), into);
            }
        };
    }

    /**
     * Gives the memory of {@code batch}, a batch delivered by a loader built with {@link Builder#reuseArrays}, back to
     * this loader's {@link ItemArrays}: the caller promises not to read the batch's bytes afterwards, since later
     * items are read into the same arrays. Anything else (a batch of a loader without reuse or with other arrays,
     * a copy of one, one given back before) is left alone. Any thread.
     */
    public void recycle(List<Sample> batch) {
        if (batch instanceof Batch own) {
            own.recycle(buffers != null ? buffers : arrays);
        }
    }

    /**
     * Hands the direct buffer that item {@code index} of {@code batch} (a batch of a loader built with
     * {@link Builder#reuseBuffers}) was read into over to the caller, or answers null (an item not in a lent
     * buffer, a batch of another loader, a buffer taken or recycled before). The item's bytes are a view of the
     * buffer from index 0; the caller gives the buffer back to the loader's {@link ItemBuffers} once nothing reads
     * them any more, and a later {@link #recycle} of the batch leaves it alone. Any thread.
     */
    public java.nio.ByteBuffer takeBuffer(List<Sample> batch, int index) {
        return buffers != null && batch instanceof Batch own ? own.take(buffers, index) : null;
    }

    /** The direct buffers items are read into, or null. */
    public ItemBuffers buffers() {
        return buffers;
    }

    /** The prefixes of the threads this loader starts. */
    public List<String> threadNamePrefixes() {
        return List.of(threadNamePrefix);
    }

    /** The next epoch (0, then 1, ...) as an iterator, so that {@code for (List<Sample> batch : loader)} works. */
    @Override
    public synchronized Iterator<List<Sample>> iterator() {
        return epoch(nextEpoch);
    }

    private synchronized void ended(LoaderEpoch epoch) {
        if (open.remove(epoch)) {
            finished = finished.plus(epoch.stats());
        }
    }

    /** Totals over every epoch so far (ended epochs plus the ones still running). */
    public synchronized LoaderStats stats() {
        LoaderStats total = finished;
        for (LoaderEpoch epoch : open) {
            total = total.plus(epoch.stats());
        }
        return total;
    }

    /**
     * Closes open epochs, interrupts fetches in flight and waits (up to 30 s, for stores whose reads ignore
     * interruption) for the loader's threads to end. Idempotent.
     */
    @Override
    public void close() {
        List<LoaderEpoch> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(open);
        }
        for (LoaderEpoch epoch : toClose) {
            epoch.close();
        }
        if (!ownsExecutor) {
            return; // the caller's executor: the epochs closed above have stopped their own tasks
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("data loader threads " + threadNamePrefix + "* did not stop within "
                        + CLOSE_WAIT_SECONDS + " s of close()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
