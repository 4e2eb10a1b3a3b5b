package io.s3dlio.cli;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;
import java.util.stream.Stream;
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
        Transfers.BufferPool pool = new Transfers.BufferPool(jobCount, Transfers.CHUNK);
        Progress progress = newProgress("cp");
        try (progress) {
            if (!recursive) {
                if (!from.isObject()) {
                    throw new IllegalArgumentException(from + " names a prefix; use -r to copy everything under it");
                }
                ObjectInfo info = fromStore.stat(from);
                Location target = to;
                if (!to.isObject() || (to.isLocal() && Files.isDirectory(to.localPath()))) {
                    target = to.asPrefix().resolve(from.name());
                }
                copy(fromStore, from, OptionalLong.of(info.size()), toStore, target, pool);
                progress.add(1, info.size());
                reporter.item(item(from, target, info.size(), serverSide), from + " -> " + target);
            } else {
                String base = Targets.baseOf(from);
                Location destinationPrefix = to.asPrefix();
                try (Parallel parallel = new Parallel("cp", jobCount, reporter);
                        Stream<ListEntry> entries = fromStore.list(from.asPrefix(), ListMode.RECURSIVE)) {
                    for (Iterator<ListEntry> it = entries.iterator(); it.hasNext(); ) {
                        if (!(it.next() instanceof ListEntry.ObjectEntry object)) {
                            continue;
                        }
                        Location source = object.location();
                        Location target = destinationPrefix.withKey(destinationPrefix.key() + source.key().substring(base.length()));
                        parallel.submit(source.toString(), () -> {
                            copy(fromStore, source, OptionalLong.of(object.size()), toStore, target, pool);
                            progress.add(1, object.size());
                            reporter.item(item(source, target, object.size(), serverSide), null);
                        });
                    }
                }
            }
        }
        Map<String, Object> summary = Reporter.transferSummary(progress.objects(), progress.bytes(), progress.elapsedNanos());
        summary.put("serverSide", serverSide);
        return reporter.finish(summary, Rates.summary(progress.objects(), progress.bytes(), progress.elapsedNanos())
                + (serverSide ? " (server-side)" : ""));
    }

    private static Json item(Location source, Location target, long size, boolean serverSide) {
        return Json.object("copy").put("source", source.toString()).put("target", target.toString())
                .put("bytes", size).put("serverSide", serverSide);
    }

    /** One object: the store's own copy when both ends are in it, otherwise streamed through this process. */
    static void copy(ObjectStore fromStore, Location from, OptionalLong size, ObjectStore toStore, Location to,
            Transfers.BufferPool pool) throws Exception {
        if (fromStore == toStore) {
            fromStore.copy(from, to);
        } else {
            Transfers.copyThrough(fromStore, from, size, toStore, to, pool);
        }
    }
}
