package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.engine.transfer.FileNames;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.ObjectRef;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferHandle;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.loader.Shard;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

@Command(name = "get", description =
        "Fetch objects. One object URI without -o goes to stdout; with -o to that file (or into that "
        + "directory). A prefix (one level, or everything with -r) or a --keylist is fetched concurrently: with "
        + "-o into that directory keeping relative paths (as download), without -o read and discarded (a "
        + "benchmark), ending with objects, bytes, seconds and MB/s.")
final class GetCommand extends CommandBase {
    @Mixin
    RecursiveOption recursive;

    @Option(names = "--keylist", paramLabel = "FILE", description = "Fetch the URIs listed in FILE, one per line (or keys relative to PREFIX). '#' starts a comment.")
    Path keylist;

    @Mixin
    JobsOption jobs;

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
        if (keylist == null && !recursive.value && location.isObject()) {
            return single(location);
        }
        Reporter reporter = newReporter();
        Path directory = output == null ? null : Targets.localDirectory(output);
        if (directory != null) {
            Files.createDirectories(directory);
        }
        TransferResult result = transfer("get", reporter, TransferOutput.SILENT, (engine, listener) -> {
            if (keylist != null) {
                return fromKeylist(engine, location, directory, reporter, listener);
            }
            GetTarget target = directory == null ? GetTarget.discard()
                    : GetTarget.toFiles(FileNames.under(directory, TransferEngine.keyBase(location)));
            return engine.getAll(location, recursive.mode(), target, TransferOptions.jobs(jobs(jobs.value, location)), listener);
        });
        return reporter.finish(result);
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

    private TransferHandle fromKeylist(TransferEngine engine, Location prefix, Path directory, Reporter reporter,
            TransferListener listener) throws Exception {
        Location base = prefix == null ? null : prefix.asPrefix();
        List<ObjectRef> objects = new ArrayList<>();
        Shard shard = Shard.fromLaunchers(env().config()).orElse(Shard.WHOLE); // mpirun/srun/torchrun: this rank's share
        long index = 0;
        for (KeyList.Entry entry : KeyList.read(keylist)) {
            if (index++ % shard.worldSize() != shard.rank()) {
                continue;
            }
            try {
                objects.add(ObjectRef.of(KeyList.resolve(entry.text(), base)));
            } catch (IllegalArgumentException e) {
                reporter.fail(keylist + ":" + entry.number(), e);
            }
        }
        for (ObjectRef object : objects) {
            store(object.location()); // an unknown scheme is a usage error of the whole command, as before
        }
        int jobCount = objects.isEmpty() ? 1 : jobs(jobs.value, objects.getFirst().location());
        GetTarget target = GetTarget.discard();
        if (directory != null) {
            // Under -o, keys below PREFIX keep the part after it; full URIs elsewhere keep their whole key.
            target = GetTarget.toFiles(object -> FileNames.resolve(directory,
                    base != null && sameContainer(base, object) && object.key().startsWith(base.key())
                            ? object.key().substring(base.key().length()) : object.key()));
        }
        return engine.get(objects, target, TransferOptions.jobs(jobCount), listener);
    }

    private static boolean sameContainer(Location a, Location b) {
        return a.scheme().equals(b.scheme()) && a.account().equals(b.account()) && a.container().equals(b.container());
    }
}
