package io.s3dlio.examples;

import io.s3dlio.api.Location;
import java.nio.file.Path;

/** The examples' one argument: a URI ({@code s3://bucket/prefix/}) or a local directory (then {@code file://}). */
final class Prefixes {
    private Prefixes() {}

    static Location fromArgument(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: <prefix URI or local directory>");
        }
        String argument = args[0];
        if (argument.contains("://")) {
            return Location.parse(argument).asPrefix();
        }
        return Location.ofLocalPath(Path.of(argument).toAbsolutePath()).asPrefix();
    }

    static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("example check failed: " + what);
        }
    }
}
