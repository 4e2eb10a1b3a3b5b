package io.s3dlio.cli;

import picocli.CommandLine.Option;

/** {@code --dry-run} of the commands that delete (delete, checkpoint prune): say what would go, delete nothing. */
final class DryRunOption {
    @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
    boolean value;
}
