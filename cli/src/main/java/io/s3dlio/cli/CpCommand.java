package io.s3dlio.cli;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.nio.file.Files;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "cp", description =
        "Copy objects between any two locations (URIs or local paths). Within one store that can, the copy "
        + "runs server-side; otherwise the bytes stream through this process in chunks. One object: DEST ending "
        + "in '/' (or an existing directory) receives SRC's name. With -r, SRC is a directory: 'p/data' copies "
        + "into DEST/data/..., 'p/data/' copies its contents.")
final class CpCommand extends CommandBase {
    @Option(names = {"-r", "--recursive"}, description = "Copy everything under SRC.")
    boolean recursive;

    @Mixin
    JobsOption jobs;

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
        int jobCount = jobs(jobs.value, from, to);
        TransferOutput.ItemPrinter printer = item -> reporter.item(item(item.source(), item.target(), item.bytes(), serverSide),
                recursive ? null : item.source() + " -> " + item.target());
        TransferResult result;
        if (!recursive) {
            if (!from.isObject()) {
                throw new IllegalArgumentException(from + " names a prefix; use -r to copy everything under it");
            }
            Location target = !to.isObject() || (to.isLocal() && Files.isDirectory(to.localPath()))
                    ? to.asPrefix().resolve(from.name()) : to;
            result = single(transfer("cp", reporter, printer,
                    (engine, listener) -> engine.copyObject(from, target, TransferOptions.jobs(1), listener)));
        } else {
            result = transfer("cp", reporter, printer,
                    (engine, listener) -> engine.copyTree(from, to, TransferOptions.jobs(jobCount), listener));
        }
        return reporter.finish(result, Map.of("serverSide", serverSide), serverSide ? " (server-side)" : "");
    }

    private static Json item(String source, String target, long size, boolean serverSide) {
        return Json.object("copy").put("source", source).put("target", target)
                .put("bytes", size).put("serverSide", serverSide);
    }
}
