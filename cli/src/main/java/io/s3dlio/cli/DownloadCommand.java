package io.s3dlio.cli;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
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
        ObjectStore store = store(source);
        Reporter reporter = newReporter();
        int jobCount = jobs(jobs, source);
        Progress progress = newProgress("download");
        try (progress) {
            fetch(store, source, recursive, directory, jobCount, reporter, progress, true);
        }
        return reporter.finish(Reporter.transferSummary(progress.objects(), progress.bytes(), progress.elapsedNanos()),
                Rates.summary(progress.objects(), progress.bytes(), progress.elapsedNanos()));
    }

    /**
     * Lists {@code source} (one level, or recursively) and fetches each object: into {@code directory} keeping
     * relative paths, or read and discarded when {@code directory} is null.
     */
    static void fetch(ObjectStore store, Location source, boolean recursive, Path directory, int jobs,
            Reporter reporter, Progress progress, boolean listItems) throws Exception {
        Transfers.BufferPool pool = new Transfers.BufferPool(jobs, Transfers.CHUNK);
        Location listed = recursive ? source.asPrefix() : source;
        String base = Targets.baseOf(source);
        if (!recursive && source.isObject() && store.exists(source)) {
            listed = null;
        }
        try (Parallel parallel = new Parallel("fetch", jobs, reporter)) {
            if (listed == null) {
                submit(parallel, store, source, OptionalLong.empty(), base, directory, pool, reporter, progress, listItems);
                return;
            }
            try (Stream<ListEntry> entries = store.list(listed, recursive ? ListMode.RECURSIVE : ListMode.ONE_LEVEL)) {
                for (Iterator<ListEntry> it = entries.iterator(); it.hasNext(); ) {
                    if (it.next() instanceof ListEntry.ObjectEntry object) {
                        submit(parallel, store, object.location(), OptionalLong.of(object.size()), base, directory, pool,
                                reporter, progress, listItems);
                    }
                }
            }
        }
    }

    static void submit(Parallel parallel, ObjectStore store, Location object, OptionalLong size, String base,
            Path directory, Transfers.BufferPool pool, Reporter reporter, Progress progress, boolean listItems) {
        String uri = object.toString();
        if (directory == null) {
            parallel.submit(uri, () -> {
                long bytes = Transfers.read(store, object, size, pool, chunk -> progress.addBytes(chunk.remaining()));
                progress.addObject();
                if (listItems) {
                    reporter.item(Json.object("object").put("uri", uri).put("bytes", bytes), null);
                }
            });
            return;
        }
        String key = object.key();
        String relative = key.startsWith(base) ? key.substring(base.length()) : object.name();
        Optional<String> refusal = LocalTargets.refusal(directory, relative);
        if (refusal.isPresent()) {
            reporter.fail(uri, "refused: " + refusal.get());
            return;
        }
        Path target = LocalTargets.resolve(directory, relative);
        if (relative.endsWith("/")) {
            // A directory marker object ("dir/"): the directory is all there is to write.
            parallel.submit(uri, () -> Files.createDirectories(target));
            return;
        }
        parallel.submit(uri, () -> {
            long bytes = Transfers.download(store, object, size, target, pool);
            progress.add(1, bytes);
            if (listItems) {
                reporter.item(Json.object("object").put("uri", uri).put("file", target.toString()).put("bytes", bytes),
                        uri + " -> " + target);
            }
        });
    }
}
