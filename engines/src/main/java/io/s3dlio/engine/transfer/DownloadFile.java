package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.engine.buffer.BufferPool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The temporary file of one download, written piece by piece at the pieces' offsets from several threads
 * ({@link io.s3dlio.api.ObjectSink}). With direct writes on, the whole blocks of large pieces go to the disk
 * with {@code O_DIRECT}: the kernel then neither copies them into page-cache pages nor writes those pages back
 * at the {@code fsync} before the rename, which in a profile of a 1 GiB download was 37 % of the process's CPU
 * (docs/BENCHMARKS.md, "S3 read path: client CPU per GiB"). What is not whole aligned blocks (a piece's
 * unaligned head and tail, small pieces, filesystems that refuse {@code O_DIRECT}) goes through the page cache
 * on a second descriptor; the two never write the same block, so the file's bytes are the same either way.
 * {@link #force()} flushes both. An unflushed download's large pieces go through the page cache too while a
 * {@link WriteBackBudget} lasts (see {@link TransferEngine.Builder#directWrites}).
 */
final class DownloadFile implements Closeable {
    /** Pieces below this go through the page cache: a small file gains nothing from a second descriptor. */
    static final int MIN_DIRECT_PIECE = 1024 * 1024;
    /** Staging buffer of aligned memory a heap piece is copied through (O_DIRECT needs aligned addresses). */
    static final int STAGING = 1024 * 1024;
    private static final int MIN_BLOCK = 4096;
    /** The largest block size direct writes are used with; staging buffers are aligned to it. */
    private static final int MAX_BLOCK = 64 * 1024;

    /** O_DIRECT, looked up by name (javac warns on every direct use of com.sun.nio.file); null if absent. */
    private static final OpenOption DIRECT = directOption();

    private final Path path;
    private final FileChannel buffered;
    private final ReentrantLock bufferedWrites = new ReentrantLock();
    private final BufferPool staging;
    private final WriteBackBudget pageCache;
    /** Of a file of known size: whether the whole of it took the page cache; null: decided piece by piece. */
    private final Boolean wholeFileCached;
    private final Object opening = new Object();
    private boolean directTried;
    private volatile FileChannel direct;
    private volatile int block;
    /** Set once a direct write failed: every later piece goes through the page cache. */
    private volatile boolean directFailed;

    /**
     * Creates {@code path} (it must not exist).
     *
     * @param staging the aligned buffers for direct writes, or null for page-cache writes only
     */
    DownloadFile(Path path, BufferPool staging) throws IOException {
        this(path, staging, null, -1);
    }

    /**
     * Creates {@code path} (it must not exist).
     *
     * @param staging the aligned buffers for direct writes, or null for page-cache writes only
     * @param pageCache with staging, for an unflushed download: large pieces go through the page cache within
     *     this budget and with {@code O_DIRECT} past it; null: large pieces always direct
     * @param size the file's size when known, else -1. Known, the whole file takes the page cache or none of it:
     *     of several large files at once one fits rather than each filling part of the budget, and the bytes
     *     taken never go past it (the kernel would start writing them back while the others still arrive).
     */
    DownloadFile(Path path, BufferPool staging, WriteBackBudget pageCache, long size) throws IOException {
        this.path = requireNonNull(path, "path is null");
        this.staging = staging;
        this.pageCache = staging == null ? null : pageCache;
        this.wholeFileCached = (this.pageCache == null || size < MIN_DIRECT_PIECE) ? null : this.pageCache.take(size);
        this.buffered = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /** Writes the remaining bytes of {@code bytes} at {@code offset}; safe from several threads at once. */
    void write(long offset, ByteBuffer bytes) throws IOException {
        int length = bytes.remaining();
        boolean cached = length < MIN_DIRECT_PIECE || pageCacheTakes(length);
        FileChannel channel = cached ? null : direct();
        if (channel == null) {
            writeBuffered(bytes, offset);
            return;
        }
        int b = block;
        long end = offset + length;
        long alignedStart = (offset + b - 1) / b * b;
        long alignedEnd = end / b * b;
        if (alignedEnd - alignedStart < b) {
            writeBuffered(bytes, offset);
            return;
        }
        int start = bytes.position();
        if (alignedStart > offset) {
            writeBuffered(bytes.slice(start, (int) (alignedStart - offset)), offset);
        }
        int from = start + (int) (alignedStart - offset);
        int count = (int) (alignedEnd - alignedStart);
        try {
            writeAligned(channel, bytes, from, alignedStart, count);
        } catch (IOException e) {
            // Some filesystems accept O_DIRECT at open and refuse the writes (EINVAL): the same blocks go through
            // the page cache, and so does the rest of the file; a real failure (no space) fails there again.
            directFailed = true;
            writeBuffered(bytes.slice(from, count), alignedStart);
        }
        if (end > alignedEnd) {
            writeBuffered(bytes.slice(from + (int) (alignedEnd - alignedStart), (int) (end - alignedEnd)),
                    alignedEnd);
        }
        bytes.position(bytes.limit());
    }

    /** Whether a large piece goes through the page cache, by the file's budget or the piece's own. */
    private boolean pageCacheTakes(int length) {
        if (wholeFileCached != null) {
            return wholeFileCached;
        }
        return pageCache != null && pageCache.take(length);
    }

    /** Whole blocks {@code [at, at + count)} from {@code bytes} at index {@code from}, through O_DIRECT. */
    private void writeAligned(FileChannel channel, ByteBuffer bytes, int from, long at, int count) throws IOException {
        if (bytes.isDirect() && bytes.alignmentOffset(from, block) == 0) {
            writeFully(channel, bytes.slice(from, count), at); // already aligned memory: no copy at all
            return;
        }
        ByteBuffer stage = staging.take();
        try {
            for (int done = 0; done < count; ) {
                int n = Math.min(stage.capacity(), count - done);
                stage.clear().put(0, bytes, from + done, n).limit(n);
                writeFully(channel, stage, at + done);
                done += n;
            }
        } finally {
            staging.give(stage);
        }
    }

    /** The O_DIRECT descriptor, opened on first use; null when off or when the filesystem refuses it. */
    private FileChannel direct() {
        if (directFailed) {
            return null;
        }
        FileChannel open = direct;
        if (open != null || staging == null || DIRECT == null) {
            return open;
        }
        synchronized (opening) {
            if (!directTried) {
                directTried = true;
                try {
                    int size = (int) Math.max(MIN_BLOCK, Files.getFileStore(path).getBlockSize());
                    if (size <= MAX_BLOCK && STAGING % size == 0) {
                        block = size;
                        direct = FileChannel.open(path, StandardOpenOption.WRITE, DIRECT);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // tmpfs and some network filesystems refuse O_DIRECT: the page cache it is
                }
            }
            return direct;
        }
    }

    /** Whether an O_DIRECT descriptor is open (some large piece took it). */
    boolean writesDirect() {
        return direct != null;
    }

    /** Flushes what was written, both ways, to the device ({@code fdatasync}). */
    void force() throws IOException {
        buffered.force(false);
        FileChannel open = direct;
        if (open != null) {
            open.force(false);
        }
    }

    @Override
    public void close() throws IOException {
        FileChannel open = direct;
        try {
            buffered.close();
        } finally {
            if (open != null) {
                open.close();
            }
        }
    }

    private static OpenOption directOption() {
        try {
            return (OpenOption) Class.forName("com.sun.nio.file.ExtendedOpenOption").getField("DIRECT").get(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null; // not an OpenJDK build: page-cache writes only
        }
    }

    /**
     * A page-cache write, one at a time per file. ext4 and xfs take the file's inode lock exclusively for every
     * buffered write, so the range writers of one file never copy in parallel anyway, and in the kernel its
     * waiters spin while the holder copies (2 % of a 1 GiB page-cache get's samples in {@code rwsem_spin_on_owner}
     * on two cores); waiting here parks the virtual thread instead.
     */
    private void writeBuffered(ByteBuffer bytes, long offset) throws IOException {
        bufferedWrites.lock();
        try {
            writeFully(buffered, bytes, offset);
        } finally {
            bufferedWrites.unlock();
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer bytes, long offset) throws IOException {
        long at = offset;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    /**
     * Aligned direct buffers of {@link #STAGING} bytes, shared by the downloads of one engine: one is taken per
     * piece being written, so at most one per writing thread is in use; at most {@code kept} stay allocated.
     * Aligned to {@link #MAX_BLOCK}, which every block size accepted for direct writes divides.
     */
    static BufferPool stagingBuffers(int kept) {
        return new BufferPool(() -> BufferPool.alignedDirect(STAGING, MAX_BLOCK), kept);
    }
}
