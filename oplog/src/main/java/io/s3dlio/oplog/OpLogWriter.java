package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes operations to a zstd-compressed op-log file ({@link OpLogFormat}) from one background thread, so a
 * recording I/O thread only enqueues. The queue is bounded: when it is full the recording thread waits
 * ({@link OpLogOptions.WhenFull#BLOCK}) or the line is dropped ({@link OpLogOptions.WhenFull#DROP}); either way
 * it is counted in {@link #stats()}, logged once as a warning, and noted in a {@code #} comment at the end of
 * the file. The file is written under {@code PATH.partial} and renamed to {@code PATH} by {@link #close()}, so a
 * file under the final name is always complete; close it at exit (the CLI does so from a shutdown hook, so
 * Ctrl-C still leaves a complete file).
 */
public final class OpLogWriter implements OperationListener, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("io.s3dlio.oplog");
    /** Lines encoded before they go to the compressor. */
    private static final int BATCH = 4096;
    /**
     * zstd's fast mode, level -5: 150-170 ns a line against 290 at level 1 and 600-1,300 at level 3 (measured on
     * 200,000 GET lines of 186 bytes, 600 KB writes), for 38 bytes a line compressed against 27.5: the writer's
     * CPU competes with the I/O threads for the same cores, the file's size is rarely what limits a run.
     */
    private static final int ZSTD_LEVEL = -5;
    /**
     * How long the writer sleeps between drains when nobody wakes it. Recording threads do not wake it per
     * operation (with a blocking queue that was a lock, a signal and often a context switch per operation, on the
     * I/O thread); they wake it once {@link #wakeAt} operations wait, and close wakes it to finish. Each wake-up
     * costs the writer tens of microseconds on a busy machine (a context switch, caches refilled), so it should
     * carry thousands of lines, not tens: at 5 ms the writer's own CPU came to 1.5-11 us a GET.
     */
    private static final long PERIOD_NANOS = 100_000_000;
    /** How long a recording thread waiting for space in a full queue sleeps at most before it looks again. */
    private static final long FULL_WAIT_NANOS = 1_000_000;
    /** Set in {@link #tail} by {@link #close()}: no position is handed out after it. */
    private static final long CLOSED = 1L << 62;

    private final OpLogOptions options;
    private final Path partial;
    private final Thread thread;
    private final OutputStream out;
    /**
     * The queue: a ring of slots that recording threads fill without a lock. A thread takes a position by
     * advancing {@link #tail} (one compare-and-set, refused when {@code capacity} are waiting) and then stores
     * its operation there; the writer reads positions from {@link #head} on, in order, stopping at a slot not yet
     * stored. The array is the capacity rounded up to a power of two, so a position maps to a slot by a mask.
     */
    private final AtomicReferenceArray<Operation> slots;
    private final int mask;
    private final long capacity;
    /** Waiting operations at which a recording thread wakes the writer: a batch, or half a small queue. */
    private final long wakeAt;
    private final AtomicLong tail = new AtomicLong();
    /** The first position the writer has not taken; written by the writer thread only. */
    private volatile long head;
    /** Recording threads waiting for space (BLOCK): the writer wakes them when it has taken operations. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Thread> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** A recording thread has woken the writer ({@link #wakeAt} waiting) since its last drain. */
    private volatile boolean woken;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong waitNanos = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private volatile IOException failure;
    private boolean closed;

    /** What happened to the operations handed to a writer. */
    public record Stats(long written, long waited, long waitNanos, long dropped, long afterClose) {
        /** Whether anything waited or was lost: worth telling the user. */
        public boolean noteworthy() {
            return waited > 0 || dropped > 0 || afterClose > 0;
        }

        @Override
        public String toString() {
            return written + " operations logged" + (waited > 0 ? ", " + waited + " waited "
                    + String.format(java.util.Locale.ROOT, "%.1f ms", waitNanos / 1e6) + " in all for a full queue" : "")
                    + (dropped > 0 ? ", " + dropped + " dropped (queue full)" : "")
                    + (afterClose > 0 ? ", " + afterClose + " not logged (finished after the log was closed)" : "");
        }
    }

    private OpLogWriter(OpLogOptions options, Path partial, OutputStream out) {
        this.options = options;
        this.partial = partial;
        this.out = out;
        // The slots are allocated up front (4 to 8 bytes each); beyond 2^30 the queue stays at 2^30.
        int wanted = Math.min(options.queueCapacity(), 1 << 30);
        this.capacity = wanted;
        this.wakeAt = Math.min(BATCH, wanted / 2);
        this.slots = new AtomicReferenceArray<>(wanted == 1 ? 1 : Integer.highestOneBit(wanted - 1) << 1);
        this.mask = slots.length() - 1;
        // A daemon: a log nobody closed must not keep the JVM alive; close() (or the CLI's hook) drains it.
        this.thread = Thread.ofPlatform().name("s3dlio-oplog-writer").daemon(true).unstarted(this::drain);
    }

    /** Creates the file (under {@code .partial} until closed) and starts the writer thread. */
    public static OpLogWriter open(OpLogOptions options) throws IOException {
        requireNonNull(options, "options is null");
        Path path = options.path().toAbsolutePath();
        Path partial = path.resolveSibling(path.getFileName() + ".partial");
        OutputStream out;
        try {
            out = new ZstdOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16), ZSTD_LEVEL);
            out.write(OpLogFormat.HEADER.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw new IOException("cannot create the op log " + path + ": " + e.getMessage(), e);
        }
        OpLogWriter writer = new OpLogWriter(options, partial, out);
        writer.thread.start();
        return writer;
    }

    /** The file this writer produces (complete once {@link #close()} returned). */
    public Path path() {
        return options.path().toAbsolutePath();
    }

    @Override
    public void onOperation(Operation operation) {
        requireNonNull(operation, "operation is null"); // an empty slot means "not stored yet"
        long waitStart = 0;
        long position;
        while (true) {
            long t = tail.get();
            if ((t & CLOSED) != 0) {
                late.incrementAndGet();
                endWait(waitStart);
                return;
            }
            long queued = t - head;
            if (queued < capacity) {
                if (tail.compareAndSet(t, t + 1)) {
                    position = t;
                    if (queued >= wakeAt && !woken) {
                        woken = true;
                        LockSupport.unpark(thread);
                    }
                    break;
                }
                continue;
            }
            if (waitStart == 0) {
                LockSupport.unpark(thread);
                if (options.whenFull() == OpLogOptions.WhenFull.DROP) {
                    if (dropped.getAndIncrement() == 0) {
                        LOG.warning("op log " + path() + ": queue full (" + capacity
                                + "), dropping lines; the count is reported at close");
                    }
                    return;
                }
                if (waited.getAndIncrement() == 0) {
                    LOG.warning("op log " + path() + ": queue full (" + capacity
                            + "), I/O threads wait for the writer; the wait is reported at close");
                }
                waitStart = System.nanoTime() | 1;
                waiting.add(Thread.currentThread());
            }
            if (Thread.currentThread().isInterrupted()) {
                // As a blocking put would: an interrupted wait gives up (counted), and the interrupt stays set.
                dropped.incrementAndGet();
                endWait(waitStart);
                return;
            }
            LockSupport.parkNanos(this, FULL_WAIT_NANOS);
        }
        slots.setRelease((int) (position & mask), operation);
        endWait(waitStart);
    }

    private void endWait(long waitStart) {
        if (waitStart != 0) {
            waitNanos.addAndGet(System.nanoTime() - waitStart);
            waiting.remove(Thread.currentThread());
        }
    }

    /** Counts so far (final after {@link #close()}). */
    public Stats stats() {
        return new Stats(written.get(), waited.get(), waitNanos.get(), dropped.get(), late.get());
    }

    private void drain() {
        OpLogFormat.Encoder encoder = new OpLogFormat.Encoder(options.clientId());
        long position = 0;
        while (true) {
            long t = tail.get();
            boolean last = (t & CLOSED) != 0;
            long end = t & ~CLOSED;
            woken = false;
            while (position < end) {
                int slot = (int) (position & mask);
                Operation operation = slots.getAcquire(slot);
                if (operation == null) {
                    if (!last) {
                        break; // its thread holds the position but has not stored it yet: the next drain takes it
                    }
                    Thread.onSpinWait(); // closing: every position handed out is about to be stored
                    continue;
                }
                slots.setPlain(slot, null);
                try {
                    encoder.line(position, operation);
                } catch (RuntimeException e) {
                    // A line that cannot be written (a time outside years 0000-9999) fails the log, not the writer.
                    if (failure == null) {
                        failure = new IOException("operation " + position + " cannot be written: " + e.getMessage(), e);
                    }
                }
                position++;
                if (encoder.lines() == BATCH) {
                    head = position; // the volatile write publishes the cleared slots with it
                    for (Thread waiter : waiting) {
                        LockSupport.unpark(waiter);
                    }
                    write(encoder);
                }
            }
            head = position;
            for (Thread waiter : waiting) {
                LockSupport.unpark(waiter);
            }
            write(encoder);
            if (last && position == end) {
                return;
            }
            LockSupport.parkNanos(this, PERIOD_NANOS);
            // Only close() stops this thread; an interrupt alone is ignored (and must not turn the sleep into a spin).
            Thread.interrupted();
        }
    }

    private void write(OpLogFormat.Encoder encoder) {
        if (encoder.lines() == 0) {
            return;
        }
        if (failure == null) {
            try {
                out.write(encoder.buffer(), 0, encoder.size());
                written.addAndGet(encoder.lines());
            } catch (IOException e) {
                failure = e;
                LOG.log(Level.WARNING, "op log " + path() + ": write failed; later lines are discarded", e);
            }
        }
        encoder.reset();
    }

    /**
     * Stops taking operations, writes what is queued, notes any waits or drops as a comment, finishes the zstd
     * frame and renames the file to its final name. Idempotent; safe from a shutdown hook.
     *
     * @throws IOException when the file could not be written (the partial file is removed)
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        tail.getAndAdd(CLOSED); // from here recording threads count their operations as late
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        Stats stats = stats();
        try {
            if (failure == null && stats.noteworthy()) {
                out.write(("# s3dlio op log: " + stats + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            Files.deleteIfExists(partial);
            throw new IOException("op log " + path() + " could not be written: " + failure.getMessage(), failure);
        }
        Files.move(partial, path(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
