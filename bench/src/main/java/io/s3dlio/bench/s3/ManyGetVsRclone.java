package io.s3dlio.bench.s3;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.bench.PositionalArguments;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * Issue 16's in-process row (not a test; it prints a table): a many-object GET of 1 MiB objects at 16 in
 * flight through the transfer engine in one warmed JVM, against rclone reading the same objects from the same
 * server, interleaved round by round (the order alternates), medians after warm-up rounds.
 *
 * <p>The server is already running at {@code endpoint} (the bench fixture in its own JVM, so this process's
 * CPU time is the client's alone). Each round runs, in alternating order:
 * <ul>
 *   <li>{@code memory}: {@link TransferEngine#getAll} of the prefix (one listing, then each object whole in
 *       memory, handed to a consumer that counts its bytes and drops it) — what an in-process reader does;</li>
 *   <li>{@code discard} (optional): the same with {@link GetTarget#discard()} (read and throw away);</li>
 *   <li>{@code rclone}: {@code rclone copy --transfers J --checkers J} of the same prefix into a fresh
 *       directory on {@code sink} (tmpfs by default, so the bytes land in memory as ours do; deleted, untimed,
 *       after each round), under {@code /usr/bin/time} for its CPU and peak RSS, with run-peers.sh's flags;</li>
 *   <li>{@code rclone-start}: {@code rclone lsf} of an empty prefix — rclone's process start-up, configuration
 *       and one request — so its wall can be reported with start-up subtracted as well as raw.</li>
 * </ul>
 * Every run is checked (object count and bytes) so a fast failure can never pass as a fast run. Run it with
 * {@code bin/bench-many-get} (docs/BENCHMARKS.md, "In-process many-object GET vs rclone").
 */
public final class ManyGetVsRclone {
    private static final int MIB = 1024 * 1024;
    private static final String BUCKET = "manyget";

    /** Positional arguments (bin/bench-many-get lists them). */
    private record Arguments(String endpoint, int rounds, int warmups, int objects, int jobs, String sink,
            List<String> arms) {}

    private static final Arguments DEFAULTS =
            new Arguments("", 5, 2, 1024, 16, "/dev/shm", List.of("memory", "rclone"));

    /** One timed run of one arm. */
    private record Run(double wallS, double cpuS, long peakRssKib) {}

    private ManyGetVsRclone() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        if (arguments.endpoint().isEmpty()) {
            throw new IllegalArgumentException("the first argument is the S3 endpoint (http://127.0.0.1:PORT)");
        }
        for (String arm : arguments.arms()) {
            if (!List.of("memory", "discard", "rclone").contains(arm)) {
                throw new IllegalArgumentException("unknown arm " + arm + " (memory, discard, rclone)");
            }
        }
        com.sun.management.OperatingSystemMXBean cpu =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path sink = Files.createTempDirectory(Files.createDirectories(Path.of(arguments.sink())), "many-get");
        long totalBytes = (long) arguments.objects() * MIB;
        List<String> arms = new ArrayList<>(arguments.arms());
        boolean rclone = arms.contains("rclone");
        if (rclone) {
            arms.add("rclone-start");
        }
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        arms.forEach(arm -> runs.put(arm, new ArrayList<>()));
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of(
                "AWS_ENDPOINT_URL", arguments.endpoint(),
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "testtest", "AWS_REGION", "us-east-1",
                "S3DLIO_S3_PATH_STYLE", "true")));
                TransferEngine engine = TransferEngine.builder(stores::forLocation).build()) {
            Location prefix = Location.parse("s3://" + BUCKET + "/obj/");
            seed(stores.forLocation(prefix), prefix, arguments.objects());
            for (int round = 1 - arguments.warmups(); round <= arguments.rounds(); round++) {
                List<String> order = new ArrayList<>(arms);
                if ((round & 1) != 0) {
                    Collections.reverse(order);
                }
                for (String arm : order) {
                    Run run = switch (arm) {
                        case "memory", "discard" -> ours(engine, prefix, arm, arguments, totalBytes, cpu);
                        case "rclone" -> rclone(arguments, sink.resolve("r" + (round + 100)), totalBytes, false);
                        default -> rclone(arguments, sink.resolve("start"), 0, true);
                    };
                    System.out.printf(Locale.ROOT, "round %2d %-12s %6.3f s wall %8.1f MB/s %6.3f CPU-s"
                            + " %6.2f ms CPU/MiB peak RSS %5d MiB%n", round, arm, run.wallS(),
                            perMiB(totalBytes / 1e6 / run.wallS(), arm), run.cpuS(),
                            perMiB(run.cpuS() * 1e3 / arguments.objects(), arm), run.peakRssKib() / 1024);
                    if (round > 0) {
                        runs.get(arm).add(run);
                    }
                }
            }
        } finally {
            deleteTree(sink);
        }
        report(arguments, runs, totalBytes);
    }

    /** A per-byte figure, or NaN for rclone's start-up (which moves no object bytes). */
    private static double perMiB(double figure, String arm) {
        return arm.equals("rclone-start") ? Double.NaN : figure;
    }

    /** Our arm: list the prefix and get every object at {@code jobs} in flight, in this warmed JVM. */
    private static Run ours(TransferEngine engine, Location prefix, String arm, Arguments arguments, long totalBytes,
            com.sun.management.OperatingSystemMXBean cpu) throws IOException, InterruptedException {
        LongAdder received = new LongAdder();
        GetTarget target = arm.equals("discard") ? GetTarget.discard()
                : GetTarget.toMemory((object, bytes) -> received.add(bytes.size()));
        boolean peakReset = resetPeakRss();
        long c0 = cpu.getProcessCpuTime();
        long t0 = System.nanoTime();
        TransferResult result = engine.getAll(prefix, ListMode.RECURSIVE, target,
                TransferOptions.jobs(arguments.jobs()), TransferListener.NONE).await();
        double wallS = (System.nanoTime() - t0) / 1e9;
        double cpuS = (cpu.getProcessCpuTime() - c0) / 1e9;
        if (!result.failures().isEmpty() || result.objects() != arguments.objects() || result.bytes() != totalBytes
                || (arm.equals("memory") && received.sum() != totalBytes)) {
            throw new IllegalStateException(arm + " read " + result.objects() + " objects, " + result.bytes()
                    + " bytes (consumer saw " + received.sum() + "), expected " + arguments.objects() + ", "
                    + totalBytes + "; failures " + result.failures());
        }
        return new Run(wallS, cpuS, peakReset ? statusKib("VmHWM") : -1);
    }

    /** rclone copy of the prefix into {@code destination} (or, for start-up, a listing of an empty prefix). */
    private static Run rclone(Arguments arguments, Path destination, long totalBytes, boolean startUp)
            throws IOException, InterruptedException {
        Path timing = destination.resolveSibling(destination.getFileName() + ".time");
        Path log = destination.resolveSibling(destination.getFileName() + ".log");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %U %S %M", "-o", timing.toString(),
                "rclone"));
        if (startUp) {
            command.addAll(List.of("lsf", "--s3-no-check-bucket", "--s3-disable-checksum", "--ignore-checksum",
                    "bench:" + BUCKET + "/empty/"));
        } else {
            command.addAll(List.of("copy", "--s3-no-check-bucket", "--s3-disable-checksum", "--ignore-checksum",
                    "--s3-chunk-size", "8M", "--transfers", Integer.toString(arguments.jobs()), "--checkers",
                    Integer.toString(arguments.jobs()), "bench:" + BUCKET + "/obj", destination.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.remove("AWS_CA_BUNDLE"); // breaks rclone on plain http; loopback needs none (as run-peers.sh)
        environment.putAll(Map.of("RCLONE_CONFIG_BENCH_TYPE", "s3", "RCLONE_CONFIG_BENCH_PROVIDER", "Other",
                "RCLONE_CONFIG_BENCH_ENV_AUTH", "false", "RCLONE_CONFIG_BENCH_ACCESS_KEY_ID", "test",
                "RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY", "testtest", "RCLONE_CONFIG_BENCH_REGION", "us-east-1",
                "RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE", "true", "RCLONE_CONFIG_BENCH_ENDPOINT", arguments.endpoint(),
                "RCLONE_CONFIG", "/dev/null"));
        long t0 = System.nanoTime();
        int status = builder.start().waitFor();
        double wallS = (System.nanoTime() - t0) / 1e9;
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (status != 0) {
            throw new IllegalStateException("rclone exited " + status + ": " + output);
        }
        String[] fields = Files.readAllLines(timing, StandardCharsets.UTF_8).getLast().trim().split(" ");
        if (!startUp) {
            long files = 0;
            long bytes = 0;
            try (Stream<Path> walk = Files.walk(destination)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files++;
                    bytes += Files.size(file);
                }
            }
            if (files != arguments.objects() || bytes != totalBytes) {
                throw new IllegalStateException("rclone wrote " + files + " files, " + bytes + " bytes, expected "
                        + arguments.objects() + ", " + totalBytes + ": " + output);
            }
            deleteTree(destination);
        }
        Files.deleteIfExists(timing);
        Files.deleteIfExists(log);
        // Wall from this JVM's clock (/usr/bin/time's %e has 10 ms resolution); CPU and peak RSS from time.
        return new Run(wallS, Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]), Long.parseLong(fields[3]));
    }

    private static void report(Arguments arguments, Map<String, List<Run>> runs, long totalBytes) {
        System.out.printf(Locale.ROOT, "%d x 1 MiB, %d in flight, medians of %d rounds after %d warm-up:%n",
                arguments.objects(), arguments.jobs(), arguments.rounds(), arguments.warmups());
        Map<String, Double> walls = new LinkedHashMap<>();
        Map<String, Double> cpus = new LinkedHashMap<>();
        for (Map.Entry<String, List<Run>> entry : runs.entrySet()) {
            List<Run> arm = entry.getValue();
            double wall = ReadPathCpu.median(arm.stream().map(Run::wallS).toList());
            double cpuS = ReadPathCpu.median(arm.stream().map(Run::cpuS).toList());
            long rss = arm.stream().mapToLong(Run::peakRssKib).max().orElse(-1);
            walls.put(entry.getKey(), wall);
            cpus.put(entry.getKey(), cpuS);
            System.out.printf(Locale.ROOT, "  %-12s %6.3f s wall %8.1f MB/s %6.3f CPU-s %6.2f ms CPU/MiB"
                    + "  peak RSS %s%n", entry.getKey(), wall, perMiB(totalBytes / 1e6 / wall, entry.getKey()), cpuS,
                    perMiB(cpuS * 1e3 / arguments.objects(), entry.getKey()),
                    rss < 0 ? "n/a" : (rss / 1024) + " MiB");
        }
        if (!walls.containsKey("rclone")) {
            return;
        }
        double rcloneWall = walls.get("rclone");
        double rcloneNet = rcloneWall - walls.get("rclone-start");
        double rcloneCpuNet = cpus.get("rclone") - cpus.get("rclone-start");
        for (String arm : List.of("memory", "discard")) {
            if (walls.containsKey(arm)) {
                System.out.printf(Locale.ROOT, "RESULT %s: throughput ours/rclone %.2fx raw, %.2fx with rclone's "
                        + "start-up subtracted (%.3f s); client CPU ours/rclone %.2fx raw, %.2fx start-up "
                        + "subtracted%n", arm, rcloneWall / walls.get(arm), rcloneNet / walls.get(arm),
                        walls.get("rclone-start"), cpus.get(arm) / cpus.get("rclone"), cpus.get(arm) / rcloneCpuNet);
            }
        }
    }

    /** Stores the objects once (a server that already holds them from an earlier run is reused). */
    private static void seed(ObjectStore store, Location prefix, int objects) throws IOException {
        store.createContainer(prefix.containerRoot()); // succeeds when it exists already
        byte[] one = new byte[MIB];
        ThreadLocalRandom.current().nextBytes(one);
        for (int i = 0; i < objects; i++) {
            Location item = prefix.resolve(String.format(Locale.ROOT, "%06d.bin", i));
            if (!store.exists(item)) {
                store.put(item, ByteBuffer.wrap(one), WriteOptions.DEFAULT);
            }
        }
    }

    /** Resets this process's peak RSS (VmHWM) on Linux; false where that is not possible. */
    private static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** A figure in KiB from /proc/self/status, or -1 where there is none. */
    private static long statusKib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
