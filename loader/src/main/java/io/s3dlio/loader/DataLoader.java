package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import io.s3dlio.engine.range.RangedObjectStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p>Threads: the loader owns one thread-per-task executor of virtual threads named
 * {@code s3dlio-loader-N-...}; {@link #close()} closes every open epoch, interrupts fetches in flight and waits
 * for those threads to end. The store is the caller's and is not closed.
 */
public final class DataLoader implements Iterable<List<Sample>>, AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long CLOSE_WAIT_SECONDS = 30;

    private final ObjectStore store;
    private final Dataset dataset;
    private final LoaderOptions options;
    private final String threadNamePrefix;
    private final ExecutorService executor;
    private final Optional<RangeEngine> rangeEngine;
    private final Set<LoaderEpoch> open = new LinkedHashSet<>();
    private LoaderStats finished = LoaderStats.ZERO;
    private int nextEpoch;
    private boolean closed;

    private DataLoader(ObjectStore store, Dataset dataset, LoaderOptions options) {
        this.store = store;
        this.dataset = dataset;
        this.options = options;
        int id = IDS.incrementAndGet();
        this.threadNamePrefix = "s3dlio-loader-" + id + "-";
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadNamePrefix, 0).factory());
        this.rangeEngine = options.readMode() == ReadMode.RANGE_ENGINE
                ? Optional.of(new RangeEngine(new RangeConfig(true, RangeConfig.DEFAULT_CHUNK,
                        options.rangeThreshold(), RangeConfig.DEFAULT_CONCURRENCY, RangeConfig.DEFAULT_MAX_IN_FLIGHT),
                        "loader-" + id))
                : Optional.empty();
    }

    /**
     * A loader of {@code dataset} from {@code store}. Sends no request.
     *
     * @throws IllegalArgumentException naming the first entry whose scheme the store does not serve
     */
    public static DataLoader create(ObjectStore store, Dataset dataset, LoaderOptions options) {
        requireNonNull(store, "store is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(options, "options is null");
        Set<String> schemes = store.schemes();
        for (DatasetEntry entry : dataset.entries()) {
            if (!schemes.contains(entry.location().scheme())) {
                throw new IllegalArgumentException("dataset entry " + entry.location() + " is not served by this store"
                        + " (schemes " + schemes + ")");
            }
        }
        return new DataLoader(store, dataset, options);
    }

    public Dataset dataset() {
        return dataset;
    }

    public LoaderOptions options() {
        return options;
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
        LoaderEpoch epoch = new LoaderEpoch(plan, RangeItems.reader(store, plan, newReader()), options, executor, this::ended);
        open.add(epoch);
        nextEpoch = number + 1;
        return epoch;
    }

    private ItemReader newReader() {
        if (rangeEngine.isEmpty()) {
            if (store instanceof RangedObjectStore ranged) {
                // The registry's stores read through the engine: hand it the listing's size so that it sends
                // one plain GET for small objects instead of probing for the size.
                return entry -> entry.size().isPresent()
                        ? ranged.get(entry.location(), entry.size().getAsLong())
                        : ranged.get(entry.location());
            }
            return entry -> store.get(entry.location());
        }
        RangeEngine engine = rangeEngine.get();
        // A store from the registry may already be wrapped in an engine: read through the bare store once.
        ObjectStore bare = store instanceof RangedObjectStore ranged ? ranged.delegate() : store;
        return entry -> engine.read(bare, entry.location(), entry.size());
    }

    /** The prefixes of the threads this loader starts: its own and its range engine's. */
    public List<String> threadNamePrefixes() {
        List<String> prefixes = new ArrayList<>(List.of(threadNamePrefix));
        rangeEngine.ifPresent(engine -> prefixes.add(engine.threadNamePrefix()));
        return List.copyOf(prefixes);
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
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("data loader threads " + threadNamePrefix + "* did not stop within "
                        + CLOSE_WAIT_SECONDS + " s of close()");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            rangeEngine.ifPresent(RangeEngine::close);
        }
    }
}
