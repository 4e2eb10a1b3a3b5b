package io.s3dlio.cli;

import io.s3dlio.api.ListMode;
import picocli.CommandLine.Option;

/** {@code -r/--recursive} of download, get and ls: a prefix's whole tree instead of its first level. */
final class RecursiveOption {
    @Option(names = {"-r", "--recursive"}, description = "Everything under the prefix, at any depth.")
    boolean value;

    ListMode mode() {
        return listMode(value);
    }

    /** How a command's {@code -r} lists: the whole tree, or one level. */
    static ListMode listMode(boolean recursive) {
        return recursive ? ListMode.RECURSIVE : ListMode.ONE_LEVEL;
    }
}
