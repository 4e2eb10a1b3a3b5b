package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many more bytes unflushed downloads may leave in the page cache before the kernel would start writing dirty
 * pages back: Linux's background threshold ({@code vm.dirty_background_bytes}, else {@code
 * vm.dirty_background_ratio} percent of the free and file-cache memory, as {@code mm/page-writeback.c} counts it)
 * less what is dirty or under write-back already ({@code /proc/meminfo}).
 *
 * <p>Why: below that line a page-cache write is done once the bytes are in memory, and a file deleted or read
 * soon after never waits for the device (a 1 GiB get: 1.4 s through the page cache against 2.0 s with
 * {@code O_DIRECT}, the same CPU). Past it the kernel writes back while the download runs and throttles the
 * writers to the device's speed at twice the line: then the copy into the page cache is pure cost (4 x 1 GiB:
 * 9.4-11.7 CPU-s through the page cache, 3.0-3.6 with {@code O_DIRECT}). docs/BENCHMARKS.md, "GET 1 GiB:
 * page-cache writes when nothing is flushed".
 *
 * <p>The budget is read once and spent by {@link #take}; once spent it is read again at most once per
 * {@link #REREAD_NANOS}, when the kernel's own count includes what this process wrote. Thread-safe.
 */
final class WriteBackBudget {
    /** More than /proc/meminfo holds (about 1.5 KiB). */
    private static final int PROC_FILE_MAX = 64 * 1024;
    /** How often a spent budget is read again. */
    static final long REREAD_NANOS = 1_000_000_000L;

    private final Path procRoot;
    private final LongSupplier nanoClock;
    private final AtomicLong left = new AtomicLong(Long.MIN_VALUE);
    private volatile long readAt;

    /**
     * @param procRoot {@code /proc} (a test gives another directory laid out the same way)
     * @param nanoClock {@link System#nanoTime} or a test's clock
     */
    WriteBackBudget(Path procRoot, LongSupplier nanoClock) {
        this.procRoot = requireNonNull(procRoot, "procRoot is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    }

    private static final WriteBackBudget SYSTEM = new WriteBackBudget(Path.of("/proc"), System::nanoTime);

    /** The machine's own budget, one per process: every engine spends the same dirty pages. */
    static WriteBackBudget system() {
        return SYSTEM;
    }

    /**
     * Takes {@code bytes} from the budget: true if they may go through the page cache, false if they would pass
     * the background threshold (or it cannot be read: not Linux), in which case nothing is taken.
     */
    boolean take(long bytes) {
        long now = nanoClock.getAsLong();
        long current = left.get();
        if (needsRead(current, bytes, now)) {
            synchronized (this) {
                current = left.get();
                if (needsRead(current, bytes, now)) {
                    readAt = now;
                    current = read().orElse(-1);
                    left.set(current);
                }
            }
        }
        while (current >= bytes) {
            if (left.compareAndSet(current, current - bytes)) {
                return true;
            }
            current = left.get();
        }
        return false;
    }

    /** Never read yet, or too little left and the last read a second old. */
    private boolean needsRead(long current, long bytes, long now) {
        return current == Long.MIN_VALUE || (current < bytes && now - readAt >= REREAD_NANOS);
    }

    /** The background threshold less the dirty and write-back bytes now, never below zero; empty if unreadable. */
    OptionalLong read() {
        try {
            long thresholdBytes = number(procRoot.resolve("sys/vm/dirty_background_bytes"));
            MemInfo info = MemInfo.parse(text(procRoot.resolve("meminfo")));
            if (thresholdBytes <= 0) {
                long ratio = number(procRoot.resolve("sys/vm/dirty_background_ratio"));
                thresholdBytes = (info.free + info.activeFile + info.inactiveFile) * ratio / 100;
            }
            return OptionalLong.of(Math.max(0, thresholdBytes - info.dirty - info.writeback));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // not Linux, or a /proc without these: direct writes, as before
        }
    }

    static long number(Path file) throws IOException {
        return Long.parseLong(text(file).strip());
    }

    /**
     * The whole of a {@code /proc} file, asked for in one large read: a {@code /proc/sys} file answers a read at a
     * later offset with end-of-file, and {@link Files#readString} of such a zero-length file read one byte first
     * ({@code dirty_background_ratio} "10" came back as "1").
     */
    private static String text(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(PROC_FILE_MAX), StandardCharsets.US_ASCII);
        }
    }

    /** The lines of {@code /proc/meminfo} used here, in bytes. */
    record MemInfo(long free, long activeFile, long inactiveFile, long dirty, long writeback) {
        static MemInfo parse(String text) {
            long free = -1;
            long active = -1;
            long inactive = -1;
            long dirty = -1;
            long writeback = -1;
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon);
                switch (name) {
                    case "MemFree" -> free = kib(line, colon);
                    case "Active(file)" -> active = kib(line, colon);
                    case "Inactive(file)" -> inactive = kib(line, colon);
                    case "Dirty" -> dirty = kib(line, colon);
                    case "Writeback" -> writeback = kib(line, colon);
                    default -> { }
                }
            }
            if (free < 0 || active < 0 || inactive < 0 || dirty < 0 || writeback < 0) {
                throw new IllegalArgumentException("meminfo lacks MemFree, Active(file), Inactive(file), Dirty or Writeback");
            }
            return new MemInfo(free, active, inactive, dirty, writeback);
        }

        /** "Dirty:     464 kB" -> 475136. */
        private static long kib(String line, int colon) {
            String value = line.substring(colon + 1).strip();
            if (!value.endsWith(" kB")) {
                throw new IllegalArgumentException("unexpected meminfo line: " + line);
            }
            return Long.parseLong(value.substring(0, value.length() - 3).strip()) * 1024;
        }
    }
}
