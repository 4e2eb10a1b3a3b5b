package io.s3dlio.cli;

import io.s3dlio.api.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Turns command-line arguments into locations: URIs are parsed once; bare local paths become file:// URIs. */
final class Targets {
    private Targets() {}

    /**
     * A URI ({@code scheme://...}) or a local path, made absolute against the working directory. A trailing
     * '/' (or an existing local directory) makes it a prefix.
     */
    static Location location(String argument) {
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("empty location; expected a URI such as s3://bucket/key or a local path");
        }
        if (argument.contains("://")) {
            return Location.parse(argument);
        }
        Location local = Location.ofLocalPath(Path.of(argument));
        return argument.endsWith("/") ? local.asPrefix() : local;
    }

    /** Like {@link #location} but a local directory becomes a prefix (so {@code ls dir} lists inside it). */
    static Location directoryAware(String argument) {
        Location location = location(argument);
        if (location.isLocal() && location.isObject() && Files.isDirectory(location.localPath())) {
            return location.asPrefix();
        }
        return location;
    }

    /** A local directory given as a path or a file:// / direct:// URI. */
    static Path localDirectory(String argument) {
        if (argument.contains("://")) {
            Location location = Location.parse(argument);
            if (!location.isLocal()) {
                throw new IllegalArgumentException("'" + argument + "' is not a local directory; give a path or a file:// URI");
            }
            return location.localPath();
        }
        return Path.of(argument).toAbsolutePath().normalize();
    }

    /**
     * The part of {@code key} below {@code base}: for a listing of prefix {@code p}, the base is everything
     * of {@code p} up to and including its last '/', so {@code data} keeps the {@code data/} segment and
     * {@code data/} does not (the rule of {@code cp -r dir} vs {@code cp -r dir/}).
     */
    static String baseOf(Location prefix) {
        String key = prefix.key();
        return key.substring(0, key.lastIndexOf('/') + 1);
    }

    static Pattern regex(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad --pattern '" + text + "': " + e.getDescription());
        }
    }
}
