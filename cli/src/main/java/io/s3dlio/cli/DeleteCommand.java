package io.s3dlio.cli;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.transfer.TransferOptions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "delete", aliases = "rm", description =
        "Delete one object, or with -r everything under a prefix (batched where the store can). -p deletes "
        + "only the objects whose full URI matches REGEX; --dry-run lists what would go. Deleting what is "
        + "absent is not an error.")
final class DeleteCommand extends CommandBase {
    @Option(names = {"-r", "--recursive"}, description = "Everything under the prefix ('p/data' means 'p/data/').")
    boolean recursive;

    @Mixin
    PatternOption pattern;

    @Mixin
    DryRunOption dryRunOption;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Deletes in flight when deleting one by one (default: the adaptive tuning policy or S3DLIO_JOBS).")
    Integer jobs;

    @Parameters(paramLabel = "URI", description = "Object or prefix URI, or a local path.")
    String uri;

    @Override
    public Integer call() throws Exception {
        Location location = Targets.location(uri);
        Pattern filter = pattern.filter();
        ObjectStore store = store(location);
        boolean dryRun = dryRunOption.value;
        Reporter reporter = newReporter();
        long start = System.nanoTime();
        long deleted = 0;
        if (!recursive && filter == null && !location.isObject()) {
            throw new IllegalArgumentException(location + " names a prefix; use -r to delete everything under it, or -p REGEX to pick objects");
        }
        if (!recursive && filter == null) {
            if (!dryRun) {
                store.delete(location);
                deleted++;
            }
            reporter.item(Json.object("object").put("uri", location.toString()).put("dryRun", dryRun),
                    (dryRun ? "would delete " : "deleted ") + location);
        } else if (recursive && filter == null && !dryRun) {
            DeleteResult result = store.deletePrefix(location.asPrefix());
            deleted += result.deleted();
            for (DeleteResult.Failure failure : result.failures()) {
                reporter.fail(failure.location().toString(), failure.cause());
            }
        } else {
            List<Location> matches = new ArrayList<>();
            Location listed = recursive ? location.asPrefix() : location;
            // Collect first: deleting while a file-system listing walks the same directories is unsafe.
            try (Stream<ListEntry> entries = store.list(listed, RecursiveOption.listMode(recursive))) {
                for (Iterator<ListEntry> it = entries.iterator(); it.hasNext(); ) {
                    if (it.next() instanceof ListEntry.ObjectEntry object
                            && (filter == null || filter.matcher(object.location().toString()).find())) {
                        matches.add(object.location());
                    }
                }
            }
            if (dryRun) {
                for (Location match : matches) {
                    reporter.item(Json.object("object").put("uri", match.toString()).put("dryRun", true), "would delete " + match);
                }
            } else {
                int jobCount = jobs(jobs, location);
                deleted += transfer("delete", reporter, TransferOutput.SILENT,
                        (engine, listener) -> engine.delete(matches, TransferOptions.jobs(jobCount), listener)).objects();
            }
            if (dryRun) {
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("deleted", 0);
                summary.put("wouldDelete", matches.size());
                summary.put("seconds", Rates.round3(Rates.seconds(System.nanoTime() - start)));
                return reporter.finish(summary, "would delete " + matches.size() + " objects (dry run)");
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("deleted", deleted);
        summary.put("seconds", Rates.round3(Rates.seconds(System.nanoTime() - start)));
        return reporter.finish(summary, (dryRun ? "dry run, " : "") + "deleted " + deleted + " objects"
                + String.format(java.util.Locale.ROOT, " in %.2f s", Rates.seconds(System.nanoTime() - start)));
    }
}
