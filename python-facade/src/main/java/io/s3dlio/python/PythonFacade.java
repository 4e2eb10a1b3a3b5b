package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.format.Npy;
import io.s3dlio.format.Npz;
import io.s3dlio.format.TfRecordIndex;
import io.s3dlio.loader.DataLoader;
import io.s3dlio.loader.Dataset;
import io.s3dlio.loader.DatasetEntry;
import io.s3dlio.loader.ItemArrays;
import io.s3dlio.loader.ItemBuffers;
import io.s3dlio.loader.LastBatch;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.loader.Order;
import io.s3dlio.loader.RecordDatasets;
import io.s3dlio.oplog.OpLogOptions;
import io.s3dlio.oplog.OpLogSwitch;
import io.s3dlio.oplog.OpLogWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * What the Python package {@code s3dlio} calls through JPype: one call per object or per batch, never per byte.
 * Arguments are strings, primitives and direct {@link ByteBuffer}s over Python memory; results are small values
 * or {@link Blob}s that Python copies once into memory it owns. Every failure is a {@link FacadeException} with a
 * kind Python maps onto {@code FileNotFoundError}, {@code PermissionError}, {@code ValueError} or {@code OSError}.
 *
 * <p>Threads: many-object calls run on a transfer engine of their own for the length of the call (virtual threads
 * named {@code s3dlio-transfer-N-...}, {@code maxInFlight} jobs), closed before the call returns;
 * {@link #close()} closes every store.
 */
public final class PythonFacade implements AutoCloseable {
    private final ObjectStores stores;
    private final BulkTransfers transfers;
    /** init_op_log/finalize_op_log: every store this facade hands out records through it. */
    private final OpLogSwitch opLog = new OpLogSwitch();
    private final ObjectStores base;
    /**
     * The item arrays of this facade's loaders by array size (S3DLIO_PYTHON_LOADER_POOL), kept from one loader to the
     * next: Python code often opens a loader per epoch, and may alternate datasets. Least recently used first; sizes
     * are dropped from the front while their idle arrays could exceed the budget together. Loaders still open keep
     * the arrays they started with.
     */
    private final Map<Integer, ItemArrays> loaderArrays = new LinkedHashMap<>(8, 0.75f, true); // guarded by this
    /** The direct item buffers of this facade's loaders by size (S3DLIO_PYTHON_LOADER_DIRECT), kept as the arrays are. */
    private final Map<Integer, ItemBuffers> loaderBuffers = new LinkedHashMap<>(8, 0.75f, true); // guarded by this

    private PythonFacade(ObjectStores stores) {
        this.base = stores;
        this.stores = stores.decoratedWith(opLog);
        this.transfers = new BulkTransfers(this.stores);
    }

    /** A facade over every store on the class path, configured from the process environment. */
    public static PythonFacade create() {
        return new PythonFacade(ObjectStores.create(ConfigSource.fromEnvironment()));
    }

    /** A facade over {@code stores} (tests); it closes them with itself. */
    public static PythonFacade create(ObjectStores stores) {
        return new PythonFacade(requireNonNull(stores, "stores is null"));
    }

    private ObjectStore store(Location location) throws IOException {
        return stores.forLocation(location);
    }

    /** One call on the store of one object or prefix. */
    @FunctionalInterface
    private interface StoreCall<T> {
        T call(ObjectStore store, Location location) throws IOException;
    }

    /** Parses {@code uri} and runs {@code call} on its store; any failure is translated for Python, naming {@code uri}. */
    private <T> T onStore(String uri, StoreCall<T> call) throws FacadeException {
        Location location = BulkTransfers.parse(uri);
        try {
            return call.call(store(location), location);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** The whole object. */
    public Blob get(String uri) throws FacadeException {
        return onStore(uri, (store, location) -> new Blob(List.of(uri), List.of(store.get(location))));
    }

    /** {@code [offset, offset + length)}, or to the end when {@code length} is negative. */
    public Blob getRange(String uri, long offset, long length) throws FacadeException {
        Location location = BulkTransfers.parse(uri);
        try {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative, got " + offset);
            }
            OptionalLong wanted = length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
            return new Blob(List.of(uri), List.of(store(location).getRange(location, offset, wanted)));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Every object, at most {@code maxInFlight} at once, in the order given; fails naming the first failure. */
    public Blob getMany(String[] uris, int maxInFlight) throws FacadeException {
        return transfers.getMany(List.of(uris), maxInFlight);
    }

    /**
     * Reads the object into {@code target} (a direct buffer over the caller's NumPy array) with positional reads:
     * no intermediate copy. Returns the object's size.
     *
     * @throws FacadeException INVALID when the object does not fit
     */
    public long readInto(String uri, ByteBuffer target) throws FacadeException {
        Location location = BulkTransfers.parse(uri);
        try {
            ObjectStore store = store(location);
            int capacity = target.remaining();
            long offset = 0;
            OptionalLong size = OptionalLong.empty();
            while (true) {
                ReadResult result = store.read(location, offset, target);
                offset += result.bytesRead();
                if (result.objectSize().isPresent()) {
                    size = result.objectSize();
                }
                if (size.isPresent() ? offset >= size.getAsLong() : result.bytesRead() == 0) {
                    break;
                }
                if (!target.hasRemaining()) {
                    long total = size.isPresent() ? size.getAsLong() : store.stat(location).size();
                    if (total > capacity) {
                        throw new IllegalArgumentException("the object holds " + total + " bytes but the array only "
                                + capacity);
                    }
                    break;
                }
            }
            return offset;
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /** Writes the remaining bytes of {@code data} as the whole object. */
    public void put(String uri, ByteBuffer data) throws FacadeException {
        onStore(uri, (store, location) -> {
            store.put(location, data, WriteOptions.DEFAULT);
            return null;
        });
    }

    /** Writes {@code data[i]} to {@code uris[i]}, at most {@code maxInFlight} at once; failures returned. */
    public Failures putMany(String[] uris, ByteBuffer[] data, int maxInFlight) throws FacadeException {
        return transfers.putMany(List.of(uris), List.of(data), maxInFlight);
    }

    /** A lazy listing: recursive, or one level (sub-prefixes end in '/'). */
    public Lister list(String uri, boolean recursive) throws FacadeException {
        ListMode mode = recursive ? ListMode.RECURSIVE : ListMode.ONE_LEVEL;
        return onStore(uri, (store, location) -> new Lister(uri, store.list(location, mode)));
    }

    public StatInfo stat(String uri) throws FacadeException {
        return onStore(uri, (store, location) -> StatInfo.of(store.stat(location)));
    }

    public boolean exists(String uri) throws FacadeException {
        return onStore(uri, ObjectStore::exists);
    }

    /** Deletes one object; an absent object is not an error. */
    public void delete(String uri) throws FacadeException {
        onStore(uri, (store, location) -> {
            store.delete(location);
            return null;
        });
    }

    /** Deletes everything under the prefix; per-object failures are returned. */
    public Failures deletePrefix(String uri) throws FacadeException {
        DeleteResult result = onStore(uri, ObjectStore::deletePrefix);
        List<String> failed = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        for (DeleteResult.Failure failure : result.failures()) {
            failed.add(failure.location().toString());
            causes.add(failure.cause());
        }
        return new Failures(result.deleted(), failed, causes);
    }

    /** Copies an object: server-side within one store where it can, through this process across stores. */
    public void copy(String sourceUri, String targetUri) throws FacadeException {
        Location source = BulkTransfers.parse(sourceUri);
        Location target = BulkTransfers.parse(targetUri);
        try {
            ObjectStore from = store(source);
            ObjectStore to = store(target);
            if (from == to) {
                from.copy(source, target);
            } else {
                ObjectBytes bytes = from.get(source);
                to.put(target, bytes.buffer(), WriteOptions.DEFAULT);
            }
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(sourceUri, e);
        }
    }

    /** Uploads {@code files[i]} to {@code uris[i]}; failures returned. */
    public Failures upload(String[] files, String[] uris, int maxInFlight) throws FacadeException {
        if (files.length != uris.length) {
            throw new FacadeException(FacadeException.Kind.INVALID, "", files.length + " files but " + uris.length
                    + " URIs", null);
        }
        return transfers.upload(List.of(files), List.of(uris), maxInFlight);
    }

    /** Downloads one object or a prefix into {@code directory}; failures returned. */
    public Failures download(String uri, String directory, int maxInFlight) throws FacadeException {
        return transfers.download(uri, directory, maxInFlight);
    }

    /** A streaming writer; nothing is visible until {@link StreamWriter#finish()}. */
    public StreamWriter openWriter(String uri) throws FacadeException {
        return onStore(uri, (store, location) -> new StreamWriter(uri, store.newWriter(location, WriteOptions.DEFAULT)));
    }

    /** Creates a bucket/container (a directory on file stores). */
    public void createBucket(String uri) throws FacadeException {
        onStore(uri, (store, location) -> {
            store.createContainer(location);
            return null;
        });
    }

    /** Deletes an empty bucket/container. */
    public void deleteBucket(String uri) throws FacadeException {
        onStore(uri, (store, location) -> {
            store.deleteContainer(location);
            return null;
        });
    }

    /**
     * A data loader over every object under {@code uri} (one listing; sizes kept) or over the explicit
     * {@code uris} when given.
     */
    public LoaderSession openLoader(String uri, String[] uris, LoaderSpec spec) throws FacadeException {
        Location location = BulkTransfers.parse(uri);
        Optional<ObjectStores> owned = Optional.empty();
        try {
            ObjectStore store = store(location);
            Dataset dataset = uris == null ? Dataset.fromPrefix(store, location) : Dataset.fromUris(List.of(uris));
            LoaderOptions.Builder options = LoaderOptions.builder(stores.config())
                    .batchSize(spec.batchSize())
                    .prefetch(spec.prefetch())
                    .lastBatch(spec.dropLast() ? LastBatch.DROP : LastBatch.KEEP)
                    .order(spec.shuffle() ? Order.SHUFFLED : Order.SEQUENTIAL)
                    .seed(spec.seed());
            if (spec.numWorkers() != null) {
                options.numWorkers(spec.numWorkers());
            }
            if (spec.shardRank() != null || spec.shardWorldSize() != null) {
                if (spec.shardRank() == null || spec.shardWorldSize() == null) {
                    throw new IllegalArgumentException("shard_rank and shard_world_size go together: set both or neither");
                }
                options.shard(spec.shardRank(), spec.shardWorldSize());
            }
            String mode = spec.readerMode().toLowerCase(Locale.ROOT);
            switch (mode) {
                case "sequential" -> { }
                case "range" -> {
                    // part_size and max_inflight_parts are this loader's range settings: a registry of its own
                    // whose S3DLIO_RANGE_* values they override, so the range engine (the one place that splits
                    // reads) splits every item at or above part_size.
                    long inFlight = Math.max(RangeConfig.DEFAULT_MAX_IN_FLIGHT, spec.partSize() * spec.maxInflightParts());
                    ObjectStores ranged = ObjectStores.create(stores.config().withOverrides(Map.of(
                            RangeConfig.ENABLE, "true",
                            RangeConfig.CHUNK_SIZE, Long.toString(spec.partSize()),
                            RangeConfig.THRESHOLD_MB, Double.toString((double) spec.partSize() / (1024 * 1024)),
                            RangeConfig.CONCURRENCY, Integer.toString(spec.maxInflightParts()),
                            RangeConfig.MAX_IN_FLIGHT, Long.toString(inFlight))));
                    owned = Optional.of(ranged);
                    store = opLog.decorate(ranged.forLocation(location), ranged.config());
                }
                default -> throw new IllegalArgumentException("reader_mode must be 'sequential' or 'range', got '"
                        + spec.readerMode() + "'");
            }
            if (spec.records() != null) {
                // Record-level items: each record (or NPZ member) is a dataset entry read with one range request.
                dataset = switch (spec.records().toLowerCase(Locale.ROOT)) {
                    case "tfrecord" -> RecordDatasets.tfRecords(store, dataset);
                    case "npz" -> RecordDatasets.npzMembers(store, dataset);
                    default -> throw new IllegalArgumentException("records must be 'tfrecord' or 'npz', got '"
                            + spec.records() + "'");
                };
            }
            LoaderOptions built = options.build();
            DataLoader.Builder loader = DataLoader.builder(store, dataset, built);
            ItemBuffers buffers = reuseBuffers(loader, dataset, built);
            boolean recycles = buffers != null || reuseArrays(loader, dataset, built);
            return new LoaderSession(uri, loader.build(), owned, recycles, buffers);
        } catch (IOException | RuntimeException e) {
            if (owned.isPresent()) {
                try {
                    owned.get().close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw Errors.translate(uri, e);
        }
    }

    /**
     * Turns on the loader's reuse of item arrays within {@value #LOADER_POOL}'s budget: arrays of the dataset's
     * largest listed whole object, at most {@code (prefetch + 2) * batch_size} of them idle (the window, the batch
     * being copied and one more), fewer when those would exceed the budget; shared with the facade's other loaders
     * of that size. Off when the budget is 0, when no size is listed (explicit URIs) or when one array would exceed
     * the budget.
     *
     * @return whether the loader reuses arrays (its batches must then go back to it, see {@link LoaderSession})
     */
    private boolean reuseArrays(DataLoader.Builder loader, Dataset dataset, LoaderOptions options) {
        long budget = stores.config().dataSize(LOADER_POOL).orElse(DEFAULT_LOADER_POOL);
        long largest = largestWholeObject(dataset);
        if (budget <= 0 || largest <= 0 || largest > budget || largest > Integer.MAX_VALUE - 8) {
            return false;
        }
        int idle = (int) Math.min((long) (options.prefetch() + 2) * options.batchSize(), budget / largest);
        loader.reuseArrays(sharedArrays((int) largest, idle, budget));
        return true;
    }

    /**
     * Turns on the loader's direct item buffers (Python then views each item where it was read, no copy) when the
     * dataset's largest listed whole object is at least {@value #LOADER_DIRECT} (default
     * {@value #DEFAULT_LOADER_DIRECT} bytes; 0 turns it off), within {@value #LOADER_POOL}'s budget as the arrays
     * are: at most {@code (prefetch + 3) * batch_size} idle (the window and the two batches Python's loop still
     * views when it asks for the next), fewer when those would exceed the budget. Smaller
     * items are copied as before: one copy per batch costs less there than a view and a finalizer per item.
     *
     * @return the buffers, or null (the arrays or nothing, see {@link #reuseArrays})
     */
    private ItemBuffers reuseBuffers(DataLoader.Builder loader, Dataset dataset, LoaderOptions options) {
        long from = stores.config().dataSize(LOADER_DIRECT).orElse(DEFAULT_LOADER_DIRECT);
        long budget = stores.config().dataSize(LOADER_POOL).orElse(DEFAULT_LOADER_POOL);
        long largest = largestWholeObject(dataset);
        if (from <= 0 || largest < from || budget <= 0 || largest > budget || largest > Integer.MAX_VALUE - 8) {
            return null;
        }
        int idle = (int) Math.min((long) (options.prefetch() + 3) * options.batchSize(), budget / largest);
        ItemBuffers buffers = sharedBuffers((int) largest, idle, budget);
        loader.reuseBuffers(buffers);
        return buffers;
    }

    /** The dataset's largest listed whole object (ranged items and unlisted sizes left out), or 0. */
    private static long largestWholeObject(Dataset dataset) {
        long largest = 0;
        for (DatasetEntry entry : dataset.entries()) {
            if (entry.range().isEmpty() && entry.size().isPresent()) {
                largest = Math.max(largest, entry.size().getAsLong());
            }
        }
        return largest;
    }

    private synchronized ItemBuffers sharedBuffers(int bufferBytes, int maxIdle, long budget) {
        return shared(loaderBuffers, bufferBytes, maxIdle, budget, idle -> new ItemBuffers(bufferBytes, idle),
                ItemBuffers::maxIdle);
    }

    private synchronized ItemArrays sharedArrays(int arrayBytes, int maxIdle, long budget) {
        return shared(loaderArrays, arrayBytes, maxIdle, budget, idle -> new ItemArrays(arrayBytes, idle),
                ItemArrays::maxIdle);
    }

    /**
     * The pool of {@code bytes}-sized memory in {@code pools} (keyed by that size, least recently used first), or
     * a new one from {@code make} when there is none or it keeps fewer than {@code maxIdle} idle; then the least
     * recently used other sizes are dropped while all pools' idle bytes together exceed {@code budget}. The
     * caller holds this facade's lock.
     */
    private static <T> T shared(Map<Integer, T> pools, int bytes, int maxIdle, long budget, IntFunction<T> make,
            ToIntFunction<T> maxIdleOf) {
        T current = pools.get(bytes);
        if (current != null && maxIdleOf.applyAsInt(current) >= maxIdle) {
            return current;
        }
        current = make.apply(maxIdle);
        pools.put(bytes, current);
        long idleBytes = 0;
        for (Map.Entry<Integer, T> pool : pools.entrySet()) {
            idleBytes += (long) maxIdleOf.applyAsInt(pool.getValue()) * pool.getKey();
        }
        for (var oldest = pools.entrySet().iterator(); idleBytes > budget && oldest.hasNext(); ) {
            Map.Entry<Integer, T> pool = oldest.next();
            if (pool.getValue() != current) {
                idleBytes -= (long) maxIdleOf.applyAsInt(pool.getValue()) * pool.getKey();
                oldest.remove();
            }
        }
        return current;
    }

    /** The most bytes of item arrays a Python loader keeps for reuse (a size, e.g. {@code 512MiB}; 0 turns reuse off). */
    static final String LOADER_POOL = "S3DLIO_PYTHON_LOADER_POOL";
    static final long DEFAULT_LOADER_POOL = 256L * 1024 * 1024;
    /**
     * The largest listed item from which a Python loader hands items over as views of direct buffers instead of
     * copies (a size, e.g. {@code 256KiB}; 0 turns it off).
     */
    static final String LOADER_DIRECT = "S3DLIO_PYTHON_LOADER_DIRECT";
    static final long DEFAULT_LOADER_DIRECT = 256L * 1024;

    /** The array of an NPY object (one whole-object read); the payload is handed over as it was read. */
    public ArrayBlob readNpy(String uri) throws FacadeException {
        return onStore(uri, (store, location) -> new ArrayBlob(uri, List.of(Npy.read(store, location))));
    }

    /**
     * Arrays of an NPZ object: array {@code name} alone through range reads (the central directory, then the
     * member), or every array, in file order, from one whole-object read when {@code name} is null.
     */
    public ArrayBlob readNpz(String uri, String name) throws FacadeException {
        return new ArrayBlob(uri, onStore(uri, (store, location) -> name == null
                ? List.copyOf(Npz.read(store, location).values()) : List.of(Npz.readArray(store, location, name))));
    }

    /**
     * Builds the DALI index of a TFRecord object by walking its headers with range reads (never the whole file)
     * and writes it to {@code indexUri} ({@code URI.idx} when null).
     */
    public TfRecordIndexEntries createTfRecordIndex(String uri, String indexUri) throws FacadeException {
        Location location = BulkTransfers.parse(uri);
        Location target = indexUri == null ? TfRecordIndex.defaultLocation(location) : BulkTransfers.parse(indexUri);
        TfRecordIndex index;
        try {
            index = TfRecordIndex.build(store(location), location);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
        try {
            var unused = index.write(store(target), target);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(target.toString(), e);
        }
        return new TfRecordIndexEntries(index);
    }

    /** Reads and parses a DALI index object. */
    public TfRecordIndexEntries readTfRecordIndex(String indexUri) throws FacadeException {
        Location location = BulkTransfers.parse(indexUri);
        try {
            return new TfRecordIndexEntries(TfRecordIndex.read(store(location), location));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(indexUri, e);
        }
    }

    /** Parses an index in DALI's text format; {@code source} names it in errors. */
    public TfRecordIndexEntries parseTfRecordIndex(String text, String source) throws FacadeException {
        try {
            return new TfRecordIndexEntries(TfRecordIndex.parse(text, source));
        } catch (RuntimeException e) {
            throw Errors.translate(source, e);
        }
    }

    /** The index of TFRecord bytes held in memory (the remaining bytes of {@code data}). */
    public TfRecordIndexEntries indexTfRecordBytes(ByteBuffer data, String source) throws FacadeException {
        try {
            return new TfRecordIndexEntries(TfRecordIndex.of(ObjectBytes.wrap(data), source));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(source, e);
        }
    }

    /**
     * A checkpoint store under {@code uri} (see {@link CheckpointSession}). {@code layout}: {@code flat},
     * {@code round_robin} or {@code binary}; {@code zstdLevel}: null for no compression; {@code partSize}: null for
     * the store's adaptive policy.
     */
    public CheckpointSession openCheckpoints(String uri, String layout, Integer zstdLevel, Long partSize,
            int readConcurrency) throws FacadeException {
        Location location = BulkTransfers.parse(uri);
        try {
            io.s3dlio.checkpoint.CheckpointConfig config = io.s3dlio.checkpoint.CheckpointConfig.DEFAULT
                    .withLayout(io.s3dlio.checkpoint.ShardLayout.parse(layout))
                    .withReadConcurrency(readConcurrency);
            if (zstdLevel != null) {
                config = config.withCompression(io.s3dlio.api.Compression.zstd(zstdLevel));
            }
            if (partSize != null) {
                config = config.withPartSize(partSize);
            }
            return new CheckpointSession(uri, new io.s3dlio.checkpoint.CheckpointStore(store(location), location, config));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
    }

    /**
     * Starts the operation log (the original's {@code init_op_log}): every operation from here on is a line of
     * {@code path} (warp's {@code .csv.zst} format, module oplog), until {@link #finalizeOpLog()} or
     * {@link #close()}. The same path again while it is active does nothing; another one is refused.
     */
    public void initOpLog(String path) throws FacadeException {
        try {
            opLog.start(OpLogOptions.fromConfig(stores.config(), Path.of(path)));
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(path, e instanceof IllegalStateException ? new IllegalArgumentException(e.getMessage(), e) : e);
        }
    }

    /** Finishes the operation log (complete under its final name); its counts, or null when none was active. */
    public String finalizeOpLog() throws FacadeException {
        try {
            return opLog.finish().map(OpLogWriter.Stats::toString).orElse(null);
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(opLog.active().map(Path::toString).orElse(""), e);
        }
    }

    /** The active operation log's file, or null. */
    public String opLogPath() {
        return opLog.active().map(Path::toString).orElse(null);
    }

    /** Finishes any operation log and closes every store. Idempotent. */
    @Override
    public void close() throws IOException {
        try {
            stores.close();
        } finally {
            base.close();
        }
    }
}
