package io.s3dlio.cli;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;

/** The process entry point: real streams, the real environment, one registry closed at the end. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        PrintStream out = Stdout.over(new FileOutputStream(FileDescriptor.out));
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        ConfigSource config = ConfigSource.fromEnvironment();
        ObjectStores stores;
        try {
            // The command line's session writes S3DLIO_OP_LOG (closing it on Ctrl-C too); the registry must not.
            stores = ObjectStores.create(config.withOverrides(java.util.Map.of(io.s3dlio.oplog.OpLogOptions.VARIABLE, "")));
        } catch (RuntimeException | java.util.ServiceConfigurationError e) {
            err.println("s3-cli: cannot load the storage backends: " + ExitCodes.describe(e));
            System.exit(ExitCodes.IO_ERROR);
            return;
        }
        // Ctrl-C or SIGTERM: cancel running transfers first (aborting their multipart uploads on the server),
        // then remove the temporary files of downloads cut short.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("s3-cli-cleanup").unstarted(() -> {
            CliSession.cancelAll();
            io.s3dlio.engine.transfer.TransferEngine.deleteTemporaryFiles();
        }));
        int code;
        try {
            code = S3Cli.execute(new CliEnvironment(stores, config, out, err, terminal()), args);
        } finally {
            try {
                stores.close();
            } catch (IOException e) {
                err.println("s3-cli: " + ExitCodes.describe(e));
            }
        }
        out.flush();
        System.exit(code);
    }

    /** Whether a person is watching: a console that (on JDK 22+, which always has one) is a terminal. */
    @SuppressWarnings("SystemConsoleNull") // JDK 21, which the project supports, still returns null
    private static CliEnvironment.Terminal terminal() {
        Console console = System.console();
        if (console == null) {
            return CliEnvironment.Terminal.NOT_INTERACTIVE;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            if (!(Boolean) isTerminal.invoke(console)) {
                return CliEnvironment.Terminal.NOT_INTERACTIVE;
            }
        } catch (NoSuchMethodException e) {
            // JDK 21: System.console() is null unless both streams are a terminal.
        } catch (ReflectiveOperationException e) {
            return CliEnvironment.Terminal.NOT_INTERACTIVE;
        }
        return CliEnvironment.Terminal.INTERACTIVE;
    }
}
