package io.s3dlio.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts objects and bytes done and, when stderr is a terminal, redraws one progress line there (objects and
 * bytes done, rate, ETA when the total is known) from its own named virtual thread. {@link #close()} stops
 * the thread and clears the line; counting works the same with or without the display.
 */
final class Progress implements AutoCloseable {
    private static final long REDRAW_MILLIS = 250;

    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private final String label;
    private final PrintStream err;
    private final Thread display;
    private volatile OptionalLong totalObjects = OptionalLong.empty();
    private volatile OptionalLong totalBytes = OptionalLong.empty();
    private volatile boolean closed;
    private int drawnWidth;

    private Progress(String label, PrintStream err, boolean show) {
        this.label = label;
        this.err = err;
        this.display = show ? Thread.ofVirtual().name("s3-cli-progress").start(this::redrawLoop) : null;
    }

    /** Counts, and draws a progress line when {@code show} is true. */
    static Progress start(String label, PrintStream err, boolean show) {
        return new Progress(label, err, show);
    }

    void expect(long objectCount, OptionalLong byteCount) {
        totalObjects = OptionalLong.of(objectCount);
        totalBytes = byteCount;
    }

    void add(long objectCount, long byteCount) {
        objects.addAndGet(objectCount);
        bytes.addAndGet(byteCount);
    }

    void addBytes(long byteCount) {
        bytes.addAndGet(byteCount);
    }

    void addObject() {
        objects.incrementAndGet();
    }

    long objects() {
        return objects.get();
    }

    long bytes() {
        return bytes.get();
    }

    long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    private void redrawLoop() {
        try {
            while (!closed) {
                TimeUnit.MILLISECONDS.sleep(REDRAW_MILLIS);
                if (!closed) {
                    draw();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Redraws the line now (the display thread calls this every 250 ms). */
    synchronized void draw() {
        double seconds = Math.max(1e-9, elapsedNanos() / 1e9);
        long doneObjects = objects.get();
        long doneBytes = bytes.get();
        StringBuilder line = new StringBuilder(label).append(": ").append(doneObjects);
        totalObjects.ifPresent(total -> line.append('/').append(total));
        line.append(" objects, ").append(Rates.bytes(doneBytes));
        line.append(String.format(Locale.ROOT, ", %.1f MB/s, %.0f objects/s", doneBytes / 1e6 / seconds, doneObjects / seconds));
        OptionalLong total = totalBytes;
        if (total.isPresent() && doneBytes > 0 && total.getAsLong() > doneBytes) {
            double eta = (total.getAsLong() - doneBytes) / (doneBytes / seconds);
            line.append(String.format(Locale.ROOT, ", ETA %.0f s", eta));
        }
        int width = line.length();
        while (line.length() < drawnWidth) {
            line.append(' ');
        }
        drawnWidth = width;
        err.print("\r" + line);
        err.flush();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (display != null) {
            display.interrupt();
            try {
                display.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (this) {
                if (drawnWidth > 0) {
                    err.print("\r" + " ".repeat(drawnWidth) + "\r");
                    err.flush();
                }
            }
        }
    }
}
