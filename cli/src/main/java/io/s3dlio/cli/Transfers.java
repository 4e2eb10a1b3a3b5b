package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.engine.range.RangedObjectStore;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

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

    /** Reusable chunk buffers, one per job, allocated on first use. */
    static final class BufferPool {
        private final BlockingQueue<ByteBuffer> free;
        private final int size;

        BufferPool(int buffers, int size) {
            this.free = new ArrayBlockingQueue<>(buffers);
            this.size = size;
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
                bytes = read(store, source, knownSize, pool, chunk -> {
                    while (chunk.hasRemaining()) {
                        channel.write(chunk);
                    }
                });
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

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
