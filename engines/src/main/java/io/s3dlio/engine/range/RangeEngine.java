package io.s3dlio.engine.range;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;
import static io.s3dlio.spi.StoreChecks.requireObject;
import static java.util.Objects.requireNonNull;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.Capability;
import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.engine.buffer.BufferPool;
import io.s3dlio.spi.BodyDigest;
import io.s3dlio.spi.Crc32c;
import io.s3dlio.spi.FullObjectCrc;
import io.s3dlio.spi.StreamedRangeReads;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads objects as concurrent ranged requests ({@link ObjectStore#read}), each written straight into one
 * pre-sized buffer at its offset: one allocation per object, no reassembly copy.
 *
 * <ul>
 *   <li><b>No HEAD for the size.</b> When the size is unknown, the first request reads the first chunk; the
 *       size the response reports gives the total. An object no larger than one chunk is served by that one
 *       request. (A whole object read in several chunks from a store with {@code FULL_OBJECT_CRC32C} or
 *       {@code FULL_OBJECT_MD5} gets one stat beside the chunks, for the checksum it is checked against.)</li>
 *   <li><b>Bounded memory.</b> At most {@link RangeConfig#concurrency()} requests per object, and at most
 *       {@code maxBytesInFlight / chunkSize} requests (each at most one chunk) across every object this
 *       engine reads. Callers wait for a slot; nothing is queued in memory.</li>
 *   <li><b>Failures.</b> The first failed request interrupts the others of the same object and no new ones
 *       start; the error is a {@link RangeReadException} naming the location and byte range. Retries happen
 *       in the backend's client layer only, never here. Missing objects surface as
 *       {@link ObjectNotFoundException} as with a plain get.</li>
 *   <li><b>Integrity.</b> A whole object read as chunks from a store with
 *       {@link Capability#FULL_OBJECT_CRC32C} is checked end to end: each chunk's CRC32C is computed as it lands
 *       (on the request's thread, while the bytes are in cache), the pieces are combined in offset order, and
 *       the result is compared with the CRC32C the store keeps, learnt by one {@link ObjectStore#stat} sent
 *       concurrently with the chunks. A mismatch is a {@link ChecksumMismatchException} naming the location;
 *       the read returns nothing (and {@link #readInto} returns only after the check, so a download's temporary
 *       file is never renamed). An object the store keeps no CRC32C for is read unchecked, as before. Reads
 *       below the threshold are one plain request, checked by the backend itself. A caller that already holds
 *       the object's CRC32C (a checkpoint manifest) passes it to
 *       {@link #read(ObjectStore, Location, long, int, ChunkListener)}: then that value is the reference, no stat
 *       is sent, and the check runs on every store.</li>
 *   <li><b>Threads.</b> One virtual thread per ranged request, from an executor this engine owns, named
 *       {@code s3dlio-range-<name>-N}; {@link #close()} stops and joins them.</li>
 * </ul>
 *
 * <p>The engine does not pin a version: if an object is replaced while it is being read with one of the same
 * size, the result may mix both. A change of size (or a short read) is detected and reported.
 */
public final class RangeEngine implements AutoCloseable {
    /** Vectored ranges closer than this are fetched as one span: one request is dearer than this many bytes. */
    static final int COALESCE_GAP = 256 * 1024;
    private static final int MAX_BUFFER = io.s3dlio.spi.StoreChecks.MAX_BUFFER;
    /**
     * The pieces a chunk of {@link #readInto} streams through on a store with {@link StreamedRangeReads}: a
     * whole number of the file's blocks (so a download's direct writes stay aligned) and the size of its
     * O_DIRECT staging, small enough that 16 of them are 16 MiB of memory touched instead of 16 chunks.
     */
    static final int PIECE = 1024 * 1024;
    /**
     * Alignment of direct pieces: the largest filesystem block a download writes with {@code O_DIRECT}
     * (DownloadFile's), so it writes a piece from where it landed instead of copying it into aligned memory.
     */
    static final int PIECE_ALIGNMENT = 64 * 1024;

    private final RangeConfig config;
    private final String threadPrefix;
    private final ExecutorService executor;
    private final Semaphore globalPermits;
    private final int probeBuffersKept;
    private final ConcurrentLinkedQueue<byte[]> probeBuffers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger probeBuffersIdle = new AtomicInteger();
    /** Bytes of each streamed piece; 0 when {@link #readInto} reads every chunk whole. */
    private final int streamPiece;
    private final BufferPool heapPieces;
    /**
     * Direct pieces, aligned to {@link #PIECE_ALIGNMENT}, of stores that read into them with no copy ({@link
     * StreamedRangeReads#readsIntoDirect}): a file download writes them with {@code O_DIRECT} from where they
     * landed, where a heap piece was copied twice in Java (out of the JDK's temporary direct buffer of the socket
     * read, and into the download's aligned staging buffer).
     */
    private final BufferPool directPieces;
    private final AtomicLong bytesInFlight = new AtomicLong();
    private final AtomicInteger requestsInFlight = new AtomicInteger();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);

    private enum State { OPEN, CLOSED }

    /**
     * An engine with its own executor, whose virtual threads are named {@code s3dlio-range-<name>-N}.
     *
     * @param name identifies the engine in thread names, e.g. the scheme of the store it serves
     */
    public RangeEngine(RangeConfig config, String name) {
        this(config, name, PIECE);
    }

    /**
     * @param streamPiece the buffer {@link #readInto} streams each chunk through where the store offers
     *        {@link StreamedRangeReads} (at most a chunk is used), or 0 to read every chunk whole
     *        ({@code S3DLIO_RANGE_STREAM=false})
     */
    RangeEngine(RangeConfig config, String name, int streamPiece) {
        if (streamPiece < 0) {
            throw new IllegalArgumentException("negative piece size " + streamPiece);
        }
        this.config = requireNonNull(config, "config is null");
        this.streamPiece = (int) Math.min(streamPiece, config.chunkSize());
        requireNonNull(name, "name is null");
        this.threadPrefix = "s3dlio-range-" + name + "-";
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadPrefix, 0).factory());
        this.globalPermits = new Semaphore(config.globalPermits(), true);
        // Probe buffers are chunk-sized scratch for the first request of an object of unknown size. Reusing
        // them keeps small reads as cheap as a plain GET (no zeroing of a fresh chunk per object); keeping at
        // most one per global permit bounds what stays allocated by the same cap.
        this.probeBuffersKept = config.globalPermits();
        int piece = this.streamPiece;
        this.heapPieces = new BufferPool(() -> ByteBuffer.allocate(piece), probeBuffersKept);
        this.directPieces = new BufferPool(() -> BufferPool.alignedDirect(piece, PIECE_ALIGNMENT), probeBuffersKept);
    }

    public RangeConfig config() {
        return config;
    }

    /** Prefix of the names of this engine's threads. */
    public String threadNamePrefix() {
        return threadPrefix;
    }

    /** Bytes of ranged requests currently in flight (monitoring; 0 when idle). */
    public long bytesInFlight() {
        return bytesInFlight.get();
    }

    /** Ranged requests currently in flight, including first-chunk probes (monitoring; 0 when idle). */
    public int requestsInFlight() {
        return requestsInFlight.get();
    }

    /**
     * Reads a whole object.
     *
     * @param size the object's size when the caller knows it (from a listing): no probe is needed then, and
     *        objects below the threshold are read with one plain GET
     */
    public ObjectBytes read(ObjectStore store, Location location, OptionalLong size) throws IOException {
        return readRange(store, location, 0, OptionalLong.empty(), size);
    }

    /**
     * Sees the chunks of one {@link #read(ObjectStore, Location, long, ChunkListener) read} as they land in its
     * result buffer, so a caller can checksum (or otherwise inspect) the bytes while they are still in cache and
     * while the other requests are still running, instead of in a pass after the read. Called on the engine's
     * request threads, concurrently and in no particular order; every call for a successful read ends before
     * that read returns, and together its chunks cover the result exactly once. After a failed read, calls
     * for chunks still in flight may come late; ignore them. A listener that throws fails the read.
     */
    @FunctionalInterface
    public interface ChunkListener {
        /**
         * Called once for each chunk that landed.
         *
         * @param offset where {@code chunk} starts in the object
         * @param chunk a view of the bytes that landed, which the listener must not modify (the result
         *        buffer of the read); valid only during this call
         */
        void chunkRead(long offset, ByteBuffer chunk) throws IOException;

        /**
         * Called instead of {@link #chunkRead(long, ByteBuffer)} when the engine has computed the chunk's CRC32C
         * already (it does when the store keeps a full-object CRC32C, to check the whole read): a listener that
         * wants the checksum overrides this and saves a second pass over the bytes.
         */
        default void chunkRead(long offset, ByteBuffer chunk, int crc32c) throws IOException {
            chunkRead(offset, chunk);
        }
    }

    /**
     * Reads a whole object of known size as {@link #read(ObjectStore, Location, OptionalLong)} does, handing
     * each chunk to {@code listener} as it lands (one call with the whole object when it is below the
     * threshold and takes one plain GET).
     */
    public ObjectBytes read(ObjectStore store, Location location, long size, ChunkListener listener) throws IOException {
        requireNonNull(store, "store is null");
        requireObject(location);
        requireNonNull(listener, "listener is null");
        checkOpen();
        long total = total(location, 0, OptionalLong.empty(), size);
        if (total < config.threshold()) {
            ObjectBytes bytes = store.get(location);
            listener.chunkRead(0, bytes.buffer()); // ObjectBytes' buffers are read-only already
            return bytes;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        WholeObjectCheck check = startCheck(store, location, total);
        fetch(store, location, buffer, 0, 0, size, check == null ? listener : (offset, chunk) -> {
            int crc = Crc32c.of(chunk); // once, for the engine's check and the caller's
            check.add(offset, chunk, crc);
            listener.chunkRead(offset, chunk, crc);
        }, check);
        return ObjectBytes.wrap(buffer);
    }

    /**
     * Reads a whole object of known size and checks it against a CRC32C the caller already holds (a checkpoint
     * manifest, an index) instead of the one the store keeps: no stat is sent, on any store, and every byte is
     * checked even where the store keeps no checksum. Each chunk's CRC32C is computed as it lands (on the
     * request's thread, while the bytes are in cache) and handed to {@code listener} with it; the pieces are
     * combined once the last one lands. An object below the threshold is one plain GET, checked after it.
     *
     * @param expectedCrc32c the CRC32C (Castagnoli) of the object's {@code size} bytes
     * @throws ChecksumMismatchException naming the location when the bytes read differ; its {@code expected()}
     *         is then the caller's value (base64, as S3 writes it), not the store's
     */
    public ObjectBytes read(ObjectStore store, Location location, long size, int expectedCrc32c, ChunkListener listener)
            throws IOException {
        requireNonNull(store, "store is null");
        requireObject(location);
        requireNonNull(listener, "listener is null");
        checkOpen();
        long total = total(location, 0, OptionalLong.empty(), size);
        WholeObjectCheck check = new WholeObjectCheck(location, total, expectedCrc32c);
        if (total < config.threshold()) {
            ObjectBytes bytes = store.get(location);
            if (bytes.size() != total) {
                throw new StorageException(location, "holds " + bytes.size() + " bytes, not the " + total + " expected");
            }
            int crc = Crc32c.of(bytes.buffer());
            check.add(0, bytes.size(), crc);
            check.verify();
            listener.chunkRead(0, bytes.buffer(), crc); // ObjectBytes' buffers are read-only already
            return bytes;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        fetch(store, location, buffer, 0, 0, size, (offset, chunk) -> {
            int crc = Crc32c.of(chunk);
            check.add(offset, chunk.remaining(), crc);
            listener.chunkRead(offset, chunk, crc);
        }, check);
        return ObjectBytes.wrap(buffer);
    }

    /**
     * Reads {@code [offset, offset + length)} (to the end without a length), with the semantics of
     * {@link ObjectStore#getRange}: cut at the end, empty at the end, {@link EOFException} past it.
     */
    public ObjectBytes readRange(ObjectStore store, Location location, long offset, OptionalLong length,
            OptionalLong size) throws IOException {
        requireNonNull(store, "store is null");
        requireObject(location);
        requireNonNull(length, "length is null");
        requireNonNull(size, "size is null");
        checkRange(location, offset, length);
        checkOpen();
        if (length.isPresent() && length.getAsLong() < config.threshold()) {
            return store.getRange(location, offset, length);
        }
        if (size.isPresent()) {
            long total = total(location, offset, length, size.getAsLong());
            if (total < config.threshold()) {
                return offset == 0 && length.isEmpty() ? store.get(location)
                        : store.getRange(location, offset, OptionalLong.of(total));
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) total);
            WholeObjectCheck check = offset == 0 && total == size.getAsLong() ? startCheck(store, location, total) : null;
            fetch(store, location, buffer, offset, offset, size.getAsLong(), check, check);
            return ObjectBytes.wrap(buffer);
        }
        return readUnknownSize(store, location, offset, length);
    }

    /**
     * Reads a whole object of any size into {@code sink}, with the contract of {@link ObjectStore#readInto}.
     * An object of a known size below the threshold takes one plain GET. Otherwise it is read chunk by chunk,
     * up to {@link RangeConfig#concurrency()} chunks at once: each lands in a chunk buffer of this engine's
     * pool and goes to the sink at its offset as soon as it arrives, so a file download overlaps network
     * reads and disk writes and no chunk waits for a slower neighbour. Without a known size the first chunk's
     * response tells it (no HEAD). Memory: one chunk per request in flight, within
     * {@link RangeConfig#maxBytesInFlight()} across everything this engine reads.
     *
     * @return the object's size
     */
    public long readInto(ObjectStore store, Location location, OptionalLong size, ObjectSink sink) throws IOException {
        requireNonNull(store, "store is null");
        requireObject(location);
        requireNonNull(size, "size is null");
        requireNonNull(sink, "sink is null");
        checkOpen();
        if (size.isPresent()) {
            long known = size.getAsLong();
            if (known < 0) {
                throw new IllegalArgumentException(location + ": negative size " + known);
            }
            // Zero bytes still take a request: a missing object must be reported, not read as empty.
            if (known == 0 || (known < config.threshold() && known <= MAX_BUFFER)) {
                if (known <= ObjectStore.READ_INTO_CHUNK) {
                    // One request either way; the store's own readInto may read into a reused buffer (S3 does).
                    return store.readInto(location, size, sink);
                }
                ObjectBytes bytes = store.get(location);
                if (!bytes.isEmpty()) {
                    sink.write(0, bytes.buffer());
                }
                return bytes.size();
            }
            readChunks(store, location, known, 0, sink, startCheck(store, location, known));
            return known;
        }
        long chunk = config.chunkSize();
        ReadResult first;
        acquire(globalPermits, location);
        byte[] scratch = takeProbeBuffer();
        requestsInFlight.incrementAndGet();
        bytesInFlight.addAndGet(chunk);
        int firstCrc;
        WholeObjectCheck check = null;
        try {
            first = store.read(location, 0, ByteBuffer.wrap(scratch));
            // Computed before the sink sees the bytes; used only if the object turns out to need chunks.
            firstCrc = Crc32c.of(ByteBuffer.wrap(scratch, 0, first.bytesRead()));
            if (first.bytesRead() == chunk && first.objectSize().isPresent() && first.objectSize().getAsLong() > chunk) {
                // More chunks follow: the check starts now, so an in-order MD5 sees this chunk before the
                // scratch buffer is reused (it is first in order, so it is hashed at once, here).
                check = startCheck(store, location, first.objectSize().getAsLong());
            }
            if (first.bytesRead() > 0) {
                sink.write(0, ByteBuffer.wrap(scratch, 0, first.bytesRead()));
            }
            if (check != null) {
                check.add(0, first.bytesRead(), firstCrc);
                check.otherCrc(0, ByteBuffer.wrap(scratch, 0, first.bytesRead()));
                check.hashInOrder(0, ByteBuffer.wrap(scratch, 0, first.bytesRead()));
            }
        } catch (ObjectNotFoundException | ContainerNotFoundException | AccessDeniedException | EOFException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (check != null) {
                check.cancel();
            }
            throw new RangeReadException(location, 0, chunk, String.valueOf(e.getMessage()), e);
        } finally {
            bytesInFlight.addAndGet(-chunk);
            requestsInFlight.decrementAndGet();
            release(scratch);
            globalPermits.release();
        }
        int got = first.bytesRead();
        if (first.objectSize().isEmpty()) {
            // The backend did not report the size: the rest in order, until a read returns nothing.
            long offset = got;
            if (got == chunk) {
                ByteBuffer buffer = ByteBuffer.allocate((int) chunk);
                for (int n = got; n > 0; offset += n) {
                    n = store.read(location, offset, buffer.clear()).bytesRead();
                    if (n > 0) {
                        sink.write(offset, buffer.flip());
                    }
                }
            }
            return offset;
        }
        long total = first.objectSize().getAsLong();
        if (got >= total) {
            return total;
        }
        if (got != chunk) {
            throw new RangeReadException(location, 0, chunk, "short read of " + got
                    + " bytes while the object reports " + total + " bytes (it changed during the read)", null);
        }
        readChunks(store, location, total, got, sink, check);
        return total;
    }

    /**
     * Reads {@code [from, size)} into {@code sink} with up to {@code concurrency} workers, each claiming the
     * next chunk. Returns only when every worker has ended; the first failure stops the others (interrupting
     * their requests) and is thrown.
     */
    private void readChunks(ObjectStore store, Location location, long size, long from, ObjectSink sink,
            WholeObjectCheck check) throws IOException {
        long chunk = config.chunkSize();
        int workers = (int) Math.min(config.concurrency(), (size - from + chunk - 1) / chunk);
        AtomicLong next = new AtomicLong(from);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Set<Thread> running = ConcurrentHashMap.newKeySet();
        CountDownLatch ended = new CountDownLatch(workers);
        Runnable worker = () -> {
            Thread self = Thread.currentThread();
            running.add(self);
            try {
                while (failure.get() == null) {
                    // The slot first, then the offset: every claimed chunk is then being read, so a chunk waiting
                    // for earlier ones to be hashed (InOrderDigest) never waits on one still queued for a slot.
                    acquire(globalPermits, location);
                    long offset = next.getAndAdd(chunk);
                    if (offset >= size) {
                        globalPermits.release();
                        break;
                    }
                    readChunk(store, location, size, offset, (int) Math.min(chunk, size - offset), sink, check);
                }
            } catch (IOException | RuntimeException | Error e) {
                if (failure.compareAndSet(null, e)) {
                    running.stream().filter(thread -> thread != self).forEach(Thread::interrupt);
                }
            } finally {
                running.remove(self);
                ended.countDown();
            }
        };
        for (int i = 0; i < workers; i++) {
            try {
                executor.execute(worker);
            } catch (RejectedExecutionException e) {
                failure.compareAndSet(null, new IOException(location + ": the range engine is closed", e));
                for (int j = i; j < workers; j++) {
                    ended.countDown();
                }
                break;
            }
        }
        boolean interrupted = false;
        while (true) {
            try {
                ended.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                failure.compareAndSet(null, new InterruptedIOException(location + ": interrupted while reading"));
                running.forEach(Thread::interrupt);
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable failed = failure.get();
        if (failed != null && check != null) {
            check.cancel();
        }
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof RuntimeException re) {
            throw re;
        }
        if (failed instanceof Error error) {
            throw error;
        }
        if (check != null) {
            check.verify();
        }
    }

    /**
     * One chunk of {@link #readChunks}, holding a global slot the caller took: read whole into a pooled buffer,
     * then handed to the sink.
     */
    private void readChunk(ObjectStore store, Location location, long size, long offset, int length, ObjectSink sink,
            WholeObjectCheck check) throws IOException {
        boolean stream;
        try {
            stream = streamPiece > 0 && store instanceof StreamedRangeReads && (check == null || !check.needsWholeChunks());
        } catch (IOException | RuntimeException e) {
            globalPermits.release(); // the caller's slot, released below on every other path
            throw e;
        }
        if (stream) {
            readChunkStreamed((StreamedRangeReads) store, location, size, offset, length, sink, check);
            return;
        }
        byte[] buffer = takeProbeBuffer();
        requestsInFlight.incrementAndGet();
        bytesInFlight.addAndGet(length);
        try {
            ByteBuffer target = ByteBuffer.wrap(buffer, 0, length);
            while (target.hasRemaining()) {
                ReadResult result;
                try {
                    result = store.read(location, offset + target.position(), target);
                } catch (ObjectNotFoundException | ContainerNotFoundException | AccessDeniedException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    throw new RangeReadException(location, offset, length, String.valueOf(e.getMessage()), e);
                }
                requireProgress(location, size, offset, length, offset + target.position(), result);
            }
            if (check != null) {
                check.crc(offset, ByteBuffer.wrap(buffer, 0, length));
            }
            sink.write(offset, ByteBuffer.wrap(buffer, 0, length));
            if (check != null) {
                check.hashInOrder(offset, ByteBuffer.wrap(buffer, 0, length)); // before the buffer is reused
            }
        } finally {
            bytesInFlight.addAndGet(-length);
            requestsInFlight.decrementAndGet();
            release(buffer);
            globalPermits.release();
        }
    }

    /** A chunk's read that returned nothing or saw another object size: the object changed under the download. */
    private static void requireProgress(Location location, long size, long offset, int length, long at,
            ReadResult result) throws RangeReadException {
        if (result.objectSize().isPresent() && result.objectSize().getAsLong() != size) {
            throw new RangeReadException(location, offset, length, "the object changed size during the read: "
                    + size + " then " + result.objectSize().getAsLong() + " bytes", null);
        }
        if (result.bytesRead() == 0) {
            throw new RangeReadException(location, offset, length, "the object of " + size
                    + " bytes ended at byte " + at + " (it changed during the read)", null);
        }
    }

    /**
     * {@link #readChunk} on a store that streams: one request for the chunk, its body handed on a
     * {@link #PIECE} at a time through one pooled buffer, each piece checksummed and written at its offset as it
     * arrives. Memory per request in flight is one piece, reused for the whole download, instead of one chunk:
     * fewer fresh pages to zero and fault in (a fifth of a 1 GiB download's CPU in a profile), and a lower peak.
     */
    private void readChunkStreamed(StreamedRangeReads store, Location location, long size, long offset, int length,
            ObjectSink sink, WholeObjectCheck check) throws IOException {
        BufferPool pieces = store.readsIntoDirect() ? directPieces : heapPieces;
        ByteBuffer piece = pieces.take();
        requestsInFlight.incrementAndGet();
        bytesInFlight.addAndGet(length);
        // The sink's own failure (a full disk) is thrown as it is, not as a failed request.
        IOException[] sinkFailure = new IOException[1];
        ObjectSink through = (at, bytes) -> {
            if (check != null) {
                check.crc(at, bytes); // does not move the buffer
            }
            try {
                sink.write(at, bytes);
            } catch (IOException e) {
                sinkFailure[0] = e;
                throw e;
            }
        };
        try {
            for (int done = 0; done < length; ) {
                ReadResult result;
                try {
                    result = store.readStreamed(location, offset + done, length - done, piece.clear(), through);
                } catch (ObjectNotFoundException | ContainerNotFoundException | AccessDeniedException e) {
                    throw e;
                } catch (IOException | RuntimeException e) {
                    if (sinkFailure[0] != null) {
                        throw sinkFailure[0];
                    }
                    throw new RangeReadException(location, offset, length, String.valueOf(e.getMessage()), e);
                }
                requireProgress(location, size, offset, length, offset + done, result);
                done += result.bytesRead();
            }
        } finally {
            bytesInFlight.addAndGet(-length);
            requestsInFlight.decrementAndGet();
            pieces.give(piece);
            globalPermits.release();
        }
    }

    /**
     * The first request reads one chunk into a reused scratch buffer. Why scratch and not the final buffer:
     * the final size is unknown until the response arrives, and allocating a chunk-sized buffer per object
     * would make every small read pay for zeroing it. When the object turns out larger, its first chunk is
     * copied once into the full buffer (a memory copy of one chunk, far cheaper than re-requesting it over
     * the network; see docs/BENCHMARKS.md) and the rest is fetched concurrently straight into place.
     */
    private ObjectBytes readUnknownSize(ObjectStore store, Location location, long offset, OptionalLong length)
            throws IOException {
        int probeLength = (int) Math.min(config.chunkSize(), length.orElse(Long.MAX_VALUE));
        acquire(globalPermits, location);
        byte[] scratch = null;
        try {
            scratch = takeProbeBuffer();
            ReadResult first;
            requestsInFlight.incrementAndGet();
            bytesInFlight.addAndGet(probeLength);
            try {
                first = store.read(location, offset, ByteBuffer.wrap(scratch, 0, probeLength));
            } catch (ObjectNotFoundException | ContainerNotFoundException | AccessDeniedException | EOFException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new RangeReadException(location, offset, probeLength, String.valueOf(e.getMessage()), e);
            } finally {
                bytesInFlight.addAndGet(-probeLength);
                requestsInFlight.decrementAndGet();
            }
            int got = first.bytesRead();
            long size;
            if (first.objectSize().isPresent()) {
                size = first.objectSize().getAsLong();
            } else if (got < probeLength) {
                size = offset + got;
            } else {
                // The backend did not report the size: fall back to one plain request rather than a HEAD.
                return store.getRange(location, offset, length);
            }
            long total = total(location, offset, length, size);
            if (total <= got) {
                byte[] exact = new byte[(int) total];
                System.arraycopy(scratch, 0, exact, 0, exact.length);
                return ObjectBytes.wrap(exact);
            }
            if (got != probeLength) {
                throw new RangeReadException(location, offset, probeLength, "short read of " + got
                        + " bytes while the object reports " + size + " bytes (it changed during the read)", null);
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) total);
            buffer.put(0, scratch, 0, got);
            release(scratch);
            scratch = null;
            globalPermits.release();
            // A range from byte 0 that covers the whole object (an in-order reader's first window) is a whole read.
            WholeObjectCheck check = offset == 0 && total == size ? startCheck(store, location, total) : null;
            if (check != null) {
                check.chunkRead(0, buffer.slice(0, got));
            }
            fetch(store, location, buffer, offset, offset + got, size, check, check);
            return ObjectBytes.wrap(buffer);
        } finally {
            if (scratch != null) {
                release(scratch);
                globalPermits.release();
            }
        }
    }

    /** The bytes to read, cut at the end; like {@link ObjectStore#get}, refuses what one buffer cannot hold. */
    private static long total(Location location, long offset, OptionalLong length, long size) throws IOException {
        if (length.isEmpty() && offset <= size && size - offset > MAX_BUFFER) {
            throw new StorageException(location, io.s3dlio.spi.StoreChecks.tooLargeForOneBuffer(size - offset));
        }
        return rangeLength(location, offset, length, size);
    }

    private byte[] takeProbeBuffer() {
        byte[] buffer = probeBuffers.poll();
        if (buffer != null) {
            probeBuffersIdle.decrementAndGet();
            return buffer;
        }
        return new byte[(int) config.chunkSize()];
    }

    private void release(byte[] buffer) {
        if (probeBuffersIdle.incrementAndGet() <= probeBuffersKept) {
            probeBuffers.offer(buffer);
        } else {
            probeBuffersIdle.decrementAndGet();
        }
    }

    /**
     * Fills {@code buffer} (holding the object from {@code base}) with {@code [from, base + capacity)}, handing each chunk to {@code listener} (may be null); then, if {@code check}
     * is not null, checks the whole object against the store's CRC32C.
     */
    private void fetch(ObjectStore store, Location location, ByteBuffer buffer, long base, long from, long size,
            ChunkListener listener, WholeObjectCheck check) throws IOException {
        try {
            fetch(store, location, buffer, base, from, size, listener);
        } catch (IOException | RuntimeException | Error e) {
            if (check != null) {
                check.cancel();
            }
            throw e;
        }
        if (check != null) {
            check.verify();
        }
    }

    private void fetch(ObjectStore store, Location location, ByteBuffer buffer, long base, long from, long size,
            ChunkListener listener) throws IOException {
        Span span = new Span(location, buffer, base, from, base + buffer.capacity(), OptionalLong.of(size), List.of(),
                listener);
        Transfer transfer = new Transfer(store, location);
        try {
            transfer.run(List.of(span));
            span.done.get();
        } catch (InterruptedException e) {
            span.fail(new InterruptedIOException(location + ": interrupted while reading"));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(location + ": interrupted while reading");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StorageException(location, "ranged read failed", e.getCause());
        }
    }

    /**
     * Vectored read: many ranges of one object in, one future per range out, in the order given. Ranges may
     * overlap and come in any order; ranges closer than {@value #COALESCE_GAP} bytes are fetched together and
     * handed out as views of one buffer. A range reaching past the end is cut; one starting past the end
     * fails with {@link EOFException}. The size of the object need not be known: no HEAD is sent. A failed
     * request fails the futures of the ranges it served; the others still complete.
     */
    public List<CompletableFuture<ObjectBytes>> readRanges(ObjectStore store, Location location, List<ByteRange> ranges) {
        requireNonNull(store, "store is null");
        requireObject(location);
        requireNonNull(ranges, "ranges is null");
        List<CompletableFuture<ObjectBytes>> results = new ArrayList<>(ranges.size());
        List<Integer> order = new ArrayList<>(ranges.size());
        for (int i = 0; i < ranges.size(); i++) {
            requireNonNull(ranges.get(i), "range " + i + " is null");
            results.add(new CompletableFuture<>());
            order.add(i);
        }
        if (ranges.isEmpty()) {
            return results;
        }
        order.sort(Comparator.comparingLong(i -> ranges.get(i).offset()));
        List<Span> spans = new ArrayList<>();
        List<Request> members = new ArrayList<>();
        long spanStart = -1;
        long spanEnd = -1;
        for (int index : order) {
            ByteRange range = ranges.get(index);
            boolean joins = spanStart >= 0 && range.offset() <= spanEnd + COALESCE_GAP
                    && Math.max(spanEnd, range.end()) - spanStart <= MAX_BUFFER;
            if (!joins) {
                if (spanStart >= 0) {
                    spans.add(newSpan(location, spanStart, spanEnd, members));
                }
                members = new ArrayList<>();
                spanStart = range.offset();
                spanEnd = range.end();
            }
            spanEnd = Math.max(spanEnd, range.end());
            members.add(new Request(range, results.get(index)));
        }
        spans.add(newSpan(location, spanStart, spanEnd, members));
        try {
            checkOpen();
            executor.execute(() -> new Transfer(store, location).run(spans));
        } catch (IOException | RejectedExecutionException e) {
            for (Span span : spans) {
                span.fail(e);
            }
        }
        return results;
    }

    private static Span newSpan(Location location, long start, long end, List<Request> members) {
        return new Span(location, ByteBuffer.allocate((int) (end - start)), start, start, end, OptionalLong.empty(),
                List.copyOf(members), null);
    }

    private record Request(ByteRange range, CompletableFuture<ObjectBytes> result) {}

    /** One chunked request: where it starts and how many bytes it asks for. */
    private record Chunk(long offset, int length) {}

    /**
     * A contiguous part of the object filled by chunked requests into one buffer. Completes when every chunk
     * has landed, or at the first failure (after interrupting the chunks still running).
     */
    private static final class Span {
        final Location location;
        final ByteBuffer buffer;
        final long base;
        final long from;
        final long end;
        final OptionalLong expectedSize;
        final List<Request> requests;
        /** Sees each chunk as it lands; null when nobody asked. */
        final ChunkListener listener;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final Set<Thread> running = ConcurrentHashMap.newKeySet();
        final AtomicInteger remaining = new AtomicInteger();
        final AtomicLong reportedSize = new AtomicLong(-1);
        final AtomicLong firstShortEnd = new AtomicLong(Long.MAX_VALUE);

        Span(Location location, ByteBuffer buffer, long base, long from, long end, OptionalLong expectedSize,
                List<Request> requests, ChunkListener listener) {
            this.location = location;
            this.buffer = buffer;
            this.base = base;
            this.from = from;
            this.end = end;
            this.expectedSize = expectedSize;
            this.requests = requests;
            this.listener = listener;
        }

        List<Chunk> plan(long chunkSize) {
            List<Chunk> chunks = new ArrayList<>();
            long at = from;
            do {
                int length = (int) Math.min(chunkSize, end - at);
                chunks.add(new Chunk(at, length));
                at += length;
            } while (at < end);
            remaining.set(chunks.size());
            return chunks;
        }

        boolean failed() {
            return done.isCompletedExceptionally();
        }

        void fail(Throwable failure) {
            if (done.completeExceptionally(failure)) {
                for (Thread thread : running) {
                    thread.interrupt();
                }
                for (Request request : requests) {
                    request.result().completeExceptionally(failure);
                }
            }
        }

        void chunkDone(Chunk chunk, ReadResult result) throws IOException {
            if (result.objectSize().isPresent()) {
                long size = result.objectSize().getAsLong();
                long previous = reportedSize.compareAndExchange(-1, size);
                if (previous >= 0 && previous != size) {
                    throw new IOException("the object changed size during the read: " + previous + " then " + size + " bytes");
                }
            }
            if (expectedSize.isPresent()) {
                long size = expectedSize.getAsLong();
                if (result.objectSize().isPresent() && result.objectSize().getAsLong() != size) {
                    throw new IOException("the object changed size during the read: " + size + " then "
                            + result.objectSize().getAsLong() + " bytes");
                }
                if (result.bytesRead() != chunk.length()) {
                    throw new IOException("short read of " + result.bytesRead() + " bytes; the object of " + size
                            + " bytes changed during the read");
                }
            } else if (result.bytesRead() < chunk.length()) {
                firstShortEnd.accumulateAndGet(chunk.offset() + result.bytesRead(), Math::min);
            }
            if (remaining.decrementAndGet() == 0) {
                finish();
            }
        }

        private void finish() throws IOException {
            if (requests.isEmpty()) {
                done.complete(null);
                return;
            }
            long shortEnd = firstShortEnd.get();
            long size = reportedSize.get() >= 0 ? reportedSize.get() : shortEnd;
            long validEnd = Math.min(end, size);
            if (shortEnd != Long.MAX_VALUE && shortEnd < validEnd) {
                throw new IOException("short read ending at byte " + shortEnd + " of an object of " + size
                        + " bytes; it changed during the read");
            }
            done.complete(null);
            ObjectBytes all = ObjectBytes.wrap(buffer);
            for (Request request : requests) {
                ByteRange range = request.range();
                if (range.offset() > size) {
                    request.result().completeExceptionally(new EOFException(location + ": range offset "
                            + range.offset() + " is past the end of the object (" + size + " bytes)"));
                } else {
                    int start = (int) (range.offset() - base);
                    int length = (int) (Math.min(range.end(), size) - range.offset());
                    request.result().complete(all.slice(start, length));
                }
            }
        }
    }

    /** Runs the chunks of some spans of one object, at most {@code concurrency} at once. */
    private final class Transfer {
        final ObjectStore store;
        final Location location;
        final Semaphore perObject = new Semaphore(config.concurrency());

        Transfer(ObjectStore store, Location location) {
            this.store = store;
            this.location = location;
        }

        /** Starts every chunk, waiting for slots; returns once all are started or their span failed. */
        void run(List<Span> spans) {
            for (Span span : spans) {
                for (Chunk chunk : span.plan(config.chunkSize())) {
                    if (span.failed()) {
                        break;
                    }
                    try {
                        acquire(perObject, location);
                        try {
                            acquire(globalPermits, location);
                        } catch (IOException e) {
                            perObject.release();
                            throw e;
                        }
                    } catch (IOException e) {
                        Thread.currentThread().interrupt();
                        failAll(spans, e);
                        return;
                    }
                    if (span.failed()) {
                        releaseSlots();
                        break;
                    }
                    try {
                        executor.execute(() -> runChunk(span, chunk));
                    } catch (RejectedExecutionException e) {
                        releaseSlots();
                        failAll(spans, new IOException(location + ": the range engine is closed", e));
                        return;
                    }
                }
            }
        }

        private void failAll(List<Span> spans, IOException failure) {
            for (Span span : spans) {
                span.fail(failure);
            }
        }

        private void releaseSlots() {
            globalPermits.release();
            perObject.release();
        }

        private void runChunk(Span span, Chunk chunk) {
            Thread self = Thread.currentThread();
            span.running.add(self);
            requestsInFlight.incrementAndGet();
            bytesInFlight.addAndGet(chunk.length());
            try {
                if (span.failed()) {
                    return;
                }
                ByteBuffer slice = span.buffer.slice((int) (chunk.offset() - span.base), chunk.length());
                ReadResult result = store.read(location, chunk.offset(), slice);
                if (span.listener != null && result.bytesRead() > 0 && !span.failed()) {
                    // Before chunkDone: the last chunk's call must end before the read can return.
                    // Not asReadOnlyBuffer(): a read-only heap view hides its array, and CRC32C.update then copies
                    // every byte through a 4 KiB scratch array (twice the CPU of the checksum itself, measured).
                    span.listener.chunkRead(chunk.offset(), span.buffer.slice((int) (chunk.offset() - span.base),
                            result.bytesRead()));
                }
                span.chunkDone(chunk, result);
            } catch (IOException | RuntimeException | Error e) {
                span.fail(new RangeReadException(location, chunk.offset(), chunk.length(),
                        String.valueOf(e.getMessage()), e));
            } finally {
                bytesInFlight.addAndGet(-chunk.length());
                requestsInFlight.decrementAndGet();
                span.running.remove(self);
                releaseSlots();
            }
        }
    }

    /**
     * The end-to-end check of one whole object read as chunks, or null when the store keeps neither a
     * full-object CRC32C nor an MD5 ({@link Capability#FULL_OBJECT_CRC32C} and {@link Capability#FULL_OBJECT_MD5}
     * absent): then no stat is sent and nothing is checked.
     */
    private WholeObjectCheck startCheck(ObjectStore store, Location location, long size) {
        Set<Capability> capabilities = store.capabilities();
        boolean crc = capabilities.contains(Capability.FULL_OBJECT_CRC32C);
        boolean md5 = capabilities.contains(Capability.FULL_OBJECT_MD5);
        if (!crc && !md5) {
            return null;
        }
        return new WholeObjectCheck(store, location, size, crc, md5);
    }

    /**
     * CRC32Cs of the chunks of one whole object as they land, and the store's own value fetched concurrently
     * (one stat on a thread of this engine, so it adds no latency to the read); {@link #verify} compares them
     * once every chunk has landed. Where the stat shows a full-object CRC32 or CRC64NVME instead (AWS keeps a
     * CRC64NVME for every object uploaded without a checksum), each chunk's CRC of that kind is computed too,
     * on its own thread, and combined the same way: a chunk that lands before the stat has answered waits for
     * it (the stat is one HEAD sent with the first chunk, so it rarely waits at all). Where the store may keep an
     * MD5 instead (S3's single-part ETag), the chunks also go through an in-order MD5 ({@link InOrderDigest})
     * from the start, stopped as soon as the stat shows a full-object CRC (or no MD5), so objects with one pay
     * (almost) nothing for the MD5.
     */
    private final class WholeObjectCheck implements ChunkListener {
        private final ObjectStore store;
        private final Location location;
        private final long size;
        /** Null when the store keeps no CRC32C: no piece is computed. */
        private final Crc32c.Pieces pieces;
        /** Null when the store keeps no MD5. */
        private final InOrderDigest md5;
        /**
         * Settled by the stat: the pieces of the full-object CRC32 or CRC64NVME it shows, or empty when there is
         * none (a CRC32C, which {@link #pieces} computes anyway, an MD5, nothing, or the stat failed).
         */
        private final CompletableFuture<Optional<FullObjectCrc.Pieces>> otherCrc = new CompletableFuture<>();
        private final Future<ObjectInfo> info;
        /** The caller's value, when it gave one: then {@link #store} and {@link #info} are null. */
        private final OptionalInt known;

        WholeObjectCheck(ObjectStore store, Location location, long size, boolean crc, boolean md5) {
            this.store = store;
            this.location = location;
            this.size = size;
            this.known = OptionalInt.empty();
            this.pieces = crc ? new Crc32c.Pieces() : null;
            this.md5 = md5 ? InOrderDigest.md5(0, size) : null;
            Future<ObjectInfo> started;
            try {
                started = executor.submit(this::statAndSettle);
            } catch (RejectedExecutionException e) {
                started = null; // closing: the read fails anyway; verify() then stats inline
                otherCrc.complete(Optional.empty()); // and no chunk waits for a stat that is not coming
            }
            this.info = started;
        }

        /** A check against a CRC32C the caller holds: nothing is asked of the store, no MD5 is computed. */
        WholeObjectCheck(Location location, long size, int expected) {
            this.store = null;
            this.location = location;
            this.size = size;
            this.known = OptionalInt.of(expected);
            this.pieces = new Crc32c.Pieces();
            this.md5 = null;
            this.info = null;
            this.otherCrc.complete(Optional.empty());
        }

        /** A chunk landed in the read's own buffer, which stays unchanged until the read returns. */
        @Override
        public void chunkRead(long offset, ByteBuffer chunk) throws InterruptedIOException {
            crc(offset, chunk);
            if (md5 != null) {
                md5.landed(offset, chunk);
            }
        }

        /** {@link #chunkRead(long, ByteBuffer)} with the chunk's CRC32C computed already. */
        void add(long offset, ByteBuffer chunk, int crc) throws InterruptedIOException {
            add(offset, chunk.remaining(), crc);
            otherCrc(offset, chunk);
            if (md5 != null) {
                md5.landed(offset, chunk);
            }
        }

        void add(long offset, long length, int crc) {
            if (pieces != null) {
                pieces.add(offset, length, crc);
            }
        }

        /** The CRC parts only, for a chunk in a buffer that is reused: see {@link #hashInOrder}. */
        void crc(long offset, ByteBuffer chunk) throws InterruptedIOException {
            if (pieces != null) {
                pieces.add(offset, chunk);
            }
            otherCrc(offset, chunk);
        }

        /**
         * The chunk's CRC32 or CRC64NVME, when the stat shows the store keeps one of those (and no CRC32C): waits
         * for the stat to answer first. Nothing when the store offers no full-object CRC at all.
         */
        void otherCrc(long offset, ByteBuffer chunk) throws InterruptedIOException {
            if (pieces == null) {
                return;
            }
            Optional<FullObjectCrc.Pieces> other;
            try {
                other = otherCrc.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location + ": interrupted while waiting for the stat of the checksum check");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            }
            other.ifPresent(p -> p.add(offset, chunk));
        }

        /**
         * The MD5 part for a chunk in a buffer that is reused: returns once the chunk is hashed (after every
         * earlier one) or the MD5 is not needed, so the buffer may be given back.
         */
        void hashInOrder(long offset, ByteBuffer chunk) throws InterruptedIOException {
            if (md5 != null) {
                md5.landed(offset, chunk);
                md5.awaitHashed(offset + chunk.remaining());
            }
        }

        /**
         * Whether the in-order MD5 may need this read's chunks, which it hashes whole and in offset order: a
         * chunk streamed through a reused piece would then wait for every earlier chunk before its next piece,
         * one chunk at a time. Waits for the stat to settle that (sent with the first chunks, it has mostly
         * answered by the time they land).
         */
        boolean needsWholeChunks() throws InterruptedIOException {
            if (md5 == null) {
                return false;
            }
            try {
                otherCrc.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location + ": interrupted while waiting for the stat of the checksum check");
            } catch (ExecutionException e) {
                throw new IllegalStateException(e); // never completed exceptionally
            }
            return !md5.stopped();
        }

        void cancel() {
            otherCrc.complete(Optional.empty());
            if (info != null) {
                info.cancel(true);
            }
            if (md5 != null) {
                md5.stop();
            }
        }

        void verify() throws IOException {
            OptionalInt expected;
            if (known.isPresent()) {
                expected = known;
            } else {
                ObjectInfo stat = stat();
                Optional<FullObjectCrc.Stored> stored = storedCrc(stat);
                if (stored.isEmpty()) {
                    verifyMd5(stat);
                    return;
                }
                if (stored.get().kind() != FullObjectCrc.CRC32C) {
                    verifyOtherCrc(stored.get());
                    return;
                }
                expected = OptionalInt.of((int) stored.get().value());
            }
            if (md5 != null) {
                md5.stop();
            }
            OptionalInt actual = pieces.combined(size);
            if (actual.isEmpty()) {
                throw new IllegalStateException(location + ": the chunks read do not cover the object's " + size + " bytes");
            }
            if (actual.getAsInt() != expected.getAsInt()) {
                throw new ChecksumMismatchException(location, "CRC32C", Crc32c.base64(expected.getAsInt()),
                        Crc32c.base64(actual.getAsInt()));
            }
        }

        /** The full-object CRC the stat shows that this check uses, when the store offers them at all. */
        private Optional<FullObjectCrc.Stored> storedCrc(ObjectInfo stat) {
            return pieces == null ? Optional.empty() : FullObjectCrc.storedIn(stat);
        }

        /** A stored full-object CRC32 or CRC64NVME against the chunks' values of that kind, combined. */
        private void verifyOtherCrc(FullObjectCrc.Stored stored) throws IOException {
            if (md5 != null) {
                md5.stop();
            }
            FullObjectCrc.Pieces other = otherCrc.getNow(Optional.empty()).filter(p -> p.kind() == stored.kind())
                    .orElseThrow(() -> new StorageException(location, "the " + stored.kind() + " checksum check could not "
                            + "run (the stat answered after the read, as the engine closed)"));
            java.util.OptionalLong actual = other.combined(size);
            if (actual.isEmpty()) {
                throw new IllegalStateException(location + ": the chunks read do not cover the object's " + size + " bytes");
            }
            if (actual.getAsLong() != stored.value()) {
                throw new ChecksumMismatchException(location, stored.kind().name(), stored.base64(),
                        stored.kind().base64(actual.getAsLong()));
            }
        }

        /** No full-object CRC: the MD5 the store keeps, if any (else the object is read unchecked). */
        private void verifyMd5(ObjectInfo stat) throws IOException {
            Optional<String> expected = md5 == null ? Optional.empty() : expectedMd5(stat);
            if (expected.isEmpty()) {
                return;
            }
            byte[] actual = md5.finish().orElseThrow(() -> new IllegalStateException(location
                    + ": the in-order MD5 stopped before the end of the object"));
            String hex = HexFormat.of().formatHex(actual);
            if (!hex.equalsIgnoreCase(expected.get())) {
                throw new ChecksumMismatchException(location, "MD5", expected.get(), hex);
            }
        }

        /** The MD5 to check against: only when the store keeps no full-object CRC (the cheaper check). */
        private Optional<String> expectedMd5(ObjectInfo stat) {
            if (storedCrc(stat).isPresent()) {
                return Optional.empty();
            }
            return stat.md5().filter(hex -> BodyDigest.ofMd5ETag(hex).isPresent());
        }

        /** The store's stat, which also settles whether the in-order MD5 is needed at all. */
        private ObjectInfo statAndSettle() throws IOException {
            try {
                ObjectInfo stat = store.stat(location);
                Optional<FullObjectCrc.Stored> stored = storedCrc(stat);
                // The MD5 settled first: needsWholeChunks() reads it once otherCrc is complete.
                if (md5 != null && expectedMd5(stat).isEmpty()) {
                    md5.stop(); // a CRC checks it, or nothing can: no MD5 work
                }
                otherCrc.complete(stored.filter(crc -> crc.kind() != FullObjectCrc.CRC32C).map(crc -> crc.kind().pieces()));
                return stat;
            } catch (IOException | RuntimeException e) {
                if (md5 != null) {
                    md5.stop(); // verify() throws this failure
                }
                otherCrc.complete(Optional.empty()); // verify() throws this failure
                throw e;
            }
        }

        private ObjectInfo stat() throws IOException {
            if (info == null) {
                return statAndSettle();
            }
            try {
                return info.get();
            } catch (InterruptedException e) {
                info.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location + ": interrupted while checking the read");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new StorageException(location, "stat for the checksum check failed", e.getCause());
            }
        }
    }

    private static void acquire(Semaphore semaphore, Location location) throws InterruptedIOException {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(location + ": interrupted while waiting for a range slot");
        }
    }

    private void checkOpen() throws IOException {
        if (state.get() == State.CLOSED) {
            throw new IOException("the range engine " + threadPrefix + " is closed");
        }
    }

    /** Interrupts running requests and waits for this engine's threads to end. Idempotent. */
    @Override
    public void close() {
        if (!state.compareAndSet(State.OPEN, State.CLOSED)) {
            return;
        }
        executor.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (executor.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        probeBuffers.clear();
        heapPieces.clear();
        directPieces.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RangeEngine[" + threadPrefix + ", " + config + "]";
    }
}
