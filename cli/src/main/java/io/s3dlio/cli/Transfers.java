package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.engine.range.RangedObjectStore;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte-moving steps commands share. Memory is bounded: objects larger than one chunk move in chunks
 * through buffers from a pool of one buffer per job.
 */
final class Transfers {
    /** Chunk for streamed reads and writes: few requests per object, and jobs x chunk stays modest. */
    static final int CHUNK = 8 * 1024 * 1024;

    /** Temporary download files being written, so an interrupted process (Ctrl-C) can remove them. */
    private static final Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();

    private Transfers() {}

    /** Deletes the temporary files of downloads still in progress; {@link Main}'s shutdown hook calls it. */
    static void deleteTemporaries() {
        for (Path temporary : TEMPORARIES) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // Best effort while the process ends: the file has a hidden temporary name, never the real one.
            }
        }
    }

    /** Receives an object's bytes in order, one chunk at a time; the buffer is only valid during the call. */
    @FunctionalInterface
    interface Sink {
        void accept(ByteBuffer chunk) throws IOException;
    }

    /** Reusable chunk buffers, one per job plus the shared reserve, allocated on first use. */
    static final class BufferPool {
        /** Extra chunk memory all large downloads of one command share, beyond one buffer per job. */
        static final long RESERVE_BYTES = 256L * 1024 * 1024;

        private final BlockingQueue<ByteBuffer> free;
        private final Semaphore reserve = new Semaphore((int) (RESERVE_BYTES / CHUNK));
        private final int size;

        BufferPool(int buffers, int size) {
            // Room for the reserve's buffers too, so helpers of one large download hand theirs to the next.
            this.free = new ArrayBlockingQueue<>(buffers + reserve.availablePermits());
            this.size = size;
        }

        /**
         * Claims room for one extra chunk buffer beyond the one per job (for the helpers of a large download);
         * false when the reserve ({@link #RESERVE_BYTES} in all, whatever the number of jobs) is taken.
         */
        boolean tryReserve() {
            return reserve.tryAcquire();
        }

        /** Bytes per buffer. */
        int size() {
            return size;
        }

        /** Returns room claimed with {@link #tryReserve()}. */
        void release() {
            reserve.release();
        }

        ByteBuffer take() {
            ByteBuffer buffer = free.poll();
            return buffer != null ? buffer.clear() : ByteBuffer.allocate(size);
        }

        void give(ByteBuffer buffer) {
            free.offer(buffer);
        }
    }

    /**
     * Reads a whole object into {@code sink}: one {@code get} when the size is known to fit one chunk,
     * otherwise positional reads of one chunk each.
     *
     * @return bytes read
     */
    static long read(ObjectStore store, Location location, OptionalLong knownSize, BufferPool pool, Sink sink)
            throws IOException {
        if (knownSize.isPresent() && knownSize.getAsLong() <= CHUNK) {
            ObjectBytes bytes = store.get(location);
            sink.accept(bytes.buffer());
            return bytes.size();
        }
        ByteBuffer buffer = pool.take();
        try {
            long offset = 0;
            while (true) {
                buffer.clear();
                ReadResult result = store.read(location, offset, buffer);
                if (result.bytesRead() == 0) {
                    break;
                }
                buffer.flip();
                sink.accept(buffer);
                offset += result.bytesRead();
                if (result.objectSize().isPresent() && offset >= result.objectSize().getAsLong()) {
                    break;
                }
                if (store instanceof RangedObjectStore ranged && result.objectSize().isPresent()) {
                    // The first chunk told the size: fetch the rest through the range engine, one window at a
                    // time, so chunks arrive concurrently while memory stays at one window per object.
                    return offset + readWindows(ranged, location, offset, result.objectSize().getAsLong(), sink);
                }
            }
            return offset;
        } finally {
            pool.give(buffer);
        }
    }

    /** Bytes in flight per object when the range engine reads for the CLI (several of its chunks at once). */
    static final long RANGE_WINDOW = 8 * CHUNK;

    private static long readWindows(RangedObjectStore store, Location location, long from, long size, Sink sink)
            throws IOException {
        long offset = from;
        while (offset < size) {
            ObjectBytes window = store.getRange(location, offset, Math.min(RANGE_WINDOW, size - offset), size);
            if (window.size() == 0) {
                throw new java.io.EOFException(location + ": object ended at " + offset + " of the " + size
                        + " bytes its first chunk reported (changed while reading?)");
            }
            sink.accept(window.buffer());
            offset += window.size();
        }
        return offset - from;
    }

    /** Streams an object from one store into another through this process. */
    static WriteResult copyThrough(ObjectStore from, Location source, OptionalLong knownSize, ObjectStore to,
            Location target, BufferPool pool) throws IOException {
        WriteOptions options = knownSize.isPresent() ? WriteOptions.DEFAULT.withExpectedSize(knownSize.getAsLong())
                : WriteOptions.DEFAULT;
        try (ObjectWriter writer = to.newWriter(target, options)) {
            read(from, source, knownSize, pool, writer::write);
            return writer.finish();
        }
    }

    /** Uploads a local file through a streaming writer. */
    static WriteResult upload(Path file, ObjectStore store, Location target, BufferPool pool) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                ObjectWriter writer = store.newWriter(target, WriteOptions.DEFAULT.withExpectedSize(channel.size()))) {
            ByteBuffer buffer = pool.take();
            try {
                while (true) {
                    buffer.clear();
                    int n = channel.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    buffer.flip();
                    writer.write(buffer);
                }
            } finally {
                pool.give(buffer);
            }
            return writer.finish();
        }
    }

    /**
     * Writes an object to a local file: into a temporary name beside the target first, renamed over the
     * target only when complete, so an interrupted download never leaves a partial file under the real name.
     *
     * @return bytes written
     */
    static long download(ObjectStore store, Location source, OptionalLong knownSize, Path target, BufferPool pool)
            throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = parent.resolve("." + target.getFileName() + ".s3cli-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean done = false;
        TEMPORARIES.add(temporary);
        try {
            long bytes;
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (store instanceof RangedObjectStore ranged && pool.size() == CHUNK
                        && (knownSize.isEmpty() || knownSize.getAsLong() > CHUNK)) {
                    bytes = downloadChunks(ranged, source, channel, pool);
                } else {
                    bytes = read(store, source, knownSize, pool, chunk -> {
                        while (chunk.hasRemaining()) {
                            channel.write(chunk);
                        }
                    });
                }
                channel.force(false);
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
     * Downloads into {@code channel} chunk by chunk with positional writes. The first chunk's response tells the
     * size; the rest is fetched by up to the range engine's concurrency of workers, each reading one chunk into
     * its own buffer and writing it at its offset, so network reads and file writes overlap and no chunk waits
     * for a slower neighbour (as whole windows would). Memory: one chunk per worker; helper workers beyond the
     * job's own come from the pool's bounded reserve, so many parallel jobs cannot multiply it.
     *
     * @return bytes written
     */
    private static long downloadChunks(RangedObjectStore store, Location location, FileChannel channel,
            BufferPool pool) throws IOException {
        ByteBuffer buffer = pool.take();
        long size;
        long firstBytes;
        try {
            ReadResult first = store.read(location, 0, buffer.clear());
            buffer.flip();
            writeAt(channel, buffer, 0);
            if (first.objectSize().isEmpty()) {
                // A store that does not say the size: the rest in order, until a read returns nothing.
                long offset = first.bytesRead();
                for (int n = first.bytesRead(); n > 0; offset += n) {
                    n = store.read(location, offset, buffer.clear()).bytesRead();
                    buffer.flip();
                    writeAt(channel, buffer, offset);
                }
                return offset;
            }
            size = first.objectSize().getAsLong();
            if (first.bytesRead() >= size) {
                return size;
            }
            if (first.bytesRead() == 0) {
                throw new EOFException(location + ": no bytes at offset 0 of a " + size + "-byte object");
            }
            firstBytes = first.bytesRead();
        } finally {
            pool.give(buffer);
        }
        long chunks = (size - firstBytes + CHUNK - 1) / CHUNK;
        int workers = (int) Math.max(1, Math.min(store.engine().config().concurrency(), chunks));
        AtomicLong next = new AtomicLong(firstBytes);
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<?>> running = new ArrayList<>(workers);
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("s3-cli-chunks-", 0).factory())) {
            for (int i = 0; i < workers; i++) {
                boolean own = i == 0; // the job's own buffer; every further worker needs one from the reserve
                if (!own && !pool.tryReserve()) {
                    break;
                }
                running.add(executor.submit(() -> {
                    ByteBuffer chunk = pool.take();
                    try {
                        fetchChunks(store, location, size, channel, chunk, next, failed);
                    } catch (IOException | RuntimeException e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        pool.give(chunk);
                        if (!own) {
                            pool.release();
                        }
                    }
                    return null;
                }));
            }
            IOException failure = null;
            for (Future<?> worker : running) {
                try {
                    worker.get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof IOException io ? io
                                : new IOException(location + ": " + e.getCause(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    failed.set(true);
                    running.forEach(f -> f.cancel(true));
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException(location + ": interrupted while downloading");
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
        return size;
    }

    /** One worker of {@link #downloadChunks}: claims the next chunk, reads it whole, writes it at its offset. */
    private static void fetchChunks(ObjectStore store, Location location, long size, FileChannel channel,
            ByteBuffer buffer, AtomicLong next, AtomicBoolean failed) throws IOException {
        long offset;
        while (!failed.get() && (offset = next.getAndAdd(CHUNK)) < size) {
            int length = (int) Math.min(CHUNK, size - offset);
            buffer.clear().limit(length);
            while (buffer.hasRemaining()) {
                ReadResult result = store.read(location, offset + buffer.position(), buffer);
                if (result.objectSize().isPresent() && result.objectSize().getAsLong() != size) {
                    throw new IOException(location + ": the object changed size while being downloaded (" + size
                            + " then " + result.objectSize().getAsLong() + " bytes)");
                }
                if (result.bytesRead() == 0) {
                    throw new EOFException(location + ": object ended at " + (offset + buffer.position())
                            + " of " + size + " bytes");
                }
            }
            buffer.flip();
            writeAt(channel, buffer, offset);
        }
    }

    private static void writeAt(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
