package io.s3dlio.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A child JVM saves 4-rank checkpoints in a loop and is killed with SIGKILL at seeded random moments. After
 * every kill: loadLatest returns a complete checkpoint whose shards all validate, its step never decreases,
 * and it is at least the last step the child reported saved (a finalize that returned is durable). At the
 * end, what the kills left is listed and prune removes it.
 */
class CrashConsistencyTest {
    /** The child's stderr (the last run's), shown when it dies by itself. */
    private static final Path CHILD_LOG = Path.of("target", "crash-child-stderr.log").toAbsolutePath();

    @Test
    void fileStoreSurvivesThirtyKills() throws Exception {
        try (CheckpointEnvironment env = CheckpointEnvironment.file()) {
            run(env, 30, 20240601L);
        }
    }

    @Test
    void s3ProxySurvivesTenKills() throws Exception {
        try (CheckpointEnvironment env = CheckpointEnvironment.s3Proxy()) {
            run(env, 10, 20240602L);
        }
    }

    private static void run(CheckpointEnvironment env, int kills, long seed) throws Exception {
        Location base = env.newBase();
        Random random = new Random(seed);
        long lastStep = -1;
        long leftoversSeen = 0;
        try (CheckpointStore store = new CheckpointStore(env.store(), base, CheckpointConfig.DEFAULT)) {
            for (int kill = 0; kill < kills; kill++) {
                AtomicLong lastSaved = new AtomicLong(-1);
                Process child = startChild(base, seed + kill, env.settings(), lastSaved);
                try {
                    // Once the child's JVM is warm (its first save returned), kill it at a random moment of the
                    // next saves: shards streaming, records, manifest, pointer or retention.
                    long firstSaveMillis = waitForFirstSave(child, lastSaved);
                    // Scaled to how long a save takes on this machine and store, so kills land inside saves.
                    Thread.sleep(random.nextInt((int) Math.max(50, Math.min(5_000, 2 * firstSaveMillis))));
                    if (!child.isAlive()) {
                        throw new AssertionError("the saving child exited by itself (" + child.exitValue() + "): "
                                + Files.readString(CHILD_LOG));
                    }
                } finally {
                    child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                }
                Optional<Manifest> latest = store.loadLatest();
                if (lastStep >= 0 || lastSaved.get() >= 0) {
                    assertThat(latest).as("kill %d: a checkpoint was saved before, one must load", kill).isPresent();
                }
                if (latest.isPresent()) {
                    Manifest manifest = latest.get();
                    assertThat(manifest.isComplete()).isTrue();
                    assertThat(store.validate(manifest).problems()).as("kill %d, step %d", kill, manifest.step()).isEmpty();
                    assertThat(manifest.step()).as("kill %d: latest never goes back", kill).isGreaterThanOrEqualTo(lastStep);
                    assertThat(manifest.step()).as("kill %d: a returned finalize is durable", kill)
                            .isGreaterThanOrEqualTo(lastSaved.get());
                    lastStep = manifest.step();
                }
                leftoversSeen += store.leftovers(CheckpointStore.PruneScope.ALL).size();
            }
            System.err.println("[CrashConsistencyTest] " + env.description() + ": " + kills + " kills, latest step "
                    + lastStep + ", leftovers seen after kills " + leftoversSeen);
            assertThat(lastStep).as("the child saved something in %d runs", kills).isPositive();
            assertThat(leftoversSeen).as("kills landed mid-save at least once").isPositive();

            List<Leftover> leftovers = store.leftovers(CheckpointStore.PruneScope.ALL);
            CheckpointDeleteResult pruned = store.prune(CheckpointStore.PruneScope.ALL);
            assertThat(pruned.isComplete()).isTrue();
            assertThat(pruned.steps()).hasSameSizeAs(leftovers);
            assertThat(store.leftovers(CheckpointStore.PruneScope.ALL)).isEmpty();
            for (CheckpointEntry entry : store.list()) {
                assertThat(entry.isComplete()).as("step %d", entry.step()).isTrue();
                assertThat(store.validate(entry.manifest().orElseThrow()).isValid()).isTrue();
            }
            assertThat(store.loadLatest().orElseThrow().step()).isEqualTo(lastStep);
            if (base.isLocal()) {
                // Writers killed mid-shard leave hidden temporary files that no listing shows (documented).
                try (Stream<Path> files = Files.walk(base.localPath())) {
                    long hidden = files.filter(p -> p.getFileName().toString().contains(".s3dlio-tmp-")
                            && !p.getFileName().toString().endsWith("-lock")).count();
                    System.err.println("[CrashConsistencyTest] hidden temporary files left by kills: " + hidden);
                }
            }
        }
    }

    /** Waits for the child's first returned save; returns how long it took after "ready", in milliseconds. */
    private static long waitForFirstSave(Process child, AtomicLong lastSaved) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(180);
        while (lastSaved.get() < 0 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        if (lastSaved.get() < 0) {
            throw new AssertionError("the saving child saved nothing in 180 s (alive: " + child.isAlive() + "): "
                    + Files.readString(CHILD_LOG));
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static Process startChild(Location base, long seed, Map<String, String> settings, AtomicLong lastSaved)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingSaver.class.getName());
        command.add(base.toString());
        command.add(Long.toString(seed));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        Files.createDirectories(CHILD_LOG.getParent());
        Process child = new ProcessBuilder(command).redirectError(CHILD_LOG.toFile()).start();
        LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().name("crash-child-stdout").start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("ready")) {
                        ready.add(line);
                    } else if (line.startsWith("saved ")) {
                        lastSaved.set(Long.parseLong(line.substring(6)));
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
            ready.add("exited");
        });
        String first = ready.poll(120, TimeUnit.SECONDS);
        if (first == null || !first.startsWith("ready")) {
            child.destroyForcibly();
            reader.interrupt();
            throw new IllegalStateException("the checkpoint child did not start: " + first + " (exit "
                    + (child.isAlive() ? "still running" : child.exitValue()) + ")");
        }
        return child;
    }
}
