package io.s3dlio.cli;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.nio.file.Files;
import java.util.Map;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cp", description =
        "Copy objects between any two locations (URIs or local paths). Within one store that can, the copy "
        + "runs server-side; otherwise the bytes stream through this process in chunks. One object: DEST ending "
        + "in '/' (or an existing directory) receives SRC's name. With -r, SRC is a directory: 'p/data' copies "
        + "into DEST/data/..., 'p/data/' copies its contents.")
final class CpCommand extends CommandBase {
    private static final Logger LOG = Logger.getLogger("io.s3dlio.cli");

    @Option(names = {"-r", "--recursive"}, description = "Copy everything under SRC.")
    boolean recursive;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Objects in flight (default: the adaptive tuning policy or S3DLIO_JOBS; -v shows it).")
    Integer jobs;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    @Override
    public Integer call() throws Exception {
        Location from = Targets.location(source);
        Location to = Targets.location(destination);
        ObjectStore fromStore = store(from);
        ObjectStore toStore = store(to);
        requireContainer(toStore, to);
        boolean serverSide = fromStore == toStore && fromStore.capabilities().contains(Capability.SERVER_SIDE_COPY);
        LOG.fine(() -> "cp: " + (fromStore == toStore ? (serverSide ? "server-side copy" : "copy inside one store")
                : "streaming between stores"));
        Reporter reporter = newReporter();
        int jobCount = jobs(jobs, from, to);
        Progress progress = newProgress("cp");
        TransferResult result;
        try (progress; TransferEngine engine = newTransferEngine()) {
            if (!recursive) {
                if (!from.isObject()) {
                    throw new IllegalArgumentException(from + " names a prefix; use -r to copy everything under it");
                }
                Location target = to;
                if (!to.isObject() || (to.isLocal() && Files.isDirectory(to.localPath()))) {
                    target = to.asPrefix().resolve(from.name());
                }
                TransferOutput listener = new TransferOutput(progress, reporter, item -> reporter.item(
                        item(item.source(), item.target(), item.bytes(), serverSide), item.source() + " -> " + item.target()));
                result = single(await(engine.copyObject(from, target, TransferOptions.jobs(1), listener)));
            } else {
                TransferOutput listener = new TransferOutput(progress, reporter, item -> reporter.item(
                        item(item.source(), item.target(), item.bytes(), serverSide), null));
                result = await(engine.copyTree(from, to, TransferOptions.jobs(jobCount), listener));
            }
        }
        Map<String, Object> summary = Reporter.transferSummary(result.objects(), result.bytes(), result.elapsed().toNanos());
        summary.put("serverSide", serverSide);
        return reporter.finish(summary, Rates.summary(result.objects(), result.bytes(), result.elapsed().toNanos())
                + (serverSide ? " (server-side)" : ""));
    }

    private static Json item(String source, String target, long size, boolean serverSide) {
        return Json.object("copy").put("source", source).put("target", target)
                .put("bytes", size).put("serverSide", serverSide);
    }
}
