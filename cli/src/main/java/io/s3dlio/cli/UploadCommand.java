package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "upload", description =
        "Upload local files, directories (with -r) and globs under DEST_PREFIX, keeping relative paths: file "
        + "f goes to DEST_PREFIX/f, directory d to DEST_PREFIX/d/... (its own name kept, as cp -r).")
final class UploadCommand extends CommandBase {
    @Option(names = {"-r", "--recursive"}, description = "Upload directories with everything in them.")
    boolean recursive;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files in flight (default: the adaptive tuning policy or S3DLIO_JOBS; -v shows it).")
    Integer jobs;

    @Parameters(arity = "2..*", paramLabel = "SRC... DEST_PREFIX", description = "Files, directories or globs, then the destination prefix URI.")
    List<String> arguments;

    @Override
    public Integer call() throws Exception {
        Location destination = Targets.location(arguments.getLast()).asPrefix();
        ObjectStore store = store(destination);
        requireContainer(store, destination);
        Reporter reporter = newReporter();
        int jobCount = jobs(jobs, destination);
        Transfers.BufferPool pool = new Transfers.BufferPool(jobCount, Transfers.CHUNK);
        Progress progress = newProgress("upload");
        try (progress; Parallel parallel = new Parallel("upload", jobCount, reporter)) {
            for (String argument : arguments.subList(0, arguments.size() - 1)) {
                List<Path> sources;
                try {
                    sources = expand(argument);
                } catch (IOException | RuntimeException e) {
                    reporter.fail(argument, e);
                    continue;
                }
                for (Path source : sources) {
                    Path absolute = source.toAbsolutePath().normalize();
                    if (Files.isDirectory(absolute)) {
                        if (!recursive) {
                            reporter.fail(absolute.toString(), "is a directory; use -r to upload it");
                            continue;
                        }
                        Path parent = absolute.getParent();
                        try (Stream<Path> walk = Files.walk(absolute)) {
                            for (Iterator<Path> it = walk.iterator(); it.hasNext(); ) {
                                Path file = it.next();
                                if (Files.isRegularFile(file)) {
                                    submit(parallel, store, file, destination.withKey(destination.key() + relative(parent, file)),
                                            pool, reporter, progress);
                                }
                            }
                        }
                    } else if (Files.isRegularFile(absolute)) {
                        submit(parallel, store, absolute, destination.resolve(absolute.getFileName().toString()), pool,
                                reporter, progress);
                    } else if (!Files.exists(absolute)) {
                        reporter.fail(absolute.toString(), "no such file or directory");
                    } else {
                        reporter.fail(absolute.toString(), "not a regular file or directory");
                    }
                }
            }
        }
        return reporter.finish(Reporter.transferSummary(progress.objects(), progress.bytes(), progress.elapsedNanos()),
                Rates.summary(progress.objects(), progress.bytes(), progress.elapsedNanos()));
    }

    private static void submit(Parallel parallel, ObjectStore store, Path file, Location target, Transfers.BufferPool pool,
            Reporter reporter, Progress progress) {
        parallel.submit(file.toString(), () -> {
            long bytes = Transfers.upload(file, store, target, pool).bytesWritten();
            progress.add(1, bytes);
            reporter.item(Json.object("object").put("file", file.toString()).put("uri", target.toString()).put("bytes", bytes),
                    null);
        });
    }

    /** '/'-separated path of {@code file} below {@code parent}. */
    private static String relative(Path parent, Path file) {
        Path relative = parent == null ? file : parent.relativize(file);
        StringBuilder out = new StringBuilder();
        for (Path part : relative) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    /** The argument itself when it exists, else the matches of a glob in its last segment. */
    static List<Path> expand(String argument) throws IOException {
        Path path = Path.of(argument);
        if (Files.exists(path) || !(argument.contains("*") || argument.contains("?") || argument.contains("["))) {
            return List.of(path);
        }
        Path directory = path.toAbsolutePath().getParent();
        String glob = path.getFileName().toString();
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
            entries.forEach(matches::add);
        }
        if (matches.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(argument, null, "no file matches the glob");
        }
        matches.sort(null);
        return matches;
    }
}
