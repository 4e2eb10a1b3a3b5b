package io.s3dlio.cli;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.engine.transfer.FileNames;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.ObjectRef;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.loader.Shard;
import java.io.BufferedReader;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        TransferResult result;
        try (progress; TransferEngine engine = newTransferEngine()) {
            TransferOutput listener = new TransferOutput(progress, reporter, TransferOutput.SILENT);
            if (keylist == null) {
                GetTarget target = directory == null ? GetTarget.discard()
                        : GetTarget.toFiles(FileNames.under(directory, TransferEngine.keyBase(location)));
                result = await(engine.getAll(location, recursive ? ListMode.RECURSIVE : ListMode.ONE_LEVEL, target,
                        TransferOptions.jobs(jobs(jobs, location)), listener));
            } else {
                result = fromKeylist(engine, location, directory, reporter, listener);
            }
        }
        return reporter.finish(Reporter.transferSummary(result.objects(), result.bytes(), result.elapsed().toNanos()),
                Rates.summary(result.objects(), result.bytes(), result.elapsed().toNanos()));
    }

    private int single(Location location) throws Exception {
        String destination;
        TransferResult result;
        try (TransferEngine engine = newTransferEngine()) {
            List<ObjectRef> one = List.of(ObjectRef.of(location));
            TransferOptions options = TransferOptions.jobs(1);
            if (output == null || output.equals("-")) {
                WritableByteChannel stdout = Channels.newChannel(env().out());
                result = single(await(engine.get(one, GetTarget.inOrder((object, chunk) -> {
                    while (chunk.hasRemaining()) {
                        stdout.write(chunk);
                    }
                    Stdout.check(env().out()); // a full disk or a closed pipe stops the read, not only the exit code
                }), options, TransferListener.NONE)));
                Stdout.flushAndCheck(env().out());
                destination = "stdout";
            } else {
                Path absolute = Path.of(output).toAbsolutePath().normalize();
                Path named = output.endsWith("/") || Files.isDirectory(absolute) ? absolute.resolve(location.name()) : absolute;
                Path target = OutputFiles.followLinks(named);
                if (OutputFiles.isSpecial(target)) {
                    try (FileChannel channel = OutputFiles.openInPlace(target)) {
                        result = single(await(engine.get(one, OutputFiles.inOrderTo(channel), options,
                                TransferListener.NONE)));
                    }
                } else {
                    result = single(await(engine.get(one, GetTarget.toFiles(object -> target), options,
                            TransferListener.NONE)));
                }
                destination = named.toString();
            }
        }
        long bytes = result.bytes();
        long nanos = result.elapsed().toNanos();
        boolean toStdout = destination.equals("stdout");
        if (json() && !toStdout) {
            env().out().println(Json.object("object").put("uri", location.toString()).put("file", destination).put("bytes", bytes));
            env().out().println(Json.object("summary").put("command", "get").put("objects", 1).put("bytes", bytes)
                    .put("seconds", Rates.round3(Rates.seconds(nanos)))
                    .put("mbPerSecond", Rates.round3(Rates.megabytesPerSecond(bytes, nanos))).put("failed", 0)
                    .put("failures", List.of()));
        } else if (!json()) {
            env().err().println("get: " + location + " -> " + destination + ": " + Rates.summary(1, bytes, nanos));
        }
        return ExitCodes.OK;
    }

    private TransferResult fromKeylist(TransferEngine engine, Location prefix, Path directory, Reporter reporter,
            TransferOutput listener) throws Exception {
        Location base = prefix == null ? null : prefix.asPrefix();
        List<ObjectRef> objects = new ArrayList<>();
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
                try {
                    if (text.contains("://")) {
                        objects.add(ObjectRef.of(Location.parse(text)));
                    } else if (base != null) {
                        objects.add(ObjectRef.of(base.withKey(base.key() + text)));
                    } else {
                        throw new IllegalArgumentException("'" + text + "' is a bare key and no PREFIX was given");
                    }
                } catch (IllegalArgumentException e) {
                    reporter.fail(keylist + ":" + number, e);
                }
            }
        }
        for (ObjectRef object : objects) {
            store(object.location()); // an unknown scheme is a usage error of the whole command, as before
        }
        int jobCount = objects.isEmpty() ? 1 : jobs(jobs, objects.getFirst().location());
        GetTarget target = GetTarget.discard();
        if (directory != null) {
            // Under -o, keys below PREFIX keep the part after it; full URIs elsewhere keep their whole key.
            target = GetTarget.toFiles(object -> FileNames.resolve(directory,
                    base != null && sameContainer(base, object) && object.key().startsWith(base.key())
                            ? object.key().substring(base.key().length()) : object.key()));
        }
        return await(engine.get(objects, target, TransferOptions.jobs(jobCount), listener));
    }

    private static boolean sameContainer(Location a, Location b) {
        return a.scheme().equals(b.scheme()) && a.account().equals(b.account()) && a.container().equals(b.container());
    }
}
