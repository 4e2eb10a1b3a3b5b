package io.s3dlio.cli;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.PrintStream;

/**
 * Everything a command talks to, injected so that tests (and other modules' tests against fakes) run commands
 * in-process: the store registry, the configuration, the two output streams, and whether stderr is a terminal.
 *
 * @param stores the registry commands open stores from; the caller owns and closes it
 * @param config settings (S3DLIO_CLI_* and whatever the stores read)
 * @param out standard output: data and JSON
 * @param err standard error: summaries, failures, progress, logging
 * @param terminal whether progress bars may be drawn
 */
public record CliEnvironment(ObjectStores stores, ConfigSource config, PrintStream out, PrintStream err, Terminal terminal) {
    public CliEnvironment {
        requireNonNull(stores, "stores is null");
        requireNonNull(config, "config is null");
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(terminal, "terminal is null");
    }

    /** Whether the user watches the output live. */
    public enum Terminal { INTERACTIVE, NOT_INTERACTIVE }
}
