package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.ZstdOutputStream;
import io.s3dlio.api.Location;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicLong;
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
    private static final Operation END = new Operation(OpType.GET, Location.parse("mem://end/end"), 0, 0, 0,
            OptionalLong.empty(), 0, 0, Optional.empty());
    private static final int BATCH = 4096;
    private static final int ZSTD_LEVEL = 1;
    /** After a short batch the writer waits this long, so it wakes per batch, not per operation. */
    private static final long LINGER_NANOS = 2_000_000;

    private final OpLogOptions options;
    private final Path partial;
    private final BlockingQueue<Operation> queue;
    private final Thread thread;
    private final OutputStream out;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong waited = new AtomicLong();
    private final AtomicLong waitNanos = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private volatile boolean closing;
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
        // Two locks: recording threads contend only with each other, never with the writer's drain.
        this.queue = new LinkedBlockingQueue<>(options.queueCapacity());
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
            // Level 1: half the CPU of level 3 per line for about 5% more bytes (op-log lines compress ~17:1 either way).
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
        if (closing) {
            late.incrementAndGet();
            return;
        }
        if (queue.offer(operation)) {
            return;
        }
        if (options.whenFull() == OpLogOptions.WhenFull.DROP) {
            if (dropped.getAndIncrement() == 0) {
                LOG.warning("op log " + path() + ": queue full (" + options.queueCapacity()
                        + "), dropping lines; the count is reported at close");
            }
            return;
        }
        if (waited.getAndIncrement() == 0) {
            LOG.warning("op log " + path() + ": queue full (" + options.queueCapacity()
                    + "), I/O threads wait for the writer; the wait is reported at close");
        }
        long begin = System.nanoTime();
        try {
            queue.put(operation);
        } catch (InterruptedException e) {
            dropped.incrementAndGet();
            Thread.currentThread().interrupt();
        } finally {
            waitNanos.addAndGet(System.nanoTime() - begin);
        }
    }

    /** Counts so far (final after {@link #close()}). */
    public Stats stats() {
        return new Stats(written.get(), waited.get(), waitNanos.get(), dropped.get(), late.get());
    }

    private void drain() {
        List<Operation> batch = new ArrayList<>(BATCH);
        OpLogFormat.Encoder encoder = new OpLogFormat.Encoder(options.clientId());
        long index = 0;
        boolean end = false;
        while (!end) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() stops this thread, through END; an interrupt alone is ignored.
                continue;
            }
            queue.drainTo(batch, BATCH - 1);
            int taken = batch.size();
            for (Operation operation : batch) {
                if (operation == END) {
                    end = true;
                    break;
                }
                encoder.line(index++, operation);
            }
            batch.clear();
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
            if (!end && taken < BATCH && !closing) {
                LockSupport.parkNanos(LINGER_NANOS);
            }
        }
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
        closing = true;
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(END);
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        // Records that slipped in behind END were never written.
        late.addAndGet(queue.size());
        queue.clear();
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
