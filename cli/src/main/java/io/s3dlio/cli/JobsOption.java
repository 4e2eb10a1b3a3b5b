package io.s3dlio.cli;

import picocli.CommandLine.Option;

/**
 * {@code -j/--jobs} of the commands that move whole objects (cp, demo, download, get, put), declared once so its
 * help reads the same everywhere. Commands that count something else in flight (files, deletes, a worker's
 * objects) declare their own.
 */
final class JobsOption {
    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Objects in flight (default: the adaptive tuning policy or S3DLIO_JOBS; -v shows it).")
    Integer value;
}
