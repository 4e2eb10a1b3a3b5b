package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.loader.Shard;
import java.io.BufferedReader;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "get", description =
        "Fetch objects. One object URI without -o goes to stdout; with -o to that file (or into that "
        + "directory). A prefix (one level, or everything with -r) or a --keylist is fetched concurrently: with "
        + "-o into that directory keeping relative paths (as download), without -o read and discarded (a "
        + "benchmark), ending with objects, bytes, seconds and MB/s.")
final class GetCommand extends CommandBase {
    @Option(names = {"-r", "--recursive"}, description = "Everything under the prefix, at any depth.")
    boolean recursive;

    @Option(names = "--keylist", paramLabel = "FILE", description = "Fetch the URIs listed in FILE, one per line (or keys relative to PREFIX). '#' starts a comment.")
    Path keylist;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Objects in flight (default: the adaptive tuning policy or S3DLIO_JOBS; -v shows it).")
    Integer jobs;

    @Option(names = {"-o", "--output"}, paramLabel = "DEST", description = "File or directory to write to; '-' is stdout.")
    String output;

    @Parameters(arity = "0..1", paramLabel = "URI|PREFIX", description = "Object or prefix URI.")
    String uri;

    @Override
    public Integer call() throws Exception {
        if (uri == null && keylist == null) {
            throw new ParameterException(spec.commandLine(), "get needs a URI, a PREFIX or --keylist FILE");
        }
        Location location = uri == null ? null : Targets.location(uri);
        if (keylist == null && !recursive && location.isObject()) {
            return single(location);
        }
        Reporter reporter = newReporter();
        Path directory = output == null ? null : Targets.localDirectory(output);
        if (directory != null) {
            Files.createDirectories(directory);
        }
        Progress progress = newProgress("get");
        try (progress) {
            if (keylist == null) {
                ObjectStore store = store(location);
                DownloadCommand.fetch(store, location, recursive, directory, jobs(jobs, location), reporter, progress, false);
            } else {
                fromKeylist(location, directory, reporter, progress);
            }
        }
        return reporter.finish(Reporter.transferSummary(progress.objects(), progress.bytes(), progress.elapsedNanos()),
                Rates.summary(progress.objects(), progress.bytes(), progress.elapsedNanos()));
    }

    private int single(Location location) throws Exception {
        ObjectStore store = store(location);
        Transfers.BufferPool pool = new Transfers.BufferPool(1, Transfers.CHUNK);
        long start = System.nanoTime();
        long bytes;
        String destination;
        if (output == null || output.equals("-")) {
            WritableByteChannel stdout = Channels.newChannel(env().out());
            bytes = Transfers.read(store, location, OptionalLong.empty(), pool, chunk -> {
                while (chunk.hasRemaining()) {
                    stdout.write(chunk);
                }
            });
            env().out().flush();
            destination = "stdout";
        } else {
            Path target = Path.of(output).toAbsolutePath().normalize();
            if (output.endsWith("/") || Files.isDirectory(target)) {
                target = target.resolve(location.name());
            }
            bytes = Transfers.download(store, location, OptionalLong.empty(), target, pool);
            destination = target.toString();
        }
        long nanos = System.nanoTime() - start;
        boolean toStdout = destination.equals("stdout");
        if (json() && !toStdout) {
            env().out().println(Json.object("object").put("uri", location.toString()).put("file", destination).put("bytes", bytes));
            env().out().println(Json.object("summary").put("command", "get").put("objects", 1).put("bytes", bytes)
                    .put("seconds", Rates.round3(Rates.seconds(nanos)))
                    .put("mbPerSecond", Rates.round3(Rates.megabytesPerSecond(bytes, nanos))).put("failed", 0)
                    .put("failures", java.util.List.of()));
        } else if (!json()) {
            env().err().println("get: " + location + " -> " + destination + ": " + Rates.summary(1, bytes, nanos));
        }
        return ExitCodes.OK;
    }

    private void fromKeylist(Location prefix, Path directory, Reporter reporter, Progress progress) throws Exception {
        Location base = prefix == null ? null : prefix.asPrefix();
        Transfers.BufferPool pool = null;
        Parallel parallel = null;
        Shard shard = Shard.fromLaunchers(env().config()).orElse(Shard.WHOLE); // mpirun/srun/torchrun: this rank's share
        long entry = 0;
        try (BufferedReader lines = Files.newBufferedReader(keylist, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#") || entry++ % shard.worldSize() != shard.rank()) {
                    continue;
                }
                Location object;
                try {
                    if (text.contains("://")) {
                        object = Location.parse(text);
                    } else if (base != null) {
                        object = base.withKey(base.key() + text);
                    } else {
                        throw new IllegalArgumentException("'" + text + "' is a bare key and no PREFIX was given");
                    }
                } catch (IllegalArgumentException e) {
                    reporter.fail(keylist + ":" + number, e);
                    continue;
                }
                if (parallel == null) {
                    int jobCount = jobs(jobs, object);
                    pool = new Transfers.BufferPool(jobCount, Transfers.CHUNK);
                    parallel = new Parallel("get", jobCount, reporter);
                }
                // Under -o, keys below PREFIX keep the part after it; full URIs elsewhere keep their whole key.
                String keyBase = base != null && sameContainer(base, object) && object.key().startsWith(base.key())
                        ? base.key() : "";
                DownloadCommand.submit(parallel, store(object), object, OptionalLong.empty(), keyBase, directory, pool,
                        reporter, progress, false);
            }
        } finally {
            if (parallel != null) {
                parallel.close();
            }
        }
    }

    private static boolean sameContainer(Location a, Location b) {
        return a.scheme().equals(b.scheme()) && a.account().equals(b.account()) && a.container().equals(b.container());
    }
}
