package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out across processes, with the CLI as real child processes: {@code mp-get}'s workers (exact bytes,
 * a SIGKILLed worker named in a failed exit, Ctrl-C reaching every worker) and {@code mpirun -np 3 s3-cli load} (disjoint, complete shards).
 */
class ScaleOutProcessTest {
    private static final int OBJECTS = 2_000;

    @TempDir
    Path temp;

    /** Writes OBJECTS files of different sizes under temp/data; returns their total size. */
    private long dataset() throws IOException {
        Path data = Files.createDirectories(temp.resolve("data"));
        for (int i = 0; i < 10; i++) {
            Files.createDirectories(data.resolve(String.format(java.util.Locale.ROOT, "d%02d", i)));
        }
        long total = 0;
        for (int i = 0; i < OBJECTS; i++) {
            byte[] bytes = new byte[100 + (i * 37) % 1_900];
            bytes[0] = (byte) i;
            Files.write(data.resolve(String.format(java.util.Locale.ROOT, "d%02d/obj-%04d", i % 10, i)), bytes);
            total += bytes.length;
        }
        return total;
    }

    private Path data() {
        return temp.resolve("data");
    }

    private static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
    }

    /**
     * Whether a child has become a worker JVM. While the JDK launches a process, the child is first a clone of its
     * launcher and then jspawnhelper, under the pid the worker will have; killing it then fails the launch instead
     * of a worker (CI saw it). ProcessHandle truncates a long command line before the worker's own arguments, so
     * the whole of /proc/PID/cmdline is read (Linux; elsewhere the truncated line, which tells jspawnhelper only).
     */
    private static boolean isLaunchedWorker(ProcessHandle child) {
        Path cmdline = Path.of("/proc", Long.toString(child.pid()), "cmdline");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains("--worker-keys");
            } catch (IOException gone) {
                return false;
            }
        }
        String line = child.info().commandLine().orElse("");
        return !line.isEmpty() && !line.contains("jspawnhelper");
    }

    @Test
    void mpGetWithFourWorkersReportsExactlyTheBytesStored() throws Exception {
        long stored = dataset();
        try (CliHarness cli = new CliHarness()) {
            CliHarness.Result result = cli.run("--json", "mp-get", "--workers", "4", "--jobs", "8",
                    data().toUri().toString());
            assertThat(result.exitCode()).as(result.toString()).isZero();
            List<Map<String, Object>> lines = result.json();
            List<Map<String, Object>> workers = lines.stream().filter(line -> "worker".equals(line.get("type"))).toList();
            assertThat(workers).hasSize(4);
            assertThat(workers).allSatisfy(worker -> {
                assertThat(worker).containsEntry("objects", 500L).containsEntry("exitCode", 0L);
                assertThat((Long) worker.get("pid")).isNotEqualTo(ProcessHandle.current().pid());
            });
            assertThat(workers.stream().mapToLong(worker -> (Long) worker.get("bytes")).sum()).isEqualTo(stored);
            assertThat(result.summary()).containsEntry("type", "summary").containsEntry("objects", (long) OBJECTS)
                    .containsEntry("bytes", stored).containsEntry("workers", 4L).containsEntry("failed", 0L);
        }
    }

    @Test
    void aWorkerKilledWithSigkillFailsTheRunNamingIt() throws Exception {
        dataset();
        try (CliHarness cli = new CliHarness()) {
            CompletableFuture<CliHarness.Result> run = CompletableFuture.supplyAsync(
                    () -> cli.run("mp-get", "--workers", "3", "--jobs", "1", data().toUri().toString()));
            // A worker is a JVM still starting when first seen: kill it then, before it can have finished.
            ProcessHandle victim = null;
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 6_000 && victim == null && !run.isDone(); i++) {
                for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                    String line = child.info().commandLine().orElse("");
                    seen.add(child.pid() + " " + line.substring(0, Math.min(60, line.length())));
                    if (isLaunchedWorker(child) && child.isAlive() && child.destroyForcibly()) {
                        victim = child;
                        break;
                    }
                }
                if (victim == null) {
                    Thread.sleep(10);
                }
            }
            assertThat(victim).as("a worker process was killed; children seen: %s", seen).isNotNull();
            CliHarness.Result result = run.get(300, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.toString()).isNotZero();
            assertThat(result.stderr()).contains("(pid " + victim.pid() + ")", "killed by signal 9");
        }
    }

    @Test
    void ctrlCToTheParentStopsEveryWorkerAndExitsWith130() throws Exception {
        dataset();
        // The parent is a real process here (SIGINT to this test's JVM would end the test run). A JVM leaves SIGINT
        // ignored when it starts with it ignored (a background job of a non-interactive shell, some CI runners),
        // so the parent starts through perl (Debian's perl-base is essential) with SIGINT reset to its default.
        List<String> command = new ArrayList<>(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die $!"));
        command.addAll(javaCommand());
        command.addAll(List.of("mp-get", "--workers", "3", "--jobs", "1", data().toUri().toString()));
        Process parent = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("mp-get.log").toFile()).start();
        Set<ProcessHandle> workers = new HashSet<>();
        try {
            // Ctrl-C once all three workers exist (JVMs still starting, far from done with 2,000 objects each way).
            for (int i = 0; i < 6_000 && workers.size() < 3 && parent.isAlive(); i++) {
                parent.toHandle().children().filter(child -> isLaunchedWorker(child))
                        .forEach(workers::add);
                if (workers.size() < 3) {
                    Thread.sleep(10);
                }
            }
            assertThat(workers).as("the three workers started; log: %s", log()).hasSize(3);
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(parent.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            assertThat(parent.waitFor(120, TimeUnit.SECONDS)).as("the parent exited after SIGINT").isTrue();
            // 130 = 128 + SIGINT, the shell's convention for a run stopped by Ctrl-C.
            assertThat(parent.exitValue()).as(log()).isEqualTo(130);
            for (ProcessHandle worker : workers) {
                // Gone, not orphaned: the parent's shutdown hook stops them (and each halts when its parent dies).
                worker.onExit().get(60, TimeUnit.SECONDS);
                assertThat(worker.isAlive()).as("worker pid %d", worker.pid()).isFalse();
            }
        } finally {
            parent.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private String log() throws IOException {
        Path file = temp.resolve("mp-get.log");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    @Test
    void mpirunSpreadsLoadOverThreeRanksWithDisjointCompleteShards() throws Exception {
        dataset();
        // Each rank writes its own file (mpirun would interleave the ranks' stdout).
        String rankCommand = String.join(" ", javaCommand().stream().map(ScaleOutProcessTest::quote).toList())
                + " load " + quote(data().toUri().toString()) + " --json --order > " + quote(temp.toString())
                + "/rank-$OMPI_COMM_WORLD_RANK.json";
        List<String> command = List.of("mpirun", "--oversubscribe", "--allow-run-as-root", "-np", "3",
                "bash", "-c", rankCommand);
        Process mpirun = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("mpirun.log").toFile()).start();
        assertThat(mpirun.waitFor(300, TimeUnit.SECONDS)).as("mpirun finished").isTrue();
        String log = Files.readString(temp.resolve("mpirun.log"), StandardCharsets.UTF_8);
        assertThat(mpirun.exitValue()).as(log).isZero();

        Set<String> union = new HashSet<>();
        int total = 0;
        for (int rank = 0; rank < 3; rank++) {
            List<Map<String, Object>> lines = JsonLines.parse(
                    Files.readString(temp.resolve("rank-" + rank + ".json"), StandardCharsets.UTF_8));
            Map<String, Object> summary = lines.get(lines.size() - 1);
            assertThat(summary).as(log).containsEntry("type", "summary").containsEntry("rank", (long) rank)
                    .containsEntry("worldSize", 3L).containsEntry("datasetSize", (long) OBJECTS);
            @SuppressWarnings("unchecked")
            List<String> order = (List<String>) lines.get(0).get("order");
            assertThat(order.size()).isBetween(OBJECTS / 3, OBJECTS / 3 + 1);
            union.addAll(order);
            total += order.size();
        }
        assertThat(total).as("disjoint").isEqualTo(union.size());
        assertThat(union).as("complete").hasSize(OBJECTS);
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
