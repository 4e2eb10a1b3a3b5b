package io.s3dlio.cli;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ls", description =
        "List objects under URI, one full URI per line: one level (sub-prefixes end with '/'), or everything "
        + "with -r. A scheme root such as mem:// or s3:// lists the buckets.")
final class LsCommand extends CommandBase {
    @Mixin
    RecursiveOption recursive;

    @Mixin
    PatternOption pattern;

    @Option(names = {"-c", "--count"}, description = "Print only the number of entries (with a live rate on a terminal).")
    boolean count;

    @Option(names = {"-l", "--long"}, description = "Also print size and last-modified time.")
    boolean longFormat;

    @Parameters(paramLabel = "URI", description = "Prefix or object URI, or a local path.")
    String uri;

    @Override
    public Integer call() throws Exception {
        Location location = Targets.directoryAware(uri);
        Pattern filter = pattern.filter();
        Reporter reporter = newReporter();
        ObjectStore store = store(location);
        long objects = 0;
        long prefixes = 0;
        long bytes = 0;
        Progress progress = newProgress("ls");
        boolean jsonLines = json();
        try (progress) {
            if (!location.isLocal() && location.container().isEmpty()) {
                try (Stream<Location> containers = store.listContainers(location)) {
                    for (Iterator<Location> it = containers.iterator(); it.hasNext(); ) {
                        String text = it.next().toString() + "/";
                        if (filter == null || filter.matcher(text).find()) {
                            prefixes++;
                            if (!count) {
                                reporter.item(Json.object("bucket").put("uri", text), text);
                            }
                        }
                    }
                }
            } else {
                try (Stream<ListEntry> entries = store.list(location, recursive.mode())) {
                    for (Iterator<ListEntry> it = entries.iterator(); it.hasNext(); ) {
                        ListEntry entry = it.next();
                        String text = entry.location().toString();
                        if (filter != null && !filter.matcher(text).find()) {
                            continue;
                        }
                        switch (entry) {
                            case ListEntry.ObjectEntry object -> {
                                objects++;
                                bytes += object.size();
                                progress.add(1, object.size());
                                if (!count) {
                                    String human = longFormat
                                            ? String.format(Locale.ROOT, "%14d  %-24s  %s", object.size(),
                                                    object.lastModified().map(Object::toString).orElse("-"), text)
                                            : text;
                                    // The JSON object only under --json: 100,000 of them were built and dropped.
                                    reporter.item(jsonLines ? Json.object("object").put("uri", text).put("size", object.size())
                                            .put("lastModified", object.lastModified()).put("etag", object.etag()) : null, human);
                                }
                            }
                            case ListEntry.PrefixEntry prefix -> {
                                prefixes++;
                                progress.add(1, 0);
                                if (!count) {
                                    reporter.item(jsonLines ? Json.object("prefix").put("uri", text) : null,
                                            longFormat ? String.format(Locale.ROOT, "%14s  %-24s  %s", "PRE", "", text) : text);
                                }
                            }
                        }
                    }
                }
            }
        }
        if (count && !json()) {
            env().out().println(objects + prefixes);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("objects", objects);
        summary.put("prefixes", prefixes);
        summary.put("bytes", bytes);
        summary.put("seconds", Rates.round3(Rates.seconds(progress.elapsedNanos())));
        return reporter.finish(summary, objects + " objects, " + prefixes + " prefixes, " + Rates.bytes(bytes)
                + String.format(java.util.Locale.ROOT, " in %.2f s", Rates.seconds(progress.elapsedNanos())));
    }
}
