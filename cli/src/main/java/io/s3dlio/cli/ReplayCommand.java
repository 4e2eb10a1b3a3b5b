package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.oplog.OpLogReader;
import io.s3dlio.oplog.OpRecord;
import io.s3dlio.oplog.OpType;
import io.s3dlio.oplog.Replayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "replay", description = {
    "Re-issue the operations of an op log against another store on the recorded schedule (open loop: each starts at "
        + "its recorded offset / SPEED, within at most N in flight), writing synthetic bytes for PUTs. Reads this "
        + "tool's logs, warp's and the original s3dlio's. Reports schedule lag and latency percentiles."})
final class ReplayCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "OPLOG", description = "The op-log file (.csv.zst or plain text).")
    Path log;

    @Option(names = "--target", required = true, paramLabel = "URI-PREFIX",
            description = "Where objects go: each keeps its path below the log's common prefix, under this prefix.")
    String target;

    @Option(names = "--speed", paramLabel = "X", defaultValue = "1",
            description = "Schedule compression: 2 replays the log in half its recorded time (default 1).")
    double speed;

    @Option(names = "--ops", paramLabel = "OP,OP", split = ",",
            description = "Only these operation types: GET, GET_RANGE, PUT, STAT, LIST, DELETE (default: all of them).")
    List<String> ops;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", defaultValue = "64",
            description = "Most operations in flight (default 64); when all are busy, operations start late and that lag is reported.")
    int jobs;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(log)) {
            throw new java.nio.file.NoSuchFileException(log.toString(), null, "op log not found");
        }
        Set<OpType> types = EnumSet.noneOf(OpType.class);
        for (String op : ops == null ? List.<String>of() : ops) {
            OpType type = OpType.parse(op).filter(Replayer.REPLAYABLE::contains).orElseThrow(() ->
                    new IllegalArgumentException("--ops: '" + op + "' is not a replayable operation; use "
                            + Replayer.REPLAYABLE));
            types.add(type);
        }
        Location prefix = Targets.location(target).asPrefix();
        Replayer.Options options = new Replayer.Options(prefix, speed, types, jobs);
        List<OpRecord> records = OpLogReader.readAll(log);
        Replayer.Report report = Replayer.replay(records, store(prefix), options);

        Reporter reporter = newReporter();
        for (String failure : report.failures()) {
            int colon = failure.indexOf(": ");
            reporter.fail(failure.substring(0, colon), failure.substring(colon + 2));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("log", log.toAbsolutePath().toString());
        summary.put("target", prefix.toString());
        summary.put("operations", report.issued());
        summary.put("failedOperations", report.failed());
        summary.put("skipped", report.skipped());
        summary.put("bytes", report.bytes());
        summary.put("speed", speed);
        summary.put("recordedSeconds", Rates.round3(Rates.seconds(report.recordedSpanNanos())));
        summary.put("seconds", Rates.round3(Rates.seconds(report.elapsedNanos())));
        Map<String, Object> counts = new LinkedHashMap<>();
        report.counts().forEach((op, count) -> counts.put(op,
                Map.of("issued", count.issued(), "failed", count.failed(), "bytes", count.bytes())));
        summary.put("counts", counts);
        summary.put("lag", report.lag().toMap());
        String human = String.format(Locale.ROOT, "%d operations (%d failed, %d skipped), %s in %.2f s for a recorded "
                + "%.2f s at speed %s; schedule lag %s", report.issued(), report.failed(), report.skipped(),
                Rates.bytes(report.bytes()), Rates.seconds(report.elapsedNanos()),
                Rates.seconds(report.recordedSpanNanos()), speed, report.lag().toText());
        int code = reporter.finish(summary, human);
        return report.failed() > 0 ? ExitCodes.SOME_FAILED : code;
    }
}
