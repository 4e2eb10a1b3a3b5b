package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        List<Path> sources = new ArrayList<>();
        for (String argument : arguments.subList(0, arguments.size() - 1)) {
            try {
                sources.addAll(expand(argument));
            } catch (IOException | RuntimeException e) {
                reporter.fail(argument, e);
            }
        }
        TransferResult result = transfer("upload", reporter, item -> reporter.item(
                Json.object("object").put("file", item.source()).put("uri", item.target()).put("bytes", item.bytes()),
                null), (engine, listener) -> engine.upload(sources, destination, RecursiveOption.listMode(recursive),
                        TransferOptions.jobs(jobCount), listener));
        return reporter.finish(result);
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
