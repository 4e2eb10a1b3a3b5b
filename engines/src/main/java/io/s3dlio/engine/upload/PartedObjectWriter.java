package io.s3dlio.engine.upload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.spi.AbstractObjectWriter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The multipart upload engine: a streaming {@link io.s3dlio.api.ObjectWriter} that cuts the stream into
 * parts, uploads up to {@code maxInFlight} of them concurrently, and completes them in order.
 *
 * <ul>
 *   <li><b>Bounded memory:</b> at most {@code maxInFlight} parts uploading plus the one being filled; a
 *       {@code write} blocks while the limit is reached.</li>
 *   <li><b>Small objects cost one request:</b> if everything fits in the first part, finish sends a single
 *       whole-object PUT and no multipart upload is ever started.</li>
 *   <li><b>Nothing orphaned:</b> any failure, an {@code abort}, or a {@code close} without {@code finish}
 *       stops the part uploads and calls {@link PartUploadTarget#abort}.</li>
 * </ul>
 *
 * <p>Buffers: parts, and the buffer of an object smaller than a part (sized to it), come from a {@link
 * PartBufferPool} and go back to it when their upload succeeded, so a store that shares one pool among its
 * writers allocates about (parts in flight + 1) buffers in all, however many objects it uploads; a {@linkplain
 * PartBufferPool#bounded bounded} pool caps the bytes of all its writers together (a writer then waits for a
 * buffer as it waits for an upload slot). {@link #writeFrom} reads a channel straight into the buffer (no
 * chunk copy).
 *
 * <p>Threads: one virtual thread per part in flight, from an executor this writer owns and closes.
 *
 * @param <R> the service's receipt for one part
 */
public final class PartedObjectWriter<R> extends AbstractObjectWriter {
    /** A part lives in one heap buffer; parts above this are not useful and do not fit one array. */
    static final long MAX_BUFFERED_PART = 1024L * 1024 * 1024;
    /** First buffer of a stream whose size was not given; doubled as the stream goes on, up to one part. */
    static final int FIRST_BUFFER_UNKNOWN_SIZE = 1024 * 1024;
    /** The smallest first buffer of an object of known size (a page). */
    private static final long SMALLEST_CLASS = 4096;

    private final PartUploadTarget<R> target;
    private final PartSizing sizing;
    private final Semaphore inFlight;
    private final ExecutorService executor;
    private final List<Future<R>> parts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Part buffers whose upload finished, reused so a long upload allocates about maxInFlight + 1 buffers in all. */
    private final PartBufferPool pool;
    /** The buffers this writer took from the pool and has not handed back (filling or uploading). */
    private final Set<ByteBuffer> fromPool = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private ByteBuffer current;
    private boolean begun;
    /** Bytes the caller said the object will have, if it said: the first buffer need not be larger. */
    private final long expectedSize;

    /** A writer cut and driven as {@code plan} says (from {@link io.s3dlio.engine.tuning.UploadPolicy#plan}). */
    public PartedObjectWriter(Location location, WriteOptions options, PartUploadTarget<R> target, UploadPlan plan)
            throws IOException {
        this(location, options, target, plan.sizing(), plan.partsInFlight(), null);
    }

    /**
     * A writer cut and driven as {@code plan} says, taking its part buffers from {@code pool} (shared by a
     * store's writers) and handing them back when their parts are uploaded.
     */
    public PartedObjectWriter(Location location, WriteOptions options, PartUploadTarget<R> target, UploadPlan plan,
            PartBufferPool pool) throws IOException {
        this(location, options, target, plan.sizing(), plan.partsInFlight(), requireNonNull(pool, "pool is null"));
    }

    public PartedObjectWriter(Location location, WriteOptions options, PartUploadTarget<R> target, PartSizing sizing,
            int maxInFlight) throws IOException {
        this(location, options, target, sizing, maxInFlight, null);
    }

    private PartedObjectWriter(Location location, WriteOptions options, PartUploadTarget<R> target, PartSizing sizing,
            int maxInFlight, PartBufferPool pool) throws IOException {
        super(location, options);
        this.expectedSize = options.expectedSize().orElse(-1);
        this.target = requireNonNull(target, "target is null");
        this.sizing = requireNonNull(sizing, "sizing is null");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.inFlight = new Semaphore(maxInFlight);
        // Without a shared pool, one of this writer's own: heap buffers, as many as it can hold at once.
        this.pool = pool != null ? pool : new PartBufferPool(maxInFlight + 1, false);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3dlio-upload-part-", 0).factory());
    }

    @Override
    protected void writeStored(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            rethrowFailure();
            int partSize = roomForNextBytes();
            int n = Math.min(current.remaining(), data.remaining());
            current.put(data.slice(data.position(), n));
            data.position(data.position() + n);
            submitIfFull(partSize);
        }
    }

    /** Reads {@code in} to its end straight into the part buffers: no chunk, no copy ({@code chunk} unused). */
    @Override
    protected long readStored(ReadableByteChannel in, ByteBuffer chunk) throws IOException {
        long total = 0;
        while (true) {
            rethrowFailure();
            int partSize = roomForNextBytes();
            int start = current.position();
            int n = in.read(current);
            if (n < 0) {
                return total;
            }
            if (n > 0) {
                accepted(current.slice(start, n));
                total += n;
            }
            submitIfFull(partSize);
        }
    }

    /** Makes {@code current} a buffer with room; returns the size of the part being filled. */
    private int roomForNextBytes() throws IOException {
        int partSize = (int) Math.min(MAX_BUFFERED_PART, sizing.partSize(parts.size() + 1));
        if (current == null) {
            current = takeFromPool(parts.isEmpty() ? firstCapacity(partSize) : partSize, partSize);
        } else if (!current.hasRemaining()) {
            current = grow(current, partSize); // a full buffer smaller than a part, and more bytes coming
        }
        return partSize;
    }

    private void submitIfFull(int partSize) throws IOException {
        if (!current.hasRemaining() && current.capacity() >= partSize) {
            submit(current);
            current = null;
        }
    }

    /**
     * The first buffer starts at the expected size (or 1 MiB when none was given), not at a whole part: a
     * 64 KiB object must not hold a 16 MiB part. It grows if more bytes come (compression overhead, a caller
     * whose estimate was low) until it is a whole part. An expected size is rounded up to a {@linkplain
     * #sizeClass size class} above it: one byte more than the object, so that reading a file of exactly that
     * size meets its end in the same buffer instead of growing a full one to find there is nothing more, and
     * a class, so that objects of similar sizes reuse each other's pool buffers.
     */
    private int firstCapacity(int partSize) {
        long start = expectedSize >= 0 ? sizeClass(expectedSize + 1) : FIRST_BUFFER_UNKNOWN_SIZE;
        return (int) Math.min(partSize, start);
    }

    /**
     * {@code bytes} rounded up to one of eight steps per power of two (at least 4 KiB): at most 12.5 % more
     * than asked, and few distinct sizes for the pool to keep.
     */
    static long sizeClass(long bytes) {
        if (bytes <= SMALLEST_CLASS) {
            return SMALLEST_CLASS;
        }
        long step = Long.highestOneBit(bytes - 1) / 8;
        step = Math.max(step, SMALLEST_CLASS);
        return (bytes + step - 1) / step * step;
    }

    private ByteBuffer grow(ByteBuffer full, int partSize) throws IOException {
        int capacity = (int) Math.min(partSize, Math.max(2L * full.capacity(), FIRST_BUFFER_UNKNOWN_SIZE));
        ByteBuffer larger = takeFromPool(capacity, partSize);
        larger.put(full.flip());
        recycle(full);
        return larger;
    }

    private ByteBuffer takeFromPool(int capacity, int partSize) throws IOException {
        ByteBuffer buffer = pool.take(capacity, partSize);
        fromPool.add(buffer);
        return buffer;
    }

    /** Hands a buffer nobody reads any more back to the pool, if it came from there. */
    private void recycle(ByteBuffer buffer) {
        if (fromPool.remove(buffer)) {
            pool.give(buffer);
        }
    }

    /** Returns a pool buffer that something may still read to the pool's budget, without reusing it. */
    private void discard(ByteBuffer buffer) {
        if (fromPool.remove(buffer)) {
            pool.release(buffer);
        }
    }

    private void submit(ByteBuffer part) throws IOException {
        if (!begun) {
            begin();
        }
        acquireSlot();
        int partNumber = parts.size() + 1;
        part.flip();
        if (fromPool.contains(part)) {
            pool.uploading(part);
        }
        try {
            parts.add(executor.submit(() -> {
                try {
                    R receipt = target.uploadPart(partNumber, part);
                    recycle(part); // only after success: a failed or cancelled request may still be reading it
                    return receipt;
                } catch (Throwable e) {
                    discard(part);
                    failure.compareAndSet(null, e);
                    throw e;
                } finally {
                    inFlight.release();
                }
            }));
        } catch (RuntimeException e) {
            inFlight.release();
            discard(part);
            throw e;
        }
    }

    /**
     * Starts the upload on a thread of this writer's own, and waits for it to the end even if this thread is
     * interrupted (the interrupt is kept for what follows). An interrupt arriving while the request is under
     * way (Ctrl-C just after it was sent) would otherwise leave an upload the server created but this writer
     * never learnt the id of, so could not abort.
     */
    private void begin() throws IOException {
        Future<?> started = executor.submit(() -> {
            target.begin();
            return null;
        });
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    started.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw asIOException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        begun = true;
    }

    private void acquireSlot() throws IOException {
        try {
            // Wake up now and then so a failed part stops a writer that is waiting for room.
            while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                rethrowFailure();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(location() + ": interrupted while waiting for an upload slot");
        }
        rethrowFailure();
    }

    private void rethrowFailure() throws IOException {
        Throwable cause = failure.get();
        if (cause != null) {
            throw asIOException(cause);
        }
    }

    private IOException asIOException(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        return new StorageException(location(), "part upload failed: " + cause, cause);
    }

    @Override
    protected Optional<String> completeStored() throws IOException {
        try {
            if (!begun) {
                ByteBuffer whole = current == null ? ByteBuffer.allocate(0) : current.flip();
                current = null;
                if (fromPool.contains(whole)) {
                    // Sent now: a writer waiting for budget may wait for it, as for an uploading part.
                    pool.uploading(whole);
                }
                Optional<String> etag = target.putWhole(whole);
                recycle(whole);
                return etag;
            }
            if (current != null && current.position() > 0) {
                submit(current);
            } else if (current != null) {
                recycle(current); // taken to find the end of a channel that ended on a part boundary
            }
            current = null;
            List<R> receipts = new ArrayList<>(parts.size());
            for (Future<R> part : parts) {
                receipts.add(await(part));
            }
            return target.complete(receipts);
        } finally {
            if (failure.get() == null) {
                executor.close();
            }
        }
    }

    private R await(Future<R> part) throws IOException {
        try {
            return part.get();
        } catch (ExecutionException e) {
            throw asIOException(e.getCause());
        } catch (CancellationException e) {
            throw new StorageException(location(), "part upload cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(location() + ": interrupted while waiting for parts");
        }
    }

    @Override
    protected void abortStored() throws IOException {
        if (current != null) {
            discard(current);
        }
        current = null;
        for (Future<R> part : parts) {
            part.cancel(true);
        }
        // A writer is most often aborted because its thread was interrupted (a cancelled transfer, Ctrl-C). The
        // abort request must still go out: an HTTP client refuses to start one on an interrupted thread, which
        // left the upload open on the server. The interrupt is put back once the abort has run.
        boolean interrupted = Thread.interrupted();
        try {
            // Wait for cancelled uploads to stop, so no part lands after the upload is aborted.
            executor.close();
            // Parts cancelled before their upload started never handed their buffers back: the budget gets them.
            List<ByteBuffer> left;
            synchronized (fromPool) {
                left = new ArrayList<>(fromPool);
            }
            left.forEach(this::discard);
            if (begun) {
                target.abort();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
