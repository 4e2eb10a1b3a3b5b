package io.s3dlio.cli;

import io.s3dlio.api.EndpointStatistics;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.oplog.LatencyRecorder;
import io.s3dlio.oplog.OpType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A command's output: items on stdout (a line each, or a JSON object each with {@code --json}), failures
 * collected as data and listed at the end with URI and cause, and one summary line (on stderr for people, as
 * the last JSON line on stdout for scripts). {@link #finish} turns "any failures" into exit code 1.
 */
final class Reporter {
    private static final Logger LOG = Logger.getLogger("io.s3dlio.cli");

    record Failure(String uri, String cause) {}

    private final CliEnvironment env;
    private final String command;
    private final boolean json;
    private final List<Failure> failures = new ArrayList<>();
    private Supplier<List<EndpointStatistics.Endpoint>> endpoints = List::of;
    private boolean endpointLines;
    private final LatencyRecorder latencies;

    Reporter(CliEnvironment env, String command, boolean json) {
        this(env, command, json, new LatencyRecorder());
    }

    /** @param latencies the command's storage operations, summarised in {@link #finish} when it moved data */
    Reporter(CliEnvironment env, String command, boolean json, LatencyRecorder latencies) {
        this.env = env;
        this.command = command;
        this.json = json;
        this.latencies = latencies;
    }

    /**
     * Adds the per-endpoint counts of a store over several endpoints to the summary: always under --json,
     * as lines on stderr when {@code verbose}.
     */
    Reporter withEndpoints(Supplier<List<EndpointStatistics.Endpoint>> source, boolean verbose) {
        this.endpoints = source;
        this.endpointLines = verbose;
        return this;
    }

    /** One item: {@code human} printed as a line, or {@code object} as a JSON line. */
    synchronized void item(Json object, String human) {
        Stdout.check(env.out()); // stop at the first failed write, not after a million more lines
        if (json) {
            env.out().println(object);
        } else if (human != null) {
            env.out().println(Lines.escape(human));
        }
    }

    /** A failed item; the command carries on with the rest. */
    void fail(String uri, Throwable cause) {
        String text = ExitCodes.describeFor(uri, cause);
        LOG.log(Level.FINER, command + " failed for " + uri, cause);
        synchronized (this) {
            failures.add(new Failure(uri, text));
        }
    }

    /**
     * Prints at once, one line each, the failures suppressed under {@code cause}: what went wrong while
     * cleaning up after it, such as an abort of a multipart upload (its message names the upload id, which
     * the user needs to abort it by hand).
     */
    void cleanupFailed(String uri, Throwable cause) {
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = cause; t != null && seen.add(t); t = t.getCause()) {
            for (Throwable suppressed : t.getSuppressed()) {
                synchronized (this) {
                    env.err().println(Lines.escape("s3-cli " + command + ": " + uri + ": clean-up failed: "
                            + ExitCodes.describe(suppressed)));
                    env.err().flush();
                }
            }
        }
    }

    void fail(String uri, String cause) {
        synchronized (this) {
            failures.add(new Failure(uri, cause));
        }
    }

    /**
     * Lists the failures, prints the summary and returns the exit code: 0, or 1 when anything failed.
     *
     * @param summary the summary fields (written under "type":"summary")
     * @param human the one-line summary for people
     */
    synchronized int finish(Map<String, Object> summary, String human) {
        for (Failure failure : failures) {
            env.err().println(Lines.escape("s3-cli " + command + ": failed: " + failure.uri() + ": " + failure.cause()));
        }
        if (json) {
            Json line = Json.object("summary").put("command", command);
            summary.forEach(line::put);
            List<Map<String, Object>> listed = new ArrayList<>();
            for (Failure failure : failures) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("uri", failure.uri());
                entry.put("cause", failure.cause());
                listed.add(entry);
            }
            line.put("failed", failures.size()).put("failures", listed);
            List<EndpointStatistics.Endpoint> counts = endpoints.get();
            if (!counts.isEmpty()) {
                line.put("endpoints", EndpointLines.json(counts));
            }
            addLatencies(line, latencies);
            env.out().println(line);
        } else {
            String text = command + ": " + human;
            if (!failures.isEmpty()) {
                text += ", " + failures.size() + " failed";
            }
            env.err().println(text);
            if (endpointLines) {
                EndpointLines.print(endpoints.get(), env.err());
            }
            for (String latency : latencyLines(latencies)) {
                env.err().println(command + ": " + latency);
            }
        }
        env.out().flush();
        env.err().flush();
        return failures.isEmpty() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
    }

    /**
     * The one place latency percentiles reach the output: a "latency" list in a JSON summary (per operation
     * type: count, failed, bytes, p50/p90/p99/p99.9/max in ms, and first byte where told), only when the command
     * read or wrote objects.
     */
    static void addLatencies(Json summary, LatencyRecorder latencies) {
        if (latencies.saw(OpType.GET, OpType.GET_RANGE, OpType.PUT)) {
            summary.put("latency", latencies.summary().stream().map(LatencyRecorder.OpSummary::toMap).toList());
        }
    }

    /** The same for people: one line per operation type, e.g. "latency GET 64 ok: p50 1.20 ms, ...". */
    static List<String> latencyLines(LatencyRecorder latencies) {
        if (!latencies.saw(OpType.GET, OpType.GET_RANGE, OpType.PUT)) {
            return List.of();
        }
        return latencies.summary().stream().map(op -> "latency " + op.toText()).toList();
    }

    /** {@link #finish} for a transfer: the fields and rate line every transfer shares. */
    int finish(TransferResult result) {
        return finish(result, Map.of(), "");
    }

    /**
     * {@link #finish} for a transfer: the fields every transfer shares followed by {@code extra}, and the rate
     * line followed by {@code humanSuffix}.
     */
    int finish(TransferResult result, Map<String, Object> extra, String humanSuffix) {
        long nanos = result.elapsed().toNanos();
        Map<String, Object> summary = transferSummary(result.objects(), result.bytes(), nanos);
        summary.putAll(extra);
        return finish(summary, Rates.summary(result.objects(), result.bytes(), nanos) + humanSuffix);
    }

    /** Summary fields every transfer shares. */
    static Map<String, Object> transferSummary(long objects, long bytes, long nanos) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("objects", objects);
        fields.put("bytes", bytes);
        fields.put("seconds", Rates.round3(Rates.seconds(nanos)));
        fields.put("mbPerSecond", Rates.round3(Rates.megabytesPerSecond(bytes, nanos)));
        return fields;
    }
}
