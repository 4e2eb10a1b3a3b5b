package io.s3dlio.cli;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.Location;
import io.s3dlio.checkpoint.CheckpointConfig;
import io.s3dlio.checkpoint.CheckpointDeleteResult;
import io.s3dlio.checkpoint.CheckpointEntry;
import io.s3dlio.checkpoint.CheckpointStore;
import io.s3dlio.checkpoint.Leftover;
import io.s3dlio.checkpoint.Manifest;
import io.s3dlio.checkpoint.ShardInfo;
import io.s3dlio.checkpoint.ValidationResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "checkpoint", description = "Inspect and manage training checkpoints under a base URI (written by the "
        + "s3dlio checkpoint store): list, info, validate, delete, prune.",
        subcommands = {CheckpointCommand.ListCheckpoints.class, CheckpointCommand.Info.class,
            CheckpointCommand.Validate.class, CheckpointCommand.Delete.class, CheckpointCommand.Prune.class})
final class CheckpointCommand extends CommandBase {

    @Override
    public Integer call() {
        spec.commandLine().usage(env().err());
        return ExitCodes.USAGE;
    }

    /** What the checkpoint subcommands share: the base URI and a checkpoint store over it. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        CheckpointCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;

        @Parameters(index = "0", paramLabel = "URI", description = "The checkpoint base (prefix) URI, or a local path.")
        String uri;

        final Reporter newReporter() {
            return new Reporter(parent.env(), "checkpoint " + spec.name(), parent.json());
        }

        final CheckpointStore open() throws IOException {
            Location base = Targets.location(uri).asPrefix();
            return new CheckpointStore(parent.store(base), base, CheckpointConfig.DEFAULT);
        }

        final boolean json() {
            return parent.json();
        }

        /** The checkpoint {@code step} names, or the latest complete one. */
        static Manifest pick(CheckpointStore store, Long step) throws IOException {
            if (step != null) {
                return store.load(step);
            }
            return store.loadLatest().orElseThrow(() -> new io.s3dlio.api.ObjectNotFoundException(
                    store.base().resolve("latest.json")));
        }
    }

    static Json summaryOf(Manifest m) {
        return Json.object("checkpoint").put("step", m.step()).put("epoch", m.epoch()).put("wallTime", m.wallTime().toString())
                .put("status", m.isComplete() ? "complete" : "incomplete").put("worldSize", m.worldSize())
                .put("framework", m.framework()).put("layout", m.layout().id()).put("compression", m.compression())
                .put("bytes", m.storedBytes()).put("rawBytes", m.rawBytes());
    }

    @Command(name = "list", aliases = "ls", description = "One line per checkpoint: step, epoch, time, status, world size, bytes; '*' marks the one 'latest' names.")
    static final class ListCheckpoints extends Sub {
        @Override
        public Integer call() throws Exception {
            try (CheckpointStore store = open()) {
                OptionalLong latest = store.latestPointerStep();
                Reporter reporter = newReporter();
                long total = 0;
                List<CheckpointEntry> entries = store.list();
                for (CheckpointEntry entry : entries) {
                    boolean isLatest = latest.isPresent() && latest.getAsLong() == entry.step();
                    if (entry.manifest().isPresent()) {
                        Manifest m = entry.manifest().get();
                        total += m.storedBytes();
                        reporter.item(summaryOf(m).put("latest", isLatest), String.format(Locale.ROOT,
                                "%s step %-10d epoch %-6d %s  %-10s world %-4d %s", isLatest ? "*" : " ", m.step(), m.epoch(),
                                m.wallTime(), entry.status(), m.worldSize(), Rates.bytes(m.storedBytes())));
                    } else {
                        reporter.item(Json.object("checkpoint").put("step", entry.step()).put("status", "unreadable")
                                .put("problem", entry.problem().orElse("")).put("latest", isLatest),
                                String.format(Locale.ROOT, "%s step %-10d unreadable: %s", isLatest ? "*" : " ",
                                        entry.step(), entry.problem().orElse("")));
                    }
                }
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("checkpoints", entries.size());
                summary.put("latest", latest.isPresent() ? (Object) latest.getAsLong() : null);
                summary.put("bytes", total);
                return reporter.finish(summary, entries.size() + " checkpoints, " + Rates.bytes(total)
                        + (latest.isPresent() ? ", latest step " + latest.getAsLong() : ", no latest pointer"));
            }
        }
    }

    @Command(name = "info", description = "Show one checkpoint's manifest (the latest complete one by default) and its shards.")
    static final class Info extends Sub {
        @Option(names = "--step", paramLabel = "N", description = "The checkpoint of global step N.")
        Long step;

        @Override
        public Integer call() throws Exception {
            try (CheckpointStore store = open()) {
                Manifest m = pick(store, step);
                List<Map<String, Object>> shards = new ArrayList<>();
                StringBuilder human = new StringBuilder();
                human.append(String.format(Locale.ROOT, "step %d, epoch %d, %s, %s, framework %s, world size %d, layout %s,"
                        + " compression %s, %s stored (%s written), format %d%n", m.step(), m.epoch(), m.wallTime(),
                        m.isComplete() ? "complete" : "incomplete", m.framework(), m.worldSize(), m.layout().id(),
                        m.compression(), Rates.bytes(m.storedBytes()), Rates.bytes(m.rawBytes()), m.formatVersion()));
                new java.util.TreeMap<>(m.userMetadata()).forEach((k, v) -> human.append("  metadata.").append(k).append(": ")
                        .append(v).append(System.lineSeparator()));
                for (ShardInfo shard : m.shards()) {
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("rank", shard.rank());
                    s.put("uri", store.shardLocation(shard).toString());
                    s.put("size", shard.size());
                    s.put("rawSize", shard.rawSize());
                    s.put("crc32c", shard.crc32cHex());
                    shards.add(s);
                    human.append(String.format(Locale.ROOT, "  rank %-5d %12d bytes  crc32c %s  %s%n", shard.rank(),
                            shard.size(), shard.crc32cHex(), store.shardLocation(shard)));
                }
                if (json()) {
                    parent.env().out().println(summaryOf(m).put("formatVersion", m.formatVersion())
                            .put("userMetadata", new java.util.TreeMap<>(m.userMetadata())).put("shards", shards));
                } else {
                    parent.env().out().print(human);
                }
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "validate", description = "Read every shard of a checkpoint (the latest complete one by default) and check "
            + "its size and CRC32C against the manifest; each shard that differs is a failure (exit 1).")
    static final class Validate extends Sub {
        @Option(names = "--step", paramLabel = "N", description = "The checkpoint of global step N.")
        Long step;

        @Option(names = "--all", description = "Every complete checkpoint under the base.")
        boolean all;

        @Override
        public Integer call() throws Exception {
            if (all && step != null) {
                throw new IllegalArgumentException("--all and --step exclude each other");
            }
            try (CheckpointStore store = open()) {
                List<Manifest> targets = new ArrayList<>();
                if (all) {
                    for (CheckpointEntry entry : store.list()) {
                        entry.manifest().filter(Manifest::isComplete).ifPresent(targets::add);
                    }
                } else {
                    targets.add(pick(store, step));
                }
                Reporter reporter = newReporter();
                int valid = 0;
                for (Manifest m : targets) {
                    ValidationResult result = store.validate(m);
                    for (String problem : result.problems()) {
                        reporter.fail(store.base() + " step " + m.step(), problem);
                    }
                    valid += result.isValid() ? 1 : 0;
                    reporter.item(Json.object("validation").put("step", m.step()).put("valid", result.isValid())
                            .put("shards", m.shards().size()).put("problems", result.problems()),
                            "step " + m.step() + ": " + (result.isValid() ? "valid (" + m.shards().size() + " shards)"
                                    : result.problems().size() + " problem(s)"));
                }
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("checkpoints", targets.size());
                summary.put("valid", valid);
                return reporter.finish(summary, valid + " of " + targets.size() + " checkpoints valid");
            }
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete checkpoints by step (manifest first, then shards), or "
            + "with --keep-last N every complete checkpoint but the N newest (never the one 'latest' names).")
    static final class Delete extends Sub {
        @Option(names = "--step", paramLabel = "N", description = "Delete the checkpoint of step N (repeatable).")
        List<Long> steps = new ArrayList<>();

        @Option(names = "--keep-last", paramLabel = "N", description = "Retention: keep the N newest complete checkpoints.")
        Integer keepLast;

        @Override
        public Integer call() throws Exception {
            if (steps.isEmpty() == (keepLast == null)) {
                throw new IllegalArgumentException("give --step N (repeatable) or --keep-last N");
            }
            try (CheckpointStore store = open()) {
                List<CheckpointDeleteResult> results = new ArrayList<>();
                if (keepLast != null) {
                    results.add(store.retain(keepLast));
                } else {
                    for (long step : steps) {
                        results.add(store.delete(step));
                    }
                }
                return report(newReporter(), results, "deleted");
            }
        }
    }

    @Command(name = "prune", description = "List and delete what killed or failed saves left: objects of steps with no "
            + "complete manifest. By default only steps below the newest complete checkpoint (safe while a job saves); "
            + "--all takes every such step (only when no job is saving).")
    static final class Prune extends Sub {
        @Option(names = "--all", description = "Also steps above the newest complete checkpoint.")
        boolean all;

        @CommandLine.Mixin
        DryRunOption dryRunOption;

        @Override
        public Integer call() throws Exception {
            boolean dryRun = dryRunOption.value;
            CheckpointStore.PruneScope scope = all ? CheckpointStore.PruneScope.ALL : CheckpointStore.PruneScope.OLDER_THAN_LATEST;
            try (CheckpointStore store = open()) {
                Reporter reporter = newReporter();
                List<Leftover> leftovers = store.leftovers(scope);
                for (Leftover leftover : leftovers) {
                    reporter.item(Json.object("leftover").put("step", leftover.step()).put("objects", leftover.objects().size())
                            .put("bytes", leftover.bytes()).put("dryRun", dryRun),
                            (dryRun ? "would prune" : "pruning") + " step " + leftover.step() + ": "
                                    + leftover.objects().size() + " objects, " + Rates.bytes(leftover.bytes()));
                }
                if (dryRun) {
                    Map<String, Object> summary = new LinkedHashMap<>();
                    summary.put("steps", leftovers.size());
                    summary.put("objects", leftovers.stream().mapToLong(l -> l.objects().size()).sum());
                    summary.put("dryRun", true);
                    return reporter.finish(summary, leftovers.size() + " incomplete checkpoints would be pruned");
                }
                return report(reporter, List.of(store.prune(scope)), "pruned");
            }
        }
    }

    static int report(Reporter reporter, List<CheckpointDeleteResult> results, String verb) {
        List<Long> steps = new ArrayList<>();
        long objects = 0;
        for (CheckpointDeleteResult result : results) {
            steps.addAll(result.steps());
            objects += result.objectsDeleted();
            for (DeleteResult.Failure failure : result.failures()) {
                reporter.fail(failure.location().toString(), failure.cause());
            }
        }
        for (long step : steps) {
            reporter.item(Json.object("checkpoint").put("step", step).put(verb, true), verb + " step " + step);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("steps", steps);
        summary.put("objects", objects);
        return reporter.finish(summary, verb + " " + steps.size() + " checkpoints (" + objects + " objects)");
    }
}
