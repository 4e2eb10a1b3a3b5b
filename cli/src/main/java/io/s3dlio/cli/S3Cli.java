package io.s3dlio.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code s3-cli} root command. {@link #execute} runs one command line against an injected
 * {@link CliEnvironment} and returns the exit code, so tests run commands in-process against a shared
 * store registry; {@link Main} is the thin process entry point around it.
 */
@Command(name = "s3-cli",
        mixinStandardHelpOptions = true,
        versionProvider = S3Cli.Version.class,
        description = "Fast object-storage I/O on s3://, az://, gs://, file://, direct:// and mem:// URIs.",
        synopsisSubcommandLabel = "COMMAND",
        // subcommands: SUBCOMMANDS, added by newCommandLine (only the one a command line names, when it can)
        footer = {"",
            "Locations: s3://bucket/key  az://account/container/key  gs://bucket/key",
            "           file:///path  direct:///path  mem://bucket/key",
            "           or a local path (made absolute, then file://)",
            "",
            "With --json every command writes one JSON object per line on stdout and ends with a \"summary\" line; "
                + "errors end with an \"error\" line."})
public final class S3Cli implements Callable<Integer> {
    private static final Logger PROJECT_LOG = Logger.getLogger("io.s3dlio");

    /** The subcommands, in the order the help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(
            DemoCommand.class, LsCommand.class, StatCommand.class, GetCommand.class, PutCommand.class,
            UploadCommand.class, DownloadCommand.class, CpCommand.class, DeleteCommand.class,
            ListBucketsCommand.class, CreateBucketCommand.class, DeleteBucketCommand.class,
            DatagenCommand.class, TfRecordIndexCommand.class,
            MpGetCommand.class,
            CheckpointCommand.class,
            ReplayCommand.class, OplogStatsCommand.class,
            CompletionCommand.class, LoadCommand.class, CommandLine.HelpCommand.class);
    /** The root's options that take their value in the next argument (kept equal to the model by a test). */
    static final Set<String> ROOT_OPTIONS_WITH_VALUE = Set.of("--endpoint-url", "--region", "--ca-bundle", "--profile",
            "--op-log");
    /** The root's options without a value that may come before a subcommand run on its own model. */
    static final Set<String> ROOT_FLAGS = Set.of("-v", "--verbose", "--json");

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log to stderr: -v for what the command decides (jobs, server-side copy), -vv for everything, with stack traces.")
    boolean[] verbose = new boolean[0];

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Machine-readable output: one JSON object per line on stdout.")
    boolean json;

    @picocli.CommandLine.Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--op-log", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Record every storage operation to FILE (warp's .csv.zst format; see oplog-stats, replay).")
    java.nio.file.Path opLog;

    @Spec
    CommandSpec spec;

    private final CliEnvironment env;
    private CliSession session;

    S3Cli(CliEnvironment env) {
        this.env = requireNonNull(env, "env is null");
    }

    /** The environment, or with connection flags one whose registry and config they override. */
    CliEnvironment env() {
        return session != null ? session.env() : connection.environment(env);
    }

    /** Latencies of the storage operations of this command line (empty before it runs). */
    io.s3dlio.oplog.LatencyRecorder latencies() {
        return session != null ? session.latencies() : new io.s3dlio.oplog.LatencyRecorder();
    }

    boolean json() {
        return json;
    }

    /** {@code engine}, cancelled (its uploads aborted) if the process is interrupted while the command runs. */
    io.s3dlio.engine.transfer.TransferEngine track(io.s3dlio.engine.transfer.TransferEngine engine) {
        if (session != null) {
            session.track(engine);
        }
        return engine;
    }

    int verbosity() {
        return verbose.length;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Runs one command line and returns its exit code; never calls {@code System.exit}. */
    public static int execute(CliEnvironment env, String... args) {
        S3Cli root = new S3Cli(env);
        CommandLine commandLine = newCommandLine(root, soleSubcommand(args));
        commandLine.setOut(new PrintWriter(new OutputStreamWriter(env.out(), StandardCharsets.UTF_8), true));
        commandLine.setErr(new PrintWriter(new OutputStreamWriter(env.err(), StandardCharsets.UTF_8), true));
        commandLine.setExecutionStrategy(parseResult -> {
            LoggingScope logging = LoggingScope.open(root.verbosity(), env);
            try (CliSession opened = openSession(root, parseResult)) {
                root.session = opened;
                return new CommandLine.RunLast().execute(parseResult);
            } catch (IOException e) {
                throw new CommandLine.ExecutionException(parseResult.asCommandLineList().getLast(), e.getMessage(), e);
            } finally {
                root.session = null;
                logging.close();
            }
        });
        commandLine.setParameterExceptionHandler((e, args1) -> {
            CommandLine failed = e.getCommandLine();
            env.err().println("s3-cli: " + e.getMessage());
            env.err().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help'.");
            env.err().flush();
            return ExitCodes.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            Stdout.StdoutException stdout = stdoutFailure(e);
            if (stdout != null) {
                return stdoutFailed(env, failed.getCommandSpec().qualifiedName(), stdout);
            }
            int code = ExitCodes.of(e);
            String message = Lines.escape(withSubject(failed, code, ExitCodes.describe(e)));
            env.err().println(failed.getCommandSpec().qualifiedName() + ": " + message);
            if (root.verbosity() > 0) {
                e.printStackTrace(env.err());
            }
            if (root.json) {
                env.out().println(Json.object("error").put("command", failed.getCommandName())
                        .put("exitCode", code).put("message", message));
            }
            env.out().flush();
            env.err().flush();
            return code;
        });
        int code = commandLine.execute(args);
        code = root.connection.close(code, env);
        try {
            Stdout.flushAndCheck(env.out());
        } catch (Stdout.StdoutException e) {
            // A write that failed unnoticed (PrintStream swallows errors) still fails the command.
            if (code == ExitCodes.OK) { // otherwise already reported (the command failed on it, or on something else)
                code = stdoutFailed(env, "s3-cli", e);
            }
        }
        env.err().flush();
        return code;
    }

    /**
     * The message, led by the URI the command was given when it does not name it already: a connection reset
     * or a full disk says nothing about which object it hit.
     */
    private static String withSubject(CommandLine failed, int code, String message) {
        if (code == ExitCodes.USAGE) {
            return message;
        }
        java.util.List<picocli.CommandLine.Model.PositionalParamSpec> positionals =
                failed.getParseResult() == null ? java.util.List.of() : failed.getParseResult().matchedPositionals();
        if (positionals.isEmpty() || !(positionals.getFirst().getValue() instanceof String subject) || subject.isEmpty()) {
            return message;
        }
        String parsed;
        try {
            parsed = Targets.location(subject).toString();
        } catch (RuntimeException e) {
            parsed = subject;
        }
        return message.contains(subject) || message.contains(parsed) ? message : subject + ": " + message;
    }

    private static Stdout.StdoutException stdoutFailure(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof Stdout.StdoutException stdout) {
                return stdout;
            }
        }
        return null;
    }

    /**
     * A failed write to stdout: exit 5 with one line, except when the reader went away ({@code | head}),
     * which ends the command quietly with 0 (README, "Exit codes").
     */
    private static int stdoutFailed(CliEnvironment env, String command, Stdout.StdoutException failure) {
        if (failure.readerGone()) {
            return ExitCodes.OK;
        }
        env.err().println(command + ": " + failure.getMessage());
        env.err().flush();
        return ExitCodes.IO_ERROR;
    }

    private static CliSession openSession(S3Cli root, CommandLine.ParseResult parseResult) throws IOException {
        try {
            return CliSession.open(root.connection.environment(root.env), root.opLog);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(parseResult.asCommandLineList().getLast(), e.getMessage(), e, null, null);
        }
    }

    /** The configured picocli model with every subcommand (also used for shell completion). */
    static CommandLine newCommandLine(S3Cli root) {
        return newCommandLine(root, null);
    }

    /**
     * The configured picocli model; with {@code only}, of the root and that one subcommand. picocli builds a
     * subcommand's model by reflection over its annotations (in classes the AOT cache cannot hold: picocli's
     * are Java 5 class files), and building all 21 was about half of a {@code stat}'s time after main().
     */
    static CommandLine newCommandLine(S3Cli root, Class<?> only) {
        CommandLine commandLine = new CommandLine(root);
        for (Class<?> subcommand : SUBCOMMANDS) {
            if (only == null || subcommand == only) {
                commandLine.addSubcommand(subcommand);
            }
        }
        Map<String, String> codes = new LinkedHashMap<>();
        for (String line : ExitCodes.HELP_LIST) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(codes);
        }
        return commandLine;
    }

    /**
     * The subcommand {@code args} run, when the model of that one alone parses them exactly as the whole model
     * would: only root options before it that this class knows ({@link #ROOT_FLAGS}, {@link
     * #ROOT_OPTIONS_WITH_VALUE}), and not {@code help} or {@code completion}, which read the whole model. Else
     * null: the root's help and version, unknown options (whose error suggests names), argument files.
     */
    static Class<?> soleSubcommand(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (ROOT_OPTIONS_WITH_VALUE.contains(arg)) {
                i++; // its value, whatever it looks like
            } else if (arg.startsWith("-")) {
                int equals = arg.indexOf('=');
                boolean known = ROOT_FLAGS.contains(arg) || arg.replace("v", "").equals("-")
                        || (equals > 0 && ROOT_OPTIONS_WITH_VALUE.contains(arg.substring(0, equals)));
                if (!known) {
                    return null;
                }
            } else {
                for (Class<?> subcommand : SUBCOMMANDS) {
                    Command command = subcommand.getAnnotation(Command.class);
                    if (command.name().equals(arg) || List.of(command.aliases()).contains(arg)) {
                        return subcommand == CompletionCommand.class || subcommand == CommandLine.HelpCommand.class
                                ? null : subcommand;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** Routes the project's java.util.logging output to the command's stderr while a command runs. */
    private static final class LoggingScope implements AutoCloseable {
        private final Handler handler;
        private final Level previousLevel;
        private final boolean previousUseParent;
        private final Level previousRootLevel;
        /** Under -vv: the root logger's own handlers, silenced while ours (which redacts) writes instead. */
        private final Map<Handler, Level> mutedRootHandlers = new LinkedHashMap<>();
        private final Map<Logger, Level> mutedLoggers = new LinkedHashMap<>();

        private LoggingScope(Handler handler, Level previousLevel, boolean previousUseParent, Level previousRootLevel) {
            this.handler = handler;
            this.previousLevel = previousLevel;
            this.previousUseParent = previousUseParent;
            this.previousRootLevel = previousRootLevel;
        }

        /**
         * HTTP clients' wire loggers: they dump every body byte (and every header, signatures included) at
         * debug level. Headers still reach -vv through the clients' header loggers, redacted.
         */
        private static final java.util.List<String> WIRE_LOGGERS = java.util.List.of(
                "org.apache.hc.client5.http.wire", "org.apache.http.wire", "io.netty.handler.logging",
                "reactor.netty.http.client.HttpClient");

        static LoggingScope open(int verbosity, CliEnvironment env) {
            Logger root = Logger.getLogger("");
            Level originalRootLevel = root.getLevel();
            if (verbosity < 2) {
                // Below -vv, library chatter (e.g. the Azure transport's warning that the JDK sets Content-Length
                // itself) stays out of the output; the command reports every real failure itself.
                LoggingScope quiet = new LoggingScope(null, PROJECT_LOG.getLevel(), PROJECT_LOG.getUseParentHandlers(),
                        originalRootLevel);
                // OFF, not SEVERE: the Azure SDK logs each exception it throws at ERROR with its stack trace
                // (64 lines from one failed load), before the command reports the same failure in one line.
                root.setLevel(Level.OFF);
                if (verbosity == 0) {
                    return quiet;
                }
            }
            Handler handler = new StreamHandler(env.err(), new OneLine()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            Level level = verbosity == 1 ? Level.FINE : Level.ALL;
            handler.setLevel(level);
            LoggingScope scope = new LoggingScope(handler, PROJECT_LOG.getLevel(), PROJECT_LOG.getUseParentHandlers(),
                    originalRootLevel);
            PROJECT_LOG.setLevel(level);
            PROJECT_LOG.setUseParentHandlers(false);
            PROJECT_LOG.addHandler(handler);
            if (verbosity > 1) {
                // -vv: libraries too (HTTP clients, SDKs), through the root logger, into the same redacting
                // handler; the root's own console handler would print the headers as they are.
                root.setLevel(Level.FINE);
                for (Handler existing : root.getHandlers()) {
                    scope.mutedRootHandlers.put(existing, existing.getLevel());
                    existing.setLevel(Level.OFF);
                }
                root.addHandler(handler);
                for (String name : WIRE_LOGGERS) {
                    Logger wire = Logger.getLogger(name);
                    scope.mutedLoggers.put(wire, wire.getLevel());
                    wire.setLevel(Level.OFF);
                }
            }
            return scope;
        }

        @Override
        public void close() {
            Logger.getLogger("").setLevel(previousRootLevel);
            if (handler == null) {
                return;
            }
            handler.flush();
            Logger.getLogger("").removeHandler(handler);
            mutedRootHandlers.forEach(Handler::setLevel);
            mutedLoggers.forEach(Logger::setLevel);
            PROJECT_LOG.removeHandler(handler);
            PROJECT_LOG.setLevel(previousLevel);
            PROJECT_LOG.setUseParentHandlers(previousUseParent);
            Logger.getLogger("").setLevel(previousRootLevel);
        }
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder("[").append(record.getLevel().getName().toLowerCase(java.util.Locale.ROOT))
                    .append("] ").append(record.getLoggerName()).append(": ").append(formatMessage(record))
                    .append(System.lineSeparator());
            if (record.getThrown() != null && record.getLevel().intValue() < Level.INFO.intValue()) {
                java.io.StringWriter trace = new java.io.StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return Redaction.apply(line.toString());
        }
    }

    /** The version from the build (filtered into version.properties). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = S3Cli.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"s3-cli " + properties.getProperty("version", "unknown")
                    + " (Java " + Runtime.version() + ", " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch") + ")"};
        }
    }
}
