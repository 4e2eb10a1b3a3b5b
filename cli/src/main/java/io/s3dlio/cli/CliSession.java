package io.s3dlio.cli;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.oplog.LatencyRecorder;
import io.s3dlio.oplog.OpLogOptions;
import io.s3dlio.oplog.OpLogWriter;
import io.s3dlio.oplog.OperationListener;
import io.s3dlio.oplog.RecordingDecorator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one command line runs inside: the environment's registry seen through a recording decorator that feeds
 * the latency percentiles of the summaries and, with {@code --op-log FILE} (or {@code S3DLIO_OP_LOG}), the
 * operation log. The log is closed when the command ends, or from a shutdown hook when the process is
 * interrupted (Ctrl-C), so its file is always complete.
 */
final class CliSession implements AutoCloseable {
    private final CliEnvironment env;
    private final ObjectStores view;
    private final LatencyRecorder latencies;
    private final OpLogWriter opLog;
    private final Thread hook;
    /** Transfer engines of this command line, so an interrupted process cancels them ({@link #cancelAll}). */
    private final Set<TransferEngine> engines = ConcurrentHashMap.newKeySet();
    /** Sessions whose command is running. */
    private static final Set<CliSession> OPEN = ConcurrentHashMap.newKeySet();

    private CliSession(CliEnvironment env, ObjectStores view, LatencyRecorder latencies, OpLogWriter opLog, Thread hook) {
        this.env = env;
        this.view = view;
        this.latencies = latencies;
        this.opLog = opLog;
        this.hook = hook;
    }

    /** Opens the session; {@code opLogFlag} is {@code --op-log} (null when not given; it wins over the variable). */
    static CliSession open(CliEnvironment outer, Path opLogFlag) throws IOException {
        LatencyRecorder latencies = new LatencyRecorder();
        Optional<OpLogOptions> options = opLogFlag != null
                ? Optional.of(OpLogOptions.fromConfig(outer.config(), opLogFlag))
                : OpLogOptions.fromConfig(outer.config());
        OpLogWriter opLog = null;
        Thread hook = null;
        OperationListener listener = latencies;
        if (options.isPresent()) {
            opLog = OpLogWriter.open(options.get());
            OpLogWriter closing = opLog;
            hook = Thread.ofPlatform().name("s3-cli-op-log-close").unstarted(() -> {
                try {
                    closing.close();
                } catch (IOException e) {
                    System.err.println("s3-cli: " + e.getMessage());
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            listener = OperationListener.all(latencies, opLog);
        }
        ObjectStores view = outer.stores().decoratedWith(new RecordingDecorator(listener));
        CliEnvironment inner = new CliEnvironment(view, outer.config(), outer.out(), outer.err(), outer.terminal());
        CliSession session = new CliSession(inner, view, latencies, opLog, hook);
        OPEN.add(session);
        return session;
    }

    void track(TransferEngine engine) {
        engines.add(engine);
    }

    /**
     * For the process's shutdown hook (Ctrl-C, SIGTERM): cancels every transfer still running and waits for
     * it to wind down, so each multipart upload in flight is aborted on the server before the process exits
     * (the JVM halts once its hooks return). An abort that fails is printed by the command's listener.
     */
    static void cancelAll() {
        for (CliSession session : OPEN) {
            for (TransferEngine engine : session.engines) {
                try {
                    engine.close();
                } catch (RuntimeException e) {
                    System.err.println("s3-cli: " + e.getMessage());
                }
            }
        }
    }

    CliEnvironment env() {
        return env;
    }

    LatencyRecorder latencies() {
        return latencies;
    }

    /** Closes the op log (complete, renamed to its final name) and reports waits or drops on stderr. */
    @Override
    public void close() throws IOException {
        OPEN.remove(this);
        engines.clear();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook closes the log.
            }
        }
        view.close();
        if (opLog == null) {
            return;
        }
        opLog.close();
        if (opLog.stats().noteworthy()) {
            env.err().println("s3-cli: op log " + opLog.path() + ": " + opLog.stats());
        }
    }
}
