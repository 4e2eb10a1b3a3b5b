package io.s3dlio.cli;

import io.s3dlio.api.Location;
import java.nio.file.Files;
import java.nio.file.Path;

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
            return checkKeyLength(Location.parse(argument));
        }
        Location local = Location.ofLocalPath(Path.of(argument));
        return argument.endsWith("/") ? local.asPrefix() : local;
    }

    /** The most bytes (UTF-8) an object key may have on S3, Azure Blob and GCS. */
    static final int MAX_KEY_BYTES = 1024;

    /**
     * {@code location}, or a usage error when it names a key longer than the object stores accept: said here,
     * before any byte moves, instead of as whatever a server answers (or accepts and truncates) part-way.
     * Local paths, mem:// and prefixes of a listing are not limited.
     */
    static Location checkKeyLength(Location location) {
        String scheme = location.scheme();
        if (!(scheme.equals("s3") || scheme.equals("gs") || scheme.equals("gcs") || scheme.equals("az")
                || scheme.equals("https"))) {
            return location;
        }
        int bytes = location.key().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            String shown = location.toString();
            throw new IllegalArgumentException(shown.substring(0, Math.min(shown.length(), 80)) + "...: the key is "
                    + bytes + " bytes in UTF-8; object stores accept at most " + MAX_KEY_BYTES);
        }
        return location;
    }

    /** Like {@link #location} but a local directory becomes a prefix (so {@code ls dir} lists inside it). */
    static Location directoryAware(String argument) {
        Location location = location(argument);
        if (location.isLocal() && location.isObject() && Files.isDirectory(location.localPath())) {
            return location.asPrefix();
        }
        return location;
    }

    /** The container {@code location} is in: its bucket (or account's container) root; a local path is its own directory. */
    static Location container(Location location) {
        return location.isLocal() ? location : location.containerRoot();
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
}
