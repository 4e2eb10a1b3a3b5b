package io.s3dlio.cli;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.loader.Shard;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * Many processes reading one dataset: the keys under a prefix (or in a key list) are split into disjoint
 * shards, one per worker, and each worker is this CLI started again as a child JVM in a hidden worker mode, a
 * full client of its own. The parent adds up what the workers report (real bytes and objects), prints a line
 * per worker and the totals, and fails naming any worker that failed or died. Under mpirun, srun or torchrun
 * each rank first takes its own strided share of the keys.
 */
@Command(name = "mp-get", description =
        "Read every object under PREFIX (at any depth) or in --keylist with N worker processes, each a full "
        + "client, and discard the data (a benchmark). Reports each worker's objects, bytes and MB/s and the "
        + "totals. Under mpirun/srun/torchrun each rank reads its own share. Ctrl-C stops every worker.")
final class MpGetCommand extends CommandBase {
    private static final Pattern NUMBER = Pattern.compile("\"(objects|bytes|failed)\":(\\d+)");
    private static final int BUFFER = 1024 * 1024;

    @Option(names = {"-n", "--workers"}, paramLabel = "N", description = "Worker processes (default: the cores here).")
    Integer workers;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Objects in flight in each worker (default: the adaptive tuning policy or S3DLIO_JOBS).")
    Integer jobs;

    @Option(names = "--keylist", paramLabel = "FILE", description = "Read the URIs in FILE (or keys relative to PREFIX), one per line; '#' starts a comment.")
    Path keylist;

    @Option(names = "--worker-keys", hidden = true, paramLabel = "FILE", description = "Worker mode: read the URIs in FILE and report one summary.")
    Path workerKeys;

    @Parameters(arity = "0..1", paramLabel = "PREFIX", description = "Prefix URI to read (every object under it).")
    String uri;

    @Override
    public Integer call() throws Exception {
        if (workerKeys != null) {
            return worker();
        }
        if (uri == null && keylist == null) {
            throw new ParameterException(spec.commandLine(), "mp-get needs a PREFIX or --keylist FILE");
        }
        int count = workers == null ? Runtime.getRuntime().availableProcessors() : workers;
        if (count < 1 || count > 1024) {
            throw new ParameterException(spec.commandLine(), "--workers must be 1..1024: " + count);
        }
        Location prefix = uri == null ? null : Targets.location(uri).asPrefix();
        List<String> keys = keys(prefix);
        Optional<Shard> shard = Shard.fromLaunchers(env().config());
        if (shard.isPresent()) {
            keys = shard.get().select(keys);
        }
        count = Math.max(1, Math.min(count, keys.size()));
        Path scratch = Files.createTempDirectory("s3-cli-mp-get-");
        try {
            return run(keys, count, scratch, shard);
        } finally {
            try (Stream<Path> files = Files.list(scratch)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(scratch);
        }
    }

    /** Every object to read, as URIs, in listing (or file) order. */
    private List<String> keys(Location prefix) throws IOException {
        List<String> keys = new ArrayList<>();
        if (keylist != null) {
            for (KeyList.Entry entry : KeyList.read(keylist)) {
                try {
                    keys.add(KeyList.resolve(entry.text(), prefix).toString());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(keylist + ":" + entry.number() + ": " + e.getMessage(), e);
                }
            }
            return keys;
        }
        try (Stream<ListEntry> entries = store(prefix).list(prefix, ListMode.RECURSIVE)) {
            entries.forEach(entry -> {
                if (entry instanceof ListEntry.ObjectEntry object) {
                    keys.add(object.location().toString());
                }
            });
        }
        return keys;
    }

    private record Worker(int index, Process process, Path keys, List<String> stdout, Thread[] pumps) {}

    private int run(List<String> keys, int count, Path scratch, Optional<Shard> shard) throws Exception {
        Reporter reporter = newReporter();
        long start = System.nanoTime();
        List<Worker> started = new ArrayList<>();
        Thread stopper = Thread.ofPlatform().name("s3-cli-mp-get-stop").unstarted(() -> stopAll(started));
        Runtime.getRuntime().addShutdownHook(stopper); // Ctrl-C: no worker outlives the parent
        try {
            for (int i = 0; i < count; i++) {
                List<String> mine = new ArrayList<>();
                for (int k = i; k < keys.size(); k += count) {
                    mine.add(keys.get(k));
                }
                Path file = Files.write(scratch.resolve("worker-" + i + ".keys"), mine, StandardCharsets.UTF_8);
                synchronized (started) {
                    started.add(launch(i, file));
                }
            }
            long objects = 0;
            long bytes = 0;
            for (Worker worker : started) {
                int exit = worker.process().waitFor();
                for (Thread pump : worker.pumps()) {
                    pump.join();
                }
                Map<String, Long> summary = summary(worker.stdout());
                long workerObjects = summary.getOrDefault("objects", 0L);
                long workerBytes = summary.getOrDefault("bytes", 0L);
                objects += workerObjects;
                bytes += workerBytes;
                long nanos = System.nanoTime() - start;
                String name = "worker " + worker.index() + " (pid " + worker.process().pid() + ")";
                reporter.item(Json.object("worker").put("worker", worker.index()).put("pid", worker.process().pid())
                        .put("exitCode", exit).put("objects", workerObjects).put("bytes", workerBytes)
                        .put("failed", summary.getOrDefault("failed", 0L)),
                        name + ": " + Rates.summary(workerObjects, workerBytes, nanos)
                                + (exit == 0 ? "" : ", exit " + exit));
                if (exit != 0 || !summary.containsKey("objects")) {
                    reporter.fail(name, describeExit(exit, summary));
                }
            }
            long nanos = System.nanoTime() - start;
            Map<String, Object> fields = new LinkedHashMap<>(Reporter.transferSummary(objects, bytes, nanos));
            fields.put("workers", count);
            fields.put("rank", shard.map(Shard::rank).orElse(0));
            fields.put("worldSize", shard.map(Shard::worldSize).orElse(1));
            return reporter.finish(fields, Rates.summary(objects, bytes, nanos) + " with " + count + " workers");
        } finally {
            stopAll(started);
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook is running.
            }
        }
    }

    private static String describeExit(int exit, Map<String, Long> summary) {
        if (exit > 128) {
            return "killed by signal " + (exit - 128) + " (exit " + exit + ")";
        }
        if (exit != 0) {
            return "exited with " + exit + (summary.containsKey("failed") ? " (" + summary.get("failed") + " objects failed)" : "");
        }
        return "ended without a summary";
    }

    private Worker launch(int index, Path keys) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of("mp-get", "--json", "--worker-keys", keys.toString()));
        if (jobs != null) {
            command.addAll(List.of("--jobs", Integer.toString(jobs)));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        // The parent's settings (flags included) are the worker's environment; a worker is one client, not a rank.
        Map<String, String> environment = builder.environment();
        root.connection.overrides().forEach(environment::put);
        for (String variable : List.of("RANK", "WORLD_SIZE", "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE",
                "PMI_RANK", "PMI_SIZE", "SLURM_PROCID", "SLURM_NTASKS")) {
            environment.remove(variable);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
        // Platform threads: a blocking pipe read holds a virtual thread's carrier, and on a small machine the
        // carriers are what this process's own network I/O (an in-process server, a proxy) needs.
        Thread out = Thread.ofPlatform().daemon().name("s3-cli-mp-get-out-" + index).start(() -> pump(process.getInputStream(), stdout::add));
        Thread err = Thread.ofPlatform().daemon().name("s3-cli-mp-get-err-" + index).start(() -> pump(process.getErrorStream(),
                line -> env().err().println("worker " + index + ": " + line)));
        return new Worker(index, process, keys, stdout, new Thread[] {out, err});
    }

    private static void pump(InputStream in, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException e) {
            // The worker is gone; its exit status tells why.
        }
    }

    /** The numbers of a worker's summary line; empty when it wrote none. */
    private static Map<String, Long> summary(List<String> lines) {
        Map<String, Long> numbers = new LinkedHashMap<>();
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("{\"type\":\"summary\"")) {
                    Matcher matcher = NUMBER.matcher(line);
                    while (matcher.find()) {
                        numbers.putIfAbsent(matcher.group(1), Long.parseLong(matcher.group(2)));
                    }
                }
            }
        }
        return numbers;
    }

    private static void stopAll(List<Worker> workers) {
        List<Worker> copy;
        synchronized (workers) {
            copy = List.copyOf(workers);
        }
        for (Worker worker : copy) {
            worker.process().destroy();
        }
        for (Worker worker : copy) {
            try {
                if (!worker.process().waitFor(5, TimeUnit.SECONDS)) {
                    worker.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                worker.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Worker mode: read every URI in the file, discard the bytes, report one summary. */
    private int worker() throws Exception {
        // A worker never outlives its parent (killed, or stopped by Ctrl-C).
        ProcessHandle.current().parent().ifPresent(parent -> {
            var unused = parent.onExit().thenRun(() -> Runtime.getRuntime().halt(ExitCodes.IO_ERROR));
        });
        List<Location> locations = new ArrayList<>();
        for (String line : Files.readAllLines(workerKeys, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                locations.add(Location.parse(line.strip()));
            }
        }
        Reporter reporter = newReporter();
        if (locations.isEmpty()) {
            return reporter.finish(Reporter.transferSummary(0, 0, 0), "nothing to read");
        }
        int inFlight = jobs(jobs, locations.get(0));
        AtomicLong objects = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        Semaphore slots = new Semaphore(inFlight);
        // One buffer per object in flight, reused: reads are discarded.
        java.util.concurrent.BlockingQueue<ByteBuffer> buffers = new java.util.concurrent.ArrayBlockingQueue<>(inFlight);
        for (int i = 0; i < inFlight; i++) {
            buffers.add(ByteBuffer.allocate(BUFFER));
        }
        try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3-cli-mp-get-", 0).factory())) {
            List<Future<?>> tasks = new ArrayList<>();
            for (Location location : locations) {
                slots.acquire();
                ObjectStore store = store(location);
                tasks.add(pool.submit(() -> {
                    ByteBuffer buffer = buffers.take();
                    try {
                        bytes.addAndGet(drain(store, location, buffer));
                        objects.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        reporter.fail(location.toString(), e);
                    } finally {
                        buffers.add(buffer);
                        slots.release();
                    }
                    return null;
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        }
        long nanos = System.nanoTime() - start;
        return reporter.finish(Reporter.transferSummary(objects.get(), bytes.get(), nanos),
                String.format(Locale.ROOT, "%s", Rates.summary(objects.get(), bytes.get(), nanos)));
    }

    /** Reads a whole object in buffer-sized positional reads; returns its size. */
    private static long drain(ObjectStore store, Location location, ByteBuffer buffer) throws IOException {
        long offset = 0;
        while (true) {
            buffer.clear();
            ReadResult result = store.read(location, offset, buffer);
            offset += result.bytesRead();
            boolean end = result.bytesRead() < buffer.capacity()
                    || (result.objectSize().isPresent() && offset >= result.objectSize().getAsLong());
            if (end) {
                return offset;
            }
        }
    }
}
