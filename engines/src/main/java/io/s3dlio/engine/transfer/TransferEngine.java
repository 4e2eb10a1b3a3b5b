package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.engine.buffer.BufferPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Moves many objects at once: many-object get (to memory, to files, in order, or discarded), many-object put,
 * directory upload and download keeping structure, recursive copy between any two stores, and delete of an
 * explicit list. Built on the {@link ObjectStore} API alone: whether a large read is split into ranged
 * requests is the store's decision (the range engine, {@code S3DLIO_RANGE_*}), never this engine's.
 *
 * <pre>{@code
 * try (ObjectStores stores = ObjectStores.create(ConfigSource.fromEnvironment());
 *         TransferEngine engine = TransferEngine.builder(stores::forLocation).build()) {
 *     TransferResult result = engine.downloadDirectory(Location.parse("s3://bucket/data/"), ListMode.RECURSIVE,
 *             Path.of("/scratch/data"), TransferOptions.jobs(32), TransferListener.NONE).await();
 *     result.failures().forEach(f -> System.err.println(f.item() + ": " + f.cause().getMessage()));
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Results, not exceptions.</b> Every operation returns a {@link TransferHandle} at once; per-item
 *       failures (a missing object, a refused key, a failed write) are {@link ItemFailure}s of the
 *       {@link TransferResult}. An operation throws only when it cannot start: a bad argument, a listing
 *       whose first page fails (a missing bucket), a closed engine.</li>
 *   <li><b>Progress</b> goes to a {@link TransferListener} with a fixed lifecycle and immutable snapshots.</li>
 *   <li><b>Bounded work and memory.</b> At most {@link TransferOptions#jobs()} items in flight; listings are
 *       consumed as items complete, never held whole. Buffers: see {@link TransferConfig}.</li>
 *   <li><b>Files.</b> A download is written under a hidden temporary name beside the target, flushed to the device
 *       (unless {@link Builder#fsync} is off), then renamed over it: nothing partial appears under a final name,
 *       also on failure or cancellation.</li>
 *   <li><b>Threads.</b> By default one virtual thread per task from an executor this engine owns, named
 *       {@code s3dlio-transfer-N-}; {@link #close()} cancels running transfers and joins them. An executor
 *       given to the builder is the caller's: it must run tasks concurrently (a thread-per-task executor),
 *       and the engine never shuts it down.</li>
 * </ul>
 */
public final class TransferEngine implements AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long CLOSE_WAIT_SECONDS = 60;
    /** The most bytes of a chunk a file is read through (see {@link #channelChunk}). */
    private static final int CHANNEL_CHUNK = 1024 * 1024;

    /** s3-cli's variable for {@link Builder#directWrites} (true or false; default: as {@link #FSYNC}). */
    public static final String DIRECT_WRITES = "S3DLIO_DOWNLOAD_DIRECT_IO";

    /** s3-cli's variable for {@link Builder#fsync} (true or false; default true). */
    public static final String FSYNC = "S3DLIO_DOWNLOAD_FSYNC";

    /** Temporary download files being written, so a process that is killed (Ctrl-C) can remove them. */
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();

    private final StoreLookup stores;
    private final TransferConfig config;
    private final ExecutorService executor;
    private final boolean ownsExecutor;
    private final InstantSource clock;
    private final String threadNamePrefix;
    private final BlockingQueue<ByteBuffer> buffers;
    /** Aligned buffers for direct file writes; null when downloads write through the page cache only. */
    private final BufferPool staging;
    private final WriteBackBudget pageCache;
    /** Whether a downloaded file is flushed to the device ({@code fdatasync}) before its rename. */
    private final boolean fsync;
    private final Set<Run> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private TransferEngine(Builder builder) {
        this.stores = builder.stores;
        this.config = builder.config;
        this.clock = builder.clock;
        this.threadNamePrefix = "s3dlio-transfer-" + IDS.incrementAndGet() + "-";
        this.ownsExecutor = builder.executor == null;
        this.executor = ownsExecutor
                ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadNamePrefix, 0).factory())
                : builder.executor;
        // Chunk buffers are reused across items; at most this many stay allocated while idle.
        this.buffers = new ArrayBlockingQueue<>(64);
        boolean direct = builder.directWrites == null || builder.directWrites;
        this.staging = direct ? DownloadFile.stagingBuffers(64) : null;
        // Unflushed and not set: the page cache while the kernel would not yet write back, O_DIRECT past that.
        this.pageCache = builder.directWrites == null && !builder.fsync ? builder.writeBack : null;
        this.fsync = builder.fsync;
    }

    /** A builder for an engine resolving locations with {@code stores}. */
    public static Builder builder(StoreLookup stores) {
        return new Builder(stores);
    }

    /** Settings of an engine; each may be set once or left at its default. */
    public static final class Builder {
        private final StoreLookup stores;
        private TransferConfig config = TransferConfig.DEFAULT;
        private ExecutorService executor;
        private InstantSource clock = Clock.systemUTC();
        /** Null: by {@link #fsync} and the kernel's write-back threshold. */
        private Boolean directWrites;
        private WriteBackBudget writeBack = WriteBackBudget.system();
        private boolean fsync = true;

        private Builder(StoreLookup stores) {
            this.stores = requireNonNull(stores, "stores is null");
        }

        public Builder config(TransferConfig value) {
            this.config = requireNonNull(value, "config is null");
            return this;
        }

        /**
         * Runs every task on {@code value} instead of the engine's own virtual threads. The executor stays the
         * caller's (never shut down by the engine) and must run tasks concurrently: a transfer occupies one
         * task for its coordinator plus one per job.
         */
        public Builder executor(ExecutorService value) {
            this.executor = requireNonNull(value, "executor is null");
            return this;
        }

        /** The clock for elapsed times in snapshots and results (default: the system clock). */
        public Builder clock(InstantSource value) {
            this.clock = requireNonNull(value, "clock is null");
            return this;
        }

        /**
         * Whether downloads to files write the whole blocks of large pieces (1 MiB or more) with {@code O_DIRECT},
         * past the page cache (true), or through it (false). Unset, the engine decides by {@link #fsync}:
         * <ul>
         *   <li>flushed downloads (the default) write directly: their bytes have to reach the device before the
         *       rename anyway, and this way the kernel neither copies them into the page cache nor writes them
         *       back at the flush (37 % of a 1 GiB download's CPU in a profile);</li>
         *   <li>unflushed ones go through the page cache while the bytes left dirty stay under the kernel's
         *       background write-back threshold ({@link WriteBackBudget}), and directly past it. Below that line
         *       a download is done once its bytes are in memory, as with rclone and the aws CLI, and the file stays
         *       cached for the reader that follows; past it the kernel writes back during the download and then
         *       throttles it to the device's speed, and the copy into the page cache is pure cost
         *       (docs/BENCHMARKS.md, "GET 1 GiB: page-cache writes when nothing is flushed").</li>
         * </ul>
         * Filesystems that refuse {@code O_DIRECT} get page-cache writes whatever this says.
         */
        public Builder directWrites(boolean value) {
            this.directWrites = value;
            return this;
        }

        /** The write-back budget of unflushed downloads (tests); default: this machine's. */
        Builder writeBack(WriteBackBudget value) {
            this.writeBack = requireNonNull(value, "value is null");
            return this;
        }

        /**
         * Whether each downloaded file is flushed to the device ({@code fdatasync}) before it is renamed into place
         * (default true): after a power loss or an operating-system crash a file under its final name then holds
         * its whole content. False skips the flush, as {@code rclone}, the aws CLI and {@code cp} do: the rename
         * still comes only after the last byte was written, so an interrupted or failed download never leaves a
         * partial file under the final name while the machine keeps running; only a crash of the machine itself
         * in the seconds before the kernel writes the pages back can leave a renamed file short or empty. On
         * 5,000 files of 64 KiB the flush cost about a quarter of the client's CPU and half the wall time (each
         * job waits the device's write latency per file): docs/CONFIGURATION.md, {@code S3DLIO_DOWNLOAD_FSYNC}.
         */
        public Builder fsync(boolean value) {
            this.fsync = value;
            return this;
        }

        public TransferEngine build() {
            return new TransferEngine(this);
        }
    }

    public TransferConfig config() {
        return config;
    }

    /** How large pieces of downloads go to files. */
    enum LargeWrites { PAGE_CACHE, DIRECT, PAGE_CACHE_THEN_DIRECT }

    LargeWrites largeWrites() {
        return staging == null ? LargeWrites.PAGE_CACHE
                : pageCache == null ? LargeWrites.DIRECT : LargeWrites.PAGE_CACHE_THEN_DIRECT;
    }

    /** Prefix of the names of this engine's own threads (when it owns its executor). */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** Deletes the temporary files of downloads still in progress, for a shutdown hook of a process being killed. */
    public static void deleteTemporaryFiles() {
        for (Path temporary : TEMPORARIES) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // Best effort while the process ends: the file has a hidden temporary name, never the real one.
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- reads

    /**
     * Many-object get: reads each object of {@code objects} (iterated lazily, as slots free up) into
     * {@code target}. Each object is one item, named by its URI.
     */
    public TransferHandle get(Iterable<ObjectRef> objects, GetTarget target, TransferOptions options,
            TransferListener listener) {
        requireNonNull(objects, "objects is null");
        requireNonNull(target, "target is null");
        Iterator<ObjectRef> refs = objects.iterator();
        return start("get", "get", options, listener, map(refs, ref -> readTask(ref, target)), null);
    }

    /**
     * Gets what {@code source} names: with {@link ListMode#RECURSIVE} every object under it (as a prefix),
     * with {@link ListMode#ONE_LEVEL} the object itself when it exists, else the objects one level below it.
     * Sizes come from the listing, so no read probes for one.
     *
     * @throws IOException when the listing cannot start (for example the bucket does not exist)
     */
    public TransferHandle getAll(Location source, ListMode mode, GetTarget target, TransferOptions options,
            TransferListener listener) throws IOException {
        requireNonNull(source, "source is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(target, "target is null");
        ObjectStore store = stores.forLocation(source);
        if (mode == ListMode.ONE_LEVEL && source.isObject() && store.exists(source)) {
            return start("get", source.toString(), options, listener,
                    List.of(readTask(ObjectRef.of(source), target)).iterator(), null);
        }
        Location listed = mode == ListMode.RECURSIVE ? source.asPrefix() : source;
        Stream<ListEntry> entries = store.list(listed, mode);
        Iterator<Task> tasks = map(objectsOf(entries), ref -> readTask(ref, target));
        return start("get", listed.toString(), options, listener, startListing(tasks, entries), entries);
    }

    /**
     * Downloads the objects {@link #getAll} finds into {@code directory}, keeping their paths below
     * {@link #keyBase(Location) keyBase(source)}: {@code p/data} keeps the {@code data/} directory,
     * {@code p/data/} writes its contents (as {@code cp -r}). Keys that would land outside the directory are
     * refused as items ({@link RefusedPathException}), never written.
     */
    public TransferHandle downloadDirectory(Location source, ListMode mode, Path directory, TransferOptions options,
            TransferListener listener) throws IOException {
        Files.createDirectories(directory);
        return getAll(source, mode, GetTarget.toFiles(FileNames.under(directory, keyBase(source))), options, listener);
    }

    /**
     * The part of a key that a recursive transfer drops: everything up to and including the last '/' of the
     * source's key.
     */
    public static String keyBase(Location source) {
        String key = source.key();
        return key.substring(0, key.lastIndexOf('/') + 1);
    }

    private Task readTask(ObjectRef ref, GetTarget target) {
        Location location = ref.location();
        String uri = location.toString();
        return new Task(uri, progress -> {
            ObjectStore store = stores.forLocation(location);
            return switch (target) {
                case GetTarget.Discard discard -> new ItemDone(uri, "", store.readInto(location, ref.size(),
                        (offset, bytes) -> progress.accept(bytes.remaining())));
                case GetTarget.ToMemory memory -> {
                    ObjectBytes bytes = store.get(location, ref.size());
                    progress.accept(bytes.size());
                    memory.consumer().accept(ref, bytes);
                    yield new ItemDone(uri, "", bytes.size());
                }
                case GetTarget.InOrder ordered -> new ItemDone(uri, "",
                        readInOrder(store, ref, chunk -> ordered.consumer().accept(location, chunk), progress));
                case GetTarget.ToFiles files -> {
                    Path file = files.names().fileFor(location);
                    if (location.key().endsWith("/")) {
                        // A directory marker object ("dir/"): the directory is all there is to write.
                        Files.createDirectories(file);
                        yield new ItemDone(uri, file.toString(), 0);
                    }
                    yield new ItemDone(uri, file.toString(), downloadFile(store, ref, file, progress));
                }
            };
        });
    }

    /** Receives an object's bytes in order. */
    @FunctionalInterface
    private interface OrderedSink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /**
     * Reads an object in order, one window at a time: a store that splits reads splits each window, so chunks
     * arrive concurrently while at most one window per object is held.
     */
    private long readInOrder(ObjectStore store, ObjectRef ref, OrderedSink sink, LongConsumer progress)
            throws IOException {
        Location location = ref.location();
        long window = config.windowSize();
        if (ref.size().isPresent() && ref.size().getAsLong() <= window) {
            ObjectBytes bytes = store.get(location, ref.size());
            sink.accept(bytes.buffer());
            progress.accept(bytes.size());
            return bytes.size();
        }
        long offset = 0;
        // Windows arrive in order: a running CRC32C (or MD5, where the store keeps no CRC32C) checks an object
        // of several windows against the store's, chosen by one stat once the first window shows more follow
        // (a single window is a whole-object read, which the store checks itself). The bytes are streamed
        // already when a mismatch is found; the read still fails naming the object.
        io.s3dlio.spi.BodyDigest check = null;
        while (true) {
            ObjectBytes bytes = store.getRange(location, offset, OptionalLong.of(window));
            if (bytes.isEmpty()) {
                break;
            }
            if (offset == 0 && bytes.size() == window
                    && (ref.size().isEmpty() || ref.size().getAsLong() > window)) {
                check = io.s3dlio.spi.BodyDigest.ofStored(store, location).orElse(null);
            }
            if (check != null) {
                check.update(bytes.buffer());
            }
            sink.accept(bytes.buffer());
            offset += bytes.size();
            progress.accept(bytes.size());
            if (bytes.size() < window || (ref.size().isPresent() && offset >= ref.size().getAsLong())) {
                break;
            }
        }
        if (ref.size().isPresent() && offset != ref.size().getAsLong()) {
            throw new IOException(location + ": the object changed size while being read (" + ref.size().getAsLong()
                    + " bytes listed, " + offset + " read)");
        }
        if (check != null && check.bytes() == offset) {
            check.verify(location);
        }
        return offset;
    }

    /**
     * A local file's bytes into {@code writer} through the store's positional reads ({@link ObjectStore#read}),
     * so a writer with part buffers reads straight into them: no 64 MiB window allocated per read (which grew the
     * heap of a 1 GiB {@code cp} to over 1 GiB) and no copy; every read still goes through the store and its
     * decorators (the op-log records it). Only for file://, where a positional read is a system call; a remote
     * source keeps {@link #readInOrder}'s windows (one request each).
     */
    private long readPositional(ObjectStore store, ObjectRef ref, ObjectWriter writer, LongConsumer progress)
            throws IOException {
        Location location = ref.location();
        ReadableByteChannel channel = new ReadableByteChannel() {
            private long position;

            @Override
            public int read(ByteBuffer into) throws IOException {
                int n = store.read(location, position, into).bytesRead();
                if (n == 0 && into.hasRemaining()) {
                    return -1;
                }
                position += n;
                progress.accept(n);
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        ByteBuffer chunk = takeBuffer();
        long total;
        try {
            total = writer.writeFrom(channel, chunk);
        } finally {
            buffers.offer(chunk);
        }
        if (ref.size().isPresent() && total != ref.size().getAsLong()) {
            throw new IOException(location + ": the object changed size while being read (" + ref.size().getAsLong()
                    + " bytes listed, " + total + " read)");
        }
        return total;
    }

    /**
     * Writes an object to a file through {@link ObjectStore#readInto} (concurrent chunks at their offsets where
     * the store splits reads): under a temporary name first, renamed over the target only when complete.
     */
    private long downloadFile(ObjectStore store, ObjectRef ref, Path target, LongConsumer progress) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Path temporary = parent.resolve("." + target.getFileName() + ".s3dlio-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        TEMPORARIES.add(temporary);
        try {
            long bytes;
            try (DownloadFile file = createFile(parent, temporary, ref.size())) {
                bytes = store.readInto(ref.location(), ref.size(), (offset, buffer) -> {
                    int length = buffer.remaining();
                    file.write(offset, buffer);
                    progress.accept(length);
                });
                if (fsync) {
                    file.force();
                }
            }
            moveIntoPlace(temporary, target);
            done = true;
            return bytes;
        } finally {
            try {
                if (!done) {
                    Files.deleteIfExists(temporary);
                }
            } finally {
                TEMPORARIES.remove(temporary);
            }
        }
    }

    /**
     * The temporary file, its directory created only when the create finds it missing: most files of a download
     * land in a directory that exists already, and creating it first cost each of them a {@code mkdir} that
     * failed, an exception with its stack trace and a {@code stat}.
     */
    private DownloadFile createFile(Path parent, Path temporary, OptionalLong size) throws IOException {
        try {
            return new DownloadFile(temporary, staging, pageCache, size.orElse(-1));
        } catch (NoSuchFileException e) {
            Files.createDirectories(parent);
            return new DownloadFile(temporary, staging, pageCache, size.orElse(-1));
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // --------------------------------------------------------------------------------------------- writes

    /** Many-object put: writes each item (iterated lazily) through a streaming writer. Items are named by URI. */
    public TransferHandle put(Iterable<PutItem> items, TransferOptions options, TransferListener listener) {
        requireNonNull(items, "items is null");
        Iterator<PutItem> it = items.iterator();
        return start("put", "put", options, listener, map(it, item -> {
            String uri = item.target().toString();
            return new Task(uri, progress -> new ItemDone(uri, uri, write(item, progress)));
        }), null);
    }

    /**
     * Many-object write where each item's own code produces the object (for example a dataset-format writer):
     * the engine runs at most {@code options.jobs()} at once, reports and collects failures as for {@link #put}.
     */
    public TransferHandle write(Iterable<WriteItem> items, TransferOptions options, TransferListener listener) {
        requireNonNull(items, "items is null");
        return start("write", "write", options, listener, map(items.iterator(), item -> {
            String uri = item.target().toString();
            return new Task(uri, progress -> {
                long bytes = item.producer().write(stores.forLocation(item.target()), item.target());
                progress.accept(bytes);
                return new ItemDone(uri, uri, bytes);
            });
        }), null);
    }

    /**
     * Uploads local files and directories under {@code prefix}, keeping relative paths: file {@code f} goes to
     * {@code prefix/f}, directory {@code d} (with {@link ListMode#RECURSIVE}) to {@code prefix/d/...}, its own
     * name kept as {@code cp -r} does. With {@link ListMode#ONE_LEVEL} a directory is a failed item. Items are
     * named by their local path; a missing source is a failed item.
     */
    @SuppressWarnings("StreamResourceLeak") // each directory walk is closed by closing(...) when its files run out or the transfer ends
    public TransferHandle upload(List<Path> sources, Location prefix, ListMode mode, TransferOptions options,
            TransferListener listener) {
        requireNonNull(sources, "sources is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(mode, "mode is null");
        Location destination = prefix.asPrefix();
        Iterator<Task> tasks = flatten(sources.iterator(), source -> {
            Path absolute = source.toAbsolutePath().normalize();
            String name = absolute.toString();
            if (Files.isDirectory(absolute)) {
                if (mode != ListMode.RECURSIVE) {
                    return List.of(failing(name, "is a directory; use -r to upload it")).iterator();
                }
                Path parent = absolute.getParent();
                Stream<Path> walk;
                try {
                    walk = Files.walk(absolute);
                } catch (IOException e) {
                    return List.of(failing(name, e)).iterator();
                }
                return closing(map(walk.filter(Files::isRegularFile).iterator(),
                        file -> uploadTask(file, destination.withKey(destination.key() + relative(parent, file)))), walk);
            }
            if (Files.isRegularFile(absolute)) {
                return List.of(uploadTask(absolute, destination.resolve(absolute.getFileName().toString()))).iterator();
            }
            return List.of(failing(name, Files.exists(absolute) ? "not a regular file or directory"
                    : "no such file or directory")).iterator();
        });
        return start("upload", destination.toString(), options, listener, tasks, null);
    }

    private Task uploadTask(Path file, Location target) {
        String name = file.toString();
        return new Task(name, progress -> {
            long size = Files.size(file);
            PutItem item = new PutItem(target, size, () -> FileChannel.open(file, StandardOpenOption.READ));
            return new ItemDone(name, target.toString(), write(item, progress));
        });
    }

    /** Streams one item into its store; checks the content yields exactly the declared size. */
    private long write(PutItem item, LongConsumer progress) throws IOException {
        ObjectStore store = stores.forLocation(item.target());
        boolean pooled = item.size() >= channelChunk();
        ByteBuffer buffer = pooled ? takeBuffer() : ByteBuffer.allocate((int) Math.max(1, item.size()));
        try (ReadableByteChannel in = item.content().open();
                ObjectWriter writer = store.newWriter(item.target(), WriteOptions.DEFAULT.withExpectedSize(item.size()))) {
            // A writer with part buffers (multipart uploads) reads the file straight into them; others read
            // through the pooled chunk. Either way each read is counted for progress as it happens.
            long total = writer.writeFrom(counting(in, progress), buffer);
            if (total != item.size()) {
                throw new IOException(item.target() + ": the content yielded " + total + " bytes, not the "
                        + item.size() + " declared (did the source change?)");
            }
            writer.finish();
            return total;
        } finally {
            if (pooled) {
                buffers.offer(buffer);
            }
        }
    }

    /** {@code in}, reporting the bytes of every read to {@code progress}. */
    private static ReadableByteChannel counting(ReadableByteChannel in, LongConsumer progress) {
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer into) throws IOException {
                int n = in.read(into);
                if (n > 0) {
                    progress.accept(n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return in.isOpen();
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /**
     * The chunk a file is read through when the writer has no buffers of its own (local files, compression). A
     * multipart writer reads the file straight into its part buffers and never touches it, yet a heap buffer is
     * zeroed, so resident, when allocated: at the upload chunk size (8 MiB) every upload in flight carried 8 MiB
     * of unused heap (32 MiB of a 4-file {@code upload -r}'s peak RSS). 1 MiB is still a few system calls per
     * MiB where the chunk is used.
     */
    private int channelChunk() {
        return Math.min(config.chunkSize(), CHANNEL_CHUNK);
    }

    private ByteBuffer takeBuffer() {
        ByteBuffer buffer = buffers.poll();
        return buffer != null ? buffer.clear() : ByteBuffer.allocate(channelChunk());
    }

    // ---------------------------------------------------------------------------------------------- copy

    /**
     * Copies one object. When both ends are in the same store, that store's {@code copy} runs (server-side
     * where it has {@link io.s3dlio.api.Capability#SERVER_SIDE_COPY}); otherwise the bytes stream through this
     * process in order, one window at a time.
     *
     * @throws IOException when the source cannot be stat-ed (missing, denied)
     */
    public TransferHandle copyObject(Location source, Location target, TransferOptions options,
            TransferListener listener) throws IOException {
        requireNonNull(source, "source is null");
        requireNonNull(target, "target is null");
        ObjectInfo info = stores.forLocation(source).stat(source);
        return start("copy", source.toString(), options, listener,
                List.of(copyTask(ObjectRef.of(source, info.size()), target)).iterator(), null);
    }

    /**
     * Copies every object under {@code source} (recursively) to {@code targetPrefix}, keeping the part of each
     * key below {@link #keyBase(Location) keyBase(source)}. Items are named by source URI.
     *
     * @throws IOException when the listing cannot start
     */
    public TransferHandle copyTree(Location source, Location targetPrefix, TransferOptions options,
            TransferListener listener) throws IOException {
        requireNonNull(source, "source is null");
        requireNonNull(targetPrefix, "targetPrefix is null");
        String base = keyBase(source);
        Location destination = targetPrefix.asPrefix();
        Location listed = source.asPrefix();
        Stream<ListEntry> entries = stores.forLocation(listed).list(listed, ListMode.RECURSIVE);
        Iterator<Task> tasks = map(objectsOf(entries), ref -> copyTask(ref,
                destination.withKey(destination.key() + ref.location().key().substring(base.length()))));
        return start("copy", listed.toString(), options, listener, startListing(tasks, entries), entries);
    }

    private Task copyTask(ObjectRef ref, Location target) {
        String uri = ref.location().toString();
        return new Task(uri, progress -> {
            ObjectStore from = stores.forLocation(ref.location());
            ObjectStore to = stores.forLocation(target);
            if (from == to) {
                from.copy(ref.location(), target);
                long size = ref.size().orElse(0);
                progress.accept(size);
                return new ItemDone(uri, target.toString(), size);
            }
            WriteOptions writeOptions = ref.size().isPresent()
                    ? WriteOptions.DEFAULT.withExpectedSize(ref.size().getAsLong()) : WriteOptions.DEFAULT;
            try (ObjectWriter writer = to.newWriter(target, writeOptions)) {
                long bytes = ref.location().scheme().equals("file")
                        ? readPositional(from, ref, writer, progress)
                        : readInOrder(from, ref, writer::write, progress);
                writer.finish();
                return new ItemDone(uri, target.toString(), bytes);
            }
        });
    }

    // -------------------------------------------------------------------------------------------- delete

    /**
     * Deletes each listed object (absent ones are not an error), through {@link ObjectStore#deleteAll}: batched
     * where the store deletes in bulk (S3 DeleteObjects, Azure Blob Batch, GCS batches), at most
     * {@value #DELETE_BATCH} objects per call and {@code jobs} calls at a time. Items are named by URI; each
     * gets its own item-done or item-failed event when its call returns. A location no store serves, or one
     * naming a prefix, fails alone.
     */
    public TransferHandle delete(List<Location> objects, TransferOptions options, TransferListener listener) {
        requireNonNull(objects, "objects is null");
        requireNonNull(options, "options is null");
        List<Task> tasks = new ArrayList<>();
        // Grouped by store, in their first order, so that each call can batch.
        Map<ObjectStore, List<Location>> byStore = new LinkedHashMap<>();
        for (Location location : List.copyOf(objects)) {
            try {
                if (!location.isObject()) {
                    throw new IllegalArgumentException(location + " names a prefix (empty key or trailing '/'), not an object");
                }
                byStore.computeIfAbsent(stores.forLocation(location), store -> new ArrayList<>()).add(location);
            } catch (IOException | RuntimeException e) {
                tasks.add(failing(location.toString(), e));
            }
        }
        for (Map.Entry<ObjectStore, List<Location>> entry : byStore.entrySet()) {
            List<Location> locations = entry.getValue();
            // Spread over the jobs when the list is short, so stores that delete one by one still work in parallel.
            int size = Math.min(DELETE_BATCH, Math.ceilDiv(locations.size(), options.jobs()));
            for (int from = 0; from < locations.size(); from += size) {
                tasks.add(deleteBatch(entry.getKey(), locations.subList(from, Math.min(locations.size(), from + size))));
            }
        }
        return start("delete", "delete", options, listener, tasks.iterator(), null);
    }

    /** Objects per {@link ObjectStore#deleteAll} call of {@link #delete}: S3's DeleteObjects limit. */
    static final int DELETE_BATCH = 1000;

    private static Task deleteBatch(ObjectStore store, List<Location> batch) {
        List<Location> locations = List.copyOf(batch);
        List<String> items = locations.stream().map(Location::toString).toList();
        return new Task(items.getFirst(), null, Optional.of(new Batch(items, () -> {
            DeleteResult result = store.deleteAll(locations);
            Map<String, Exception> failed = new HashMap<>();
            for (DeleteResult.Failure failure : result.failures()) {
                failed.putIfAbsent(failure.location().toString(), new IOException(failure.cause()));
            }
            return failed;
        })));
    }

    // ------------------------------------------------------------------------------------------- running

    /** Work for one item; reports bytes as they move and returns what was done. */
    @FunctionalInterface
    private interface Action {
        ItemDone run(LongConsumer progress) throws Exception;
    }

    /** One item's work, or (a bulk delete) a batch of items that one call settles together. */
    private record Task(String item, Action action, Optional<Batch> batch) {
        Task(String item, Action action) {
            this(item, requireNonNull(action, "action is null"), Optional.empty());
        }

        List<String> items() {
            return batch.map(Batch::items).orElse(List.of(item));
        }
    }

    /** Items settled by one call; each still gets its own event. */
    private record Batch(List<String> items, BatchAction action) {}

    @FunctionalInterface
    private interface BatchAction {
        /** Runs the batch and returns the cause of each item that failed; the others are done. */
        Map<String, Exception> run() throws Exception;
    }

    private static Task failing(String item, String reason) {
        return failing(item, new IOException(reason));
    }

    private static Task failing(String item, Exception cause) {
        return new Task(item, progress -> {
            throw cause;
        });
    }

    private static Iterator<ObjectRef> objectsOf(Stream<ListEntry> entries) {
        return entries.filter(ListEntry.ObjectEntry.class::isInstance).map(ListEntry.ObjectEntry.class::cast)
                .map(object -> ObjectRef.of(object.location(), object.size())).iterator();
    }

    /**
     * Reads the first page of a listing on the caller's thread, so a listing that cannot start (a missing
     * bucket) throws from the operation rather than becoming an item.
     */
    private static Iterator<Task> startListing(Iterator<Task> tasks, Stream<ListEntry> entries) throws IOException {
        try {
            var unused = tasks.hasNext();
            return tasks;
        } catch (UncheckedIOException e) {
            entries.close();
            throw e.getCause();
        } catch (RuntimeException e) {
            entries.close();
            throw e;
        }
    }

    @FunctionalInterface
    private interface Mapper<A, B> {
        B apply(A value);
    }

    private static <A, B> Iterator<B> map(Iterator<A> source, Mapper<A, B> mapper) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public B next() {
                return mapper.apply(source.next());
            }
        };
    }

    private static <A> Iterator<Task> flatten(Iterator<A> source, Mapper<A, Iterator<Task>> mapper) {
        return new Iterator<>() {
            private Iterator<Task> current = List.<Task>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && source.hasNext()) {
                    current = mapper.apply(source.next());
                }
                return current.hasNext();
            }

            @Override
            public Task next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** Closes {@code resource} when {@code tasks} is exhausted. */
    private static Iterator<Task> closing(Iterator<Task> tasks, AutoCloseable resource) {
        return new Iterator<>() {
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                // A closed walk must not be asked again: its iterator throws once closed.
                if (exhausted) {
                    return false;
                }
                if (!tasks.hasNext()) {
                    exhausted = true;
                    closeQuietly(resource);
                }
                return !exhausted;
            }

            @Override
            public Task next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return tasks.next();
            }
        };
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            // A listing that fails to close has nothing left to tell this transfer.
        }
    }

    private static String relative(Path parent, Path file) {
        Path relative = parent == null ? file : parent.relativize(file);
        StringBuilder out = new StringBuilder();
        for (Path part : relative) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    private TransferHandle start(String operation, String source, TransferOptions options, TransferListener listener,
            Iterator<Task> tasks, AutoCloseable resource) {
        requireNonNull(options, "options is null");
        requireNonNull(listener, "listener is null");
        Run run = new Run(operation, source, options, listener, tasks, resource);
        if (closed.get()) {
            closeQuietly(resource);
            throw new IllegalStateException("the transfer engine " + threadNamePrefix + " is closed");
        }
        running.add(run);
        try {
            executor.execute(run::coordinate);
        } catch (RejectedExecutionException e) {
            running.remove(run);
            closeQuietly(resource);
            throw new IllegalStateException("the transfer engine " + threadNamePrefix + " cannot start a task", e);
        }
        return new TransferHandle(run.completion, run::cancel);
    }

    /** One operation in progress: a coordinator feeding items to at most {@code jobs} workers. */
    private final class Run {
        final String operation;
        final String source;
        final TransferOptions options;
        final TransferListener listener;
        final Iterator<Task> tasks;
        final AutoCloseable resource;
        final Instant start;
        final Semaphore slots;
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        final AtomicLong objectsDone = new AtomicLong();
        final AtomicLong objectsFailed = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong bytesDone = new AtomicLong();
        final ConcurrentLinkedQueue<ItemFailure> failures = new ConcurrentLinkedQueue<>();
        final CompletableFuture<TransferResult> completion = new CompletableFuture<>();
        volatile boolean cancelled;
        volatile Thread coordinator;

        Run(String operation, String source, TransferOptions options, TransferListener listener, Iterator<Task> tasks,
                AutoCloseable resource) {
            this.operation = operation;
            this.source = source;
            this.options = options;
            this.listener = listener;
            this.tasks = tasks;
            this.resource = resource;
            this.start = clock.instant();
            this.slots = new Semaphore(options.jobs());
        }

        TransferSnapshot snapshot() {
            return new TransferSnapshot(operation, objectsDone.get(), objectsFailed.get(), bytes.get(),
                    options.expectedObjects(), options.expectedBytes(), elapsed());
        }

        Duration elapsed() {
            Duration elapsed = Duration.between(start, clock.instant());
            return elapsed.isNegative() ? Duration.ZERO : elapsed;
        }

        void coordinate() {
            coordinator = Thread.currentThread();
            notify(() -> listener.started(snapshot()));
            try {
                while (!cancelled) {
                    Task task;
                    try {
                        if (!tasks.hasNext()) {
                            break;
                        }
                        task = tasks.next();
                    } catch (RuntimeException e) {
                        if (!cancelled) {
                            // The listing broke part-way: what was listed runs on, the rest is one failure.
                            fail(source, e instanceof UncheckedIOException io ? io.getCause() : e);
                        }
                        break;
                    }
                    try {
                        slots.acquire();
                    } catch (InterruptedException e) {
                        break;
                    }
                    if (cancelled) {
                        slots.release();
                        break;
                    }
                    try {
                        executor.execute(() -> work(task));
                    } catch (RejectedExecutionException e) {
                        slots.release();
                        failEach(task, new IOException("the transfer engine is closed", e));
                        break;
                    }
                }
            } finally {
                closeQuietly(resource);
                slots.acquireUninterruptibly(options.jobs());
                Thread.interrupted(); // a cancel may have interrupted the coordinator; that is done with
                TransferResult result = new TransferResult(operation, objectsDone.get(), bytesDone.get(), elapsed(),
                        List.copyOf(failures), cancelled);
                notify(() -> listener.completed(result));
                running.remove(this);
                coordinator = null;
                completion.complete(result);
            }
        }

        void work(Task task) {
            Thread self = Thread.currentThread();
            threads.add(self);
            try {
                if (cancelled) {
                    throw new CancellationException("cancelled before it started");
                }
                if (task.batch().isPresent()) {
                    settle(task.batch().get());
                    return;
                }
                AtomicLong moved = new AtomicLong();
                ItemDone done = task.action().run(n -> {
                    moved.addAndGet(n);
                    bytes.addAndGet(n);
                    notify(() -> listener.bytesTransferred(n, snapshot()));
                });
                objectsDone.incrementAndGet();
                bytesDone.addAndGet(done.bytes());
                notify(() -> listener.itemDone(done, snapshot()));
            } catch (Exception | Error e) {
                failEach(task, e);
            } finally {
                threads.remove(self);
                Thread.interrupted(); // an interrupt from cancel() must not leak into the next task on a pooled thread
                slots.release();
            }
        }

        void settle(Batch batch) throws Exception {
            Map<String, Exception> failed = batch.action().run();
            for (String item : batch.items()) {
                Exception cause = failed.get(item);
                if (cause != null) {
                    fail(item, cause);
                } else {
                    ItemDone done = new ItemDone(item, "", 0);
                    objectsDone.incrementAndGet();
                    notify(() -> listener.itemDone(done, snapshot()));
                }
            }
        }

        void failEach(Task task, Throwable cause) {
            for (String item : task.items()) {
                fail(item, cause);
            }
        }

        void fail(String item, Throwable cause) {
            Throwable reported = cause;
            if (cancelled && !(cause instanceof CancellationException)) {
                CancellationException cancellation = new CancellationException(item + ": cancelled");
                cancellation.initCause(cause);
                reported = cancellation;
            }
            ItemFailure failure = new ItemFailure(item, reported);
            failures.add(failure);
            objectsFailed.incrementAndGet();
            notify(() -> listener.itemFailed(failure, snapshot()));
        }

        void cancel() {
            if (completion.isDone()) {
                return;
            }
            cancelled = true;
            Thread thread = coordinator;
            if (thread != null) {
                thread.interrupt();
            }
            threads.forEach(Thread::interrupt);
        }

        private void notify(Runnable event) {
            try {
                event.run();
            } catch (RuntimeException e) {
                // A listener's failure must not break the transfer (see TransferListener).
            }
        }
    }

    /**
     * Cancels every transfer still running, waits for them, and (when the engine owns its executor) for its
     * threads to end. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Run> runs = new ArrayList<>(running);
        runs.forEach(Run::cancel);
        boolean interrupted = false;
        for (Run run : runs) {
            while (true) {
                try {
                    run.completion.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    break;
                }
            }
        }
        if (ownsExecutor) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("transfer threads " + threadNamePrefix + "* did not stop within "
                            + CLOSE_WAIT_SECONDS + " s of close()");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        buffers.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "TransferEngine[" + threadNamePrefix + ", " + config + "]";
    }
}
