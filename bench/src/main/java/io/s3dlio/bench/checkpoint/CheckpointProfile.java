package io.s3dlio.bench.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the JFR recordings of {@code bench/run-checkpoint-bench.sh --jfr DIR} and says, phase kind by phase kind
 * (raw upload, save, raw GET, restore; measured phases only), where the client's CPU went (CPU-time samples by
 * thread group and by what the stack was doing), what it allocated, how long its collections paused, and the
 * request timeline seen on the sockets (first request sent, first and last byte read, the tail after the last
 * byte); with the fixture's recording beside it, the fixture's CPU by phase too. Figures are per phase (mean
 * over the phases of that kind), so raw and checkpoint read side by side.
 *
 * <p>Usage: {@code CheckpointProfile DIR [top]} where DIR holds {@code client.jfr} (and optionally
 * {@code fixture.jfr}); {@code top} is how many top-of-stack methods to list per phase kind (default 15).
 */
public final class CheckpointProfile {
    private static final String PHASE_EVENT = "s3dlio.bench.CheckpointPhase";

    private CheckpointProfile() {}

    record Window(String phase, Instant start, Instant end) {
        boolean holds(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    /** What one phase kind added up to, over its measured phases. */
    static final class Totals {
        int phases;
        double seconds;
        final Map<String, Double> cpuByGroup = new TreeMap<>();
        final Map<String, Double> cpuByWhat = new TreeMap<>();
        final Map<String, Double> cpuByTop = new TreeMap<>();
        final Map<String, Double> cpuByGroupAndWhat = new TreeMap<>();
        final Map<String, Double> allocByTop = new TreeMap<>();
        double allocated;
        int collections;
        double pauseMs;
        double fixtureCpu;
        final Map<String, Double> fixtureByWhat = new TreeMap<>();
        final List<double[]> timelines = new ArrayList<>();
        final Map<String, Double> socketWrites = new TreeMap<>();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<RecordedEvent> client = RecordingFile.readAllEvents(dir.resolve("client.jfr"));
        List<Window> windows = new ArrayList<>();
        for (RecordedEvent e : client) {
            if (e.getEventType().getName().equals(PHASE_EVENT) && e.getBoolean("measured")) {
                windows.add(new Window(e.getString("phase"), e.getStartTime(), e.getEndTime()));
            }
        }
        windows.sort(Comparator.comparing(Window::start));
        Map<String, Totals> totals = new LinkedHashMap<>();
        for (Window w : windows) {
            Totals t = totals.computeIfAbsent(w.phase(), k -> new Totals());
            t.phases++;
            t.seconds += Duration.between(w.start(), w.end()).toNanos() / 1e9;
        }
        Map<Window, List<RecordedEvent>> socket = new LinkedHashMap<>();
        for (RecordedEvent e : client) {
            Window w = windowOf(windows, e.getStartTime());
            if (w == null) {
                continue;
            }
            Totals t = totals.get(w.phase());
            switch (e.getEventType().getName()) {
                case "jdk.CPUTimeSample" -> {
                    double ms = e.hasField("samplingPeriod") ? e.getDuration("samplingPeriod").toNanos() / 1e6 : 1;
                    t.cpuByGroup.merge(group(thread(e)), ms, Double::sum);
                    t.cpuByWhat.merge(what(e.getStackTrace()), ms, Double::sum);
                    t.cpuByTop.merge(topFrame(e.getStackTrace()), ms, Double::sum);
                    t.cpuByGroupAndWhat.merge(group(thread(e)) + ": " + what(e.getStackTrace()), ms, Double::sum);
                }
                case "jdk.ObjectAllocationSample" -> {
                    double bytes = e.getLong("weight");
                    t.allocated += bytes;
                    t.allocByTop.merge(allocSite(e.getStackTrace()), bytes, Double::sum);
                }
                case "jdk.GarbageCollection" -> {
                    t.collections++;
                    t.pauseMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                }
                case "jdk.SocketRead", "jdk.SocketWrite" -> socket.computeIfAbsent(w, k -> new ArrayList<>()).add(e);
                default -> { }
            }
        }
        for (Map.Entry<Window, List<RecordedEvent>> entry : socket.entrySet()) {
            Window w = entry.getKey();
            Totals t = totals.get(w.phase());
            Instant firstWrite = null;
            Instant firstRangeWrite = null;
            Instant firstRead = null;
            Instant lastRead = null;
            int writes = 0;
            for (RecordedEvent e : entry.getValue()) {
                if (e.getEventType().getName().equals("jdk.SocketWrite")) {
                    writes++;
                    t.socketWrites.merge(group(e.getThread()), 1.0, Double::sum);
                    firstWrite = min(firstWrite, e.getStartTime());
                    if (group(e.getThread()).startsWith("range")) {
                        firstRangeWrite = min(firstRangeWrite, e.getStartTime());
                    }
                } else if (e.getLong("bytesRead") > 0) {
                    firstRead = min(firstRead, e.getEndTime());
                    lastRead = lastRead == null || e.getEndTime().isAfter(lastRead) ? e.getEndTime() : lastRead;
                }
            }
            t.timelines.add(new double[] {ms(w.start(), firstWrite), ms(w.start(), firstRangeWrite),
                ms(w.start(), firstRead), ms(w.start(), lastRead), ms(lastRead, w.end()), writes});
        }
        Path fixture = dir.resolve("fixture.jfr");
        if (fixture.toFile().isFile()) {
            for (RecordedEvent e : RecordingFile.readAllEvents(fixture)) {
                if (!e.getEventType().getName().equals("jdk.CPUTimeSample")) {
                    continue;
                }
                Window w = windowOf(windows, e.getStartTime());
                if (w != null) {
                    double ms = e.hasField("samplingPeriod") ? e.getDuration("samplingPeriod").toNanos() / 1e6 : 1;
                    Totals t = totals.get(w.phase());
                    t.fixtureCpu += ms;
                    t.fixtureByWhat.merge(what(e.getStackTrace()), ms, Double::sum);
                }
            }
        }
        for (Map.Entry<String, Totals> entry : totals.entrySet()) {
            Totals t = entry.getValue();
            int n = t.phases;
            System.out.printf(Locale.ROOT, "%n== %s: %d measured phases, mean %.3f s; client CPU-time samples %.1f ms a phase;"
                    + " fixture %.1f ms; allocated %.1f MiB; %.1f collections, %.1f ms paused a phase%n", entry.getKey(), n,
                    t.seconds / n, sum(t.cpuByGroup) / n, t.fixtureCpu / n, t.allocated / n / 1048576.0,
                    (double) t.collections / n, t.pauseMs / n);
            print("client CPU by thread group (ms a phase)", t.cpuByGroup, n, 20, 1);
            print("client CPU by what the stack does (ms a phase)", t.cpuByWhat, n, 20, 1);
            print("client CPU, top-of-stack method (ms a phase)", t.cpuByTop, n, top, 1);
            print("client CPU by thread group and what (ms a phase)", t.cpuByGroupAndWhat, n, top, 1);
            print("allocation by site (MiB a phase)", t.allocByTop, n, 8, 1048576.0);
            print("socket writes by thread group (a phase)", t.socketWrites, n, 10, 1);
            if (!t.fixtureByWhat.isEmpty()) {
                print("fixture CPU by what the stack does (ms a phase)", t.fixtureByWhat, n, 10, 1);
            }
            if (!t.timelines.isEmpty()) {
                System.out.println("  timeline (ms from phase start; medians): first request sent, first range request sent,"
                        + " first byte read, last byte read, tail after the last byte, socket writes");
                StringBuilder line = new StringBuilder("   ");
                for (int i = 0; i < 6; i++) {
                    int column = i;
                    line.append(String.format(Locale.ROOT, " %.1f", median(t.timelines.stream().map(x -> x[column]).toList())));
                }
                System.out.println(line);
            }
        }
    }

    private static void print(String title, Map<String, Double> values, int phases, int limit, double unit) {
        System.out.println("  " + title + ":");
        values.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %10.1f  %s%n", e.getValue() / phases / unit, e.getKey()));
    }

    private static Window windowOf(List<Window> windows, Instant t) {
        for (Window w : windows) {
            if (w.holds(t)) {
                return w;
            }
        }
        return null;
    }

    private static RecordedThread thread(RecordedEvent e) {
        if (e.hasField("eventThread") && e.getThread("eventThread") != null) {
            return e.getThread("eventThread");
        }
        return e.hasField("sampledThread") ? e.getThread("sampledThread") : null;
    }

    /** The thread's name without its number: one line per pool. */
    static String group(RecordedThread thread) {
        if (thread == null) {
            return "?";
        }
        String name = thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName();
        if (name == null || name.isEmpty()) {
            return thread.isVirtual() ? "(unnamed virtual)" : "(unnamed)";
        }
        String stem = name.replaceAll("[-#]?\\d+$", "");
        if (stem.startsWith("s3dlio-range-")) {
            return "range " + stem.substring("s3dlio-range-".length());
        }
        return stem + (thread.isVirtual() ? " (virtual)" : "");
    }

    /** What a sample was doing: the first frame from the top that names a known kind of work. */
    static String what(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            String method = frame.getMethod().getName();
            if (type.equals("java.util.zip.CRC32C")) {
                return "CRC32C";
            }
            if (type.startsWith("sun.security.provider.MD5") || type.startsWith("sun.security.provider.DigestBase")) {
                return "MD5";
            }
            if (type.equals("io.s3dlio.spi.Crc32c") && method.equals("combine")) {
                return "CRC32C combine";
            }
            if (type.startsWith("com.github.luben.zstd")) {
                return "zstd";
            }
            if ((type.endsWith("ByteBuffer") && method.equals("allocate"))
                    || (type.equals("java.nio.HeapByteBuffer") && method.equals("<init>"))) {
                return "buffer allocation (zeroing)";
            }
            if (type.startsWith("sun.nio.ch.") || type.startsWith("java.net.Socket") || type.startsWith("sun.net.")) {
                return "socket I/O";
            }
            if (type.startsWith("io.s3dlio.checkpoint.JsonText") || type.startsWith("io.s3dlio.checkpoint.Manifest")) {
                return "manifest JSON";
            }
            if ((type.startsWith("jdk.internal.misc.Unsafe") && method.startsWith("copy"))
                    || (type.equals("java.lang.System") && method.equals("arraycopy"))) {
                return "memory copy";
            }
            if (type.startsWith("java.util.concurrent.") || type.startsWith("java.lang.VirtualThread")
                    || type.startsWith("java.util.concurrent.ForkJoin")) {
                return "thread hand-off / locks";
            }
        }
        RecordedFrame first = stack.getFrames().isEmpty() ? null : stack.getFrames().get(0);
        if (first == null) {
            return "(empty stack)";
        }
        String type = first.getMethod().getType().getName();
        if (type.startsWith("software.amazon.awssdk")) {
            return "AWS SDK";
        }
        if (type.startsWith("org.apache.http")) {
            return "Apache HTTP";
        }
        if (type.startsWith("io.s3dlio")) {
            return "s3dlio " + type.substring(type.lastIndexOf('.') + 1);
        }
        int dot = type.lastIndexOf('.');
        return "other " + (dot > 0 ? type.substring(0, dot) : type);
    }

    private static String topFrame(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        RecordedFrame f = stack.getFrames().get(0);
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    /** The first frame of the allocating stack outside java.* and jdk.*, with the JDK frame above it. */
    private static String allocSite(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "(no stack)";
        }
        String jdk = null;
        for (RecordedFrame f : stack.getFrames()) {
            String type = f.getMethod().getType().getName();
            String name = type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                if (jdk == null) {
                    jdk = name;
                }
                continue;
            }
            return name + (jdk == null ? "" : " (" + jdk + ")");
        }
        return jdk;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static double ms(Instant from, Instant to) {
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toNanos() / 1e6;
    }

    private static double sum(Map<String, Double> values) {
        return values.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().filter(v -> !v.isNaN()).mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
