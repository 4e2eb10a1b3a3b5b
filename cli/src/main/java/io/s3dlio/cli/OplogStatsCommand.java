package io.s3dlio.cli;

import io.s3dlio.oplog.LatencyRecorder;
import io.s3dlio.oplog.OpLogReader;
import io.s3dlio.oplog.OpRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "oplog-stats", description = {
    "Latency percentiles (p50, p90, p99, p99.9, max) per operation type, time to first byte where recorded, counts, "
        + "bytes and span of an op log (this tool's, warp's or the original s3dlio's)."})
final class OplogStatsCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "FILE", description = "The op-log file (.csv.zst or plain text).")
    Path log;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(log)) {
            throw new java.nio.file.NoSuchFileException(log.toString(), null, "op log not found");
        }
        LatencyRecorder latencies = new LatencyRecorder();
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, 0, 0};
        try (Stream<OpRecord> records = OpLogReader.read(log)) {
            records.forEach(record -> {
                latencies.record(record);
                span[0] = Math.min(span[0], record.startNanos());
                span[1] = Math.max(span[1], record.endNanos());
                span[2]++;
                span[3] += record.failed() ? 0 : record.bytes();
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        Reporter reporter = newReporter();
        for (LatencyRecorder.OpSummary op : latencies.summary()) {
            Map<String, Object> fields = op.toMap();
            Json item = Json.object("op");
            fields.forEach(item::put);
            reporter.item(item, op.toText());
        }
        long nanos = span[2] == 0 ? 0 : span[1] - span[0];
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("log", log.toAbsolutePath().toString());
        summary.put("operations", span[2]);
        summary.put("bytes", span[3]);
        summary.put("seconds", Rates.round3(Rates.seconds(nanos)));
        summary.put("mbPerSecond", Rates.round3(Rates.megabytesPerSecond(span[3], nanos)));
        return reporter.finish(summary, span[2] + " operations, " + Rates.bytes(span[3]) + " over "
                + String.format(java.util.Locale.ROOT, "%.2f s", Rates.seconds(nanos)));
    }
}
