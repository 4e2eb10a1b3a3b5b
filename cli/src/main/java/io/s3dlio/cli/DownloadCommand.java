package io.s3dlio.cli;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "download", description =
        "Download the objects under PREFIX into DEST_DIR, keeping their relative paths. Each file is written "
        + "under a temporary name and renamed when complete. A key that would land outside DEST_DIR ('..' "
        + "segments, absolute paths) is refused and reported, never written. With -r, 'p/data' keeps the "
        + "'data/' directory and 'p/data/' downloads its contents (as cp -r).")
final class DownloadCommand extends CommandBase {
    @Option(names = {"-r", "--recursive"}, description = "Everything under the prefix, at any depth.")
    boolean recursive;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Objects in flight (default: the adaptive tuning policy or S3DLIO_JOBS; -v shows it).")
    Integer jobs;

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
        int jobCount = jobs(jobs, source);
        Progress progress = newProgress("download");
        TransferResult result;
        try (progress; TransferEngine engine = newTransferEngine()) {
            TransferOutput listener = new TransferOutput(progress, reporter, item -> {
                if (!item.source().endsWith("/")) {
                    reporter.item(Json.object("object").put("uri", item.source()).put("file", item.target())
                            .put("bytes", item.bytes()), item.source() + " -> " + item.target());
                }
            });
            result = await(engine.downloadDirectory(source, recursive ? ListMode.RECURSIVE : ListMode.ONE_LEVEL,
                    directory, TransferOptions.jobs(jobCount), listener));
        }
        return reporter.finish(Reporter.transferSummary(result.objects(), result.bytes(), result.elapsed().toNanos()),
                Rates.summary(result.objects(), result.bytes(), result.elapsed().toNanos()));
    }
}
