package io.s3dlio.store.local;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code direct:///absolute/path}: local files read and written with O_DIRECT, bypassing the page cache.
 *
 * <p>O_DIRECT needs the file offset, the length and the buffer address aligned to the file system's block
 * size ({@link java.nio.file.FileStore#getBlockSize()}, which is also what the JDK checks). Reads of any
 * range are widened to aligned blocks into one native aligned buffer, which the device fills directly, and
 * the caller gets a slice of it: no copy.
 * Writes stage into one aligned buffer and write whole blocks; the unaligned tail is padded with zeros,
 * written, and the file truncated to its real length, all in the temporary file before the atomic rename.
 * {@link #read} into a caller's buffer copies from an aligned bounce buffer unless the caller's buffer is
 * already aligned.
 *
 * <p>A file system that refuses O_DIRECT fails with a {@link StorageException} naming the path and its
 * file-system type; there is never a silent fallback to buffered I/O.
 */
final class DirectObjectStore extends LocalObjectStore {
    /** Largest staging buffer of one writer, and largest bounce buffer of one read or copy. */
    static final int MAX_CHUNK = 8 * 1024 * 1024;
    /** Staging size of a writer that was not told its size. */
    static final int DEFAULT_CHUNK = 4 * 1024 * 1024;

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: javac flags every direct reference
     * to it as "internal proprietary API" with a warning no annotation can suppress, and this build treats
     * warnings as errors. The option is public and supported in jdk.unsupported of every OpenJDK build.
     */
    static final OpenOption DIRECT = directOption();
    private static final OpenOption[] READ = {StandardOpenOption.READ, DIRECT};
    private static final OpenOption[] CREATE = {StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, DIRECT};

    private static OpenOption directOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("this JDK has no com.sun.nio.file.ExtendedOpenOption.DIRECT (module"
                    + " jdk.unsupported), so direct:// cannot open files with O_DIRECT; use an OpenJDK build", e);
        }
    }

    /**
     * Bounce buffers for reads into buffers O_DIRECT cannot fill itself (heap or unaligned), kept for reuse:
     * direct memory is only returned when the garbage collector gets round to it, so a buffer per read let a
     * 2 GiB read in 8 MiB calls hold 2 GiB. At most {@link #IDLE_BOUNCES} wait here; more in use at once are
     * allocated and then dropped.
     */
    private final ConcurrentLinkedQueue<ByteBuffer> bounces = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleBounces = new AtomicInteger();
    private final AtomicInteger bouncesAllocated = new AtomicInteger();
    static final int IDLE_BOUNCES = 8;

    /** Block size per device: FileStore lookups parse the mount table, so do them once per file system. */
    private final Map<Object, Integer> alignments = new ConcurrentHashMap<>();

    DirectObjectStore() {
        super("direct", EnumSet.of(Capability.DIRECT_IO, Capability.ATOMIC_RENAME, Capability.CONDITIONAL_WRITE));
    }

    /** The O_DIRECT alignment for files in the file system holding {@code path} (which must exist). */
    int alignment(Location location, Path path) throws IOException {
        Object device = Files.getAttribute(path, "unix:dev");
        Integer known = alignments.get(device);
        if (known != null) {
            return known;
        }
        long blockSize = Files.getFileStore(path).getBlockSize();
        if (blockSize < 512 || blockSize > MAX_CHUNK || Long.bitCount(blockSize) != 1) {
            throw new StorageException(location, "the file system at " + path + " reports a block size of "
                    + blockSize + " bytes, which cannot be used as an O_DIRECT alignment");
        }
        alignments.put(device, (int) blockSize);
        return (int) blockSize;
    }

    /** A buffer of {@code size} bytes (a multiple of {@code alignment}) whose address is aligned. */
    static ByteBuffer alignedBuffer(int size, int alignment) {
        return ByteBuffer.allocateDirect(size + alignment).alignedSlice(alignment).limit(size);
    }

    static long alignDown(long value, int alignment) {
        return value & -alignment;
    }

    static long alignUp(long value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    @Override
    FileChannel openRead(Location location, Path path) throws IOException {
        try {
            return FileChannel.open(path, READ);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (IOException e) {
            throw refusedOrOriginal(location, path, e, () -> FileChannel.open(path, StandardOpenOption.READ).close());
        }
    }

    private interface Probe {
        void run() throws IOException;
    }

    /**
     * When an O_DIRECT open fails but the same open without O_DIRECT works, the file system refuses O_DIRECT
     * (tmpfs before Linux 6.6, procfs, many FUSE file systems answer EINVAL): say so plainly.
     */
    private static IOException refusedOrOriginal(Location location, Path path, IOException failure, Probe withoutDirect) {
        try {
            withoutDirect.run();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
            return failure;
        }
        return new StorageException(location, "O_DIRECT is not supported by the file system at " + path + " ("
                + fileSystemType(path) + "): the kernel refused to open it with O_DIRECT (" + LocalErrors.describe(failure)
                + "). Use file:// for this path, or keep the data on a file system that supports direct I/O"
                + " (ext4, xfs)", failure);
    }

    static String fileSystemType(Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            try {
                return Files.getFileStore(p).type();
            } catch (IOException | RuntimeException e) {
                // try the parent: the file itself may be gone already
            }
        }
        return "unknown type";
    }

    @Override
    ObjectBytes readBytes(Location location, Path path, FileChannel channel, long offset, int length) throws IOException {
        int alignment = alignment(location, path);
        long start = alignDown(offset, alignment);
        long span = alignUp(offset + length, alignment) - start;
        if (span > MAX_BUFFER - alignment) {
            throw new StorageException(location, "a read of " + length + " bytes at offset " + offset + " needs an aligned"
                    + " buffer of " + span + " bytes, more than one buffer holds; read it in smaller ranges");
        }
        ByteBuffer buffer = alignedBuffer((int) span, alignment);
        int wanted = (int) (offset - start) + length;
        int got = readAligned(channel, buffer, start, alignment);
        if (got < wanted) {
            throw new StorageException(location, "file ended at byte " + (start + got) + " while reading up to byte "
                    + (offset + length) + "; it was truncated in place by another writer");
        }
        // The caller sees exactly its range: a view of the aligned buffer, no copy.
        return ObjectBytes.wrap(buffer.slice((int) (offset - start), length));
    }

    /**
     * Reads aligned blocks from {@code position} (aligned) until {@code buffer} is full or the file ends;
     * returns the bytes read. At the end of the file O_DIRECT returns a short, unaligned count: that ends it.
     */
    static int readAligned(FileChannel channel, ByteBuffer buffer, long position, int alignment) throws IOException {
        int begin = buffer.position();
        while (buffer.hasRemaining()) {
            int done = buffer.position() - begin;
            int n = channel.read(buffer, position + done);
            if (n <= 0 || (buffer.position() - begin) % alignment != 0) {
                break;
            }
        }
        return buffer.position() - begin;
    }

    @Override
    void readInto(Location location, Path path, FileChannel channel, long offset, ByteBuffer target, int length)
            throws IOException {
        int alignment = alignment(location, path);
        if (target.isDirect() && offset % alignment == 0 && length % alignment == 0
                && target.alignmentOffset(target.position(), alignment) == 0) {
            ByteBuffer view = target.slice(target.position(), length);
            if (readAligned(channel, view, offset, alignment) < length) {
                throw new StorageException(location, "file ended while reading " + length + " bytes at " + offset
                        + "; it was truncated in place by another writer");
            }
            target.position(target.position() + length);
            return;
        }
        long position = offset;
        int remaining = length;
        ByteBuffer bounce = takeBounce(alignment);
        try {
            while (remaining > 0) {
                long blockStart = alignDown(position, alignment);
                int skip = (int) (position - blockStart);
                int window = (int) Math.min(alignUp((long) skip + remaining, alignment), MAX_CHUNK);
                bounce.clear().limit(window);
                int got = readAligned(channel, bounce, blockStart, alignment);
                int usable = Math.min(got - skip, remaining);
                if (usable <= 0) {
                    throw new StorageException(location, "file ended at byte " + (blockStart + got) + " while reading;"
                            + " it was truncated in place by another writer");
                }
                target.put(bounce.slice(skip, usable));
                position += usable;
                remaining -= usable;
            }
        } finally {
            giveBounce(bounce);
        }
    }

    /** A bounce buffer of {@link #MAX_CHUNK} bytes aligned to {@code alignment}, reused when one is idle. */
    private ByteBuffer takeBounce(int alignment) {
        ByteBuffer idle;
        while ((idle = bounces.poll()) != null) {
            idleBounces.decrementAndGet();
            if (idle.alignmentOffset(0, alignment) == 0) {
                return idle;
            }
            // aligned for a smaller block size than this file system's: let it go
        }
        bouncesAllocated.incrementAndGet();
        return alignedBuffer(MAX_CHUNK, alignment);
    }

    /** Bounce buffers allocated so far (tests: reads in sequence must reuse one). */
    int bouncesAllocated() {
        return bouncesAllocated.get();
    }

    private void giveBounce(ByteBuffer bounce) {
        if (idleBounces.incrementAndGet() <= IDLE_BOUNCES) {
            bounces.offer(bounce.clear());
        } else {
            idleBounces.decrementAndGet();
        }
    }

    @Override
    TempSink openTemp(Location location, AtomicReplace replace, WriteOptions options) throws IOException {
        FileChannel channel = replace.createTemp(temp -> createDirect(location, temp));
        try {
            int alignment = alignment(location, replace.temp());
            long expected = options.expectedSize().orElse(DEFAULT_CHUNK);
            int chunk = (int) Math.max(alignment, Math.min(alignUp(Math.max(expected, 1), alignment), MAX_CHUNK));
            return new DirectSink(channel, alignment, chunk);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Creates a temporary file with O_DIRECT, or explains that the file system refuses it. */
    private static FileChannel createDirect(Location location, Path temp) throws IOException {
        try {
            return FileChannel.open(temp, CREATE);
        } catch (NoSuchFileException | AccessDeniedException | FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            // Some kernels create the file before refusing O_DIRECT: never leave it behind.
            Files.deleteIfExists(temp);
            throw refusedOrOriginal(location, temp, e, () -> {
                FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                Files.delete(temp);
            });
        }
    }

    @Override
    void copyInto(Location source, Path from, Location target, AtomicReplace replace) throws IOException {
        try (FileChannel in = openRead(source, from);
             TempSink out = openTemp(target, replace, WriteOptions.DEFAULT.withExpectedSize(in.size()))) {
            int alignment = alignment(source, from);
            long size = in.size();
            ByteBuffer bounce = takeBounce(alignment);
            try {
                long position = 0;
                while (position < size) {
                    bounce.clear();
                    int got = readAligned(in, bounce, position, alignment);
                    if (got == 0) {
                        throw new StorageException(source, "file ended at byte " + position + " of " + size
                                + " while copying; it was truncated in place by another writer");
                    }
                    bounce.flip();
                    out.write(bounce);
                    position += got;
                }
            } finally {
                giveBounce(bounce);
            }
            out.finish();
        }
    }

    /**
     * Stages bytes in one aligned buffer and writes it with O_DIRECT whenever it is full. Finish pads the
     * last partial block with zeros, writes it, and truncates the file back to the bytes actually written.
     */
    private static final class DirectSink implements TempSink {
        private final FileChannel channel;
        private final int alignment;
        private final ByteBuffer staging;
        private long written;
        private boolean closed;

        DirectSink(FileChannel channel, int alignment, int chunk) {
            this.channel = channel;
            this.alignment = alignment;
            this.staging = alignedBuffer(chunk, alignment);
        }

        @Override
        public void write(ByteBuffer data) throws IOException {
            while (data.hasRemaining()) {
                int n = Math.min(staging.remaining(), data.remaining());
                staging.put(staging.position(), data, data.position(), n);
                staging.position(staging.position() + n);
                data.position(data.position() + n);
                if (!staging.hasRemaining()) {
                    flush(staging.position());
                }
            }
        }

        /** Writes the first {@code length} staged bytes (a multiple of the alignment) at the file's end. */
        private void flush(int length) throws IOException {
            staging.flip();
            long position = written;
            while (staging.hasRemaining()) {
                position += channel.write(staging, position);
            }
            written += length;
            staging.clear();
        }

        @Override
        public void finish() throws IOException {
            int tail = staging.position();
            if (tail > 0) {
                int padded = (int) alignUp(tail, alignment);
                for (int i = tail; i < padded; i++) {
                    staging.put(i, (byte) 0);
                }
                staging.position(padded);
                flush(tail);
                channel.truncate(written);
            }
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                channel.close();
            }
        }
    }
}
