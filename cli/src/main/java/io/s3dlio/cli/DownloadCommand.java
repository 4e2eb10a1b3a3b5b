package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "download", description =
        "Download the objects under PREFIX into DEST_DIR, keeping their relative paths. Each file is written "
        + "under a temporary name and renamed when complete. A key that would land outside DEST_DIR ('..' "
        + "segments, absolute paths) is refused and reported, never written. With -r, 'p/data' keeps the "
        + "'data/' directory and 'p/data/' downloads its contents (as cp -r).")
final class DownloadCommand extends CommandBase {
    @Mixin
    RecursiveOption recursive;

    @Mixin
    JobsOption jobs;

    @Parameters(index = "0", paramLabel = "PREFIX", description = "Prefix (or object) URI.")
    String prefix;

    @Parameters(index = "1", paramLabel = "DEST_DIR", description = "Local directory (created when missing).")
    String destination;

    @Override
    public Integer call() throws Exception {
        Location source = Targets.location(prefix);
        Path directory = Targets.localDirectory(destination);
        Files.createDirectories(directory);
        store(source);
        Reporter reporter = newReporter();
        int jobCount = jobs(jobs.value, source);
        TransferResult result = transfer("download", reporter, item -> {
            if (!item.source().endsWith("/")) {
                reporter.item(Json.object("object").put("uri", item.source()).put("file", item.target())
                        .put("bytes", item.bytes()), item.source() + " -> " + item.target());
            }
        }, (engine, listener) -> engine.downloadDirectory(source, recursive.mode(), directory,
                TransferOptions.jobs(jobCount), listener));
        return reporter.finish(result);
    }
}
