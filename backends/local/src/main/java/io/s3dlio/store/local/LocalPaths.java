package io.s3dlio.store.local;

import io.s3dlio.api.Location;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How keys of file:// and direct:// locations map to paths, and the names of temporary files.
 *
 * <p>The rule that keeps local stores inside the path they are given: a key is the absolute path, and every
 * segment of it must be a plain name. Segments {@code .} and {@code ..} and empty segments ({@code a//b})
 * are refused, so a key never resolves anywhere but the path it spells, and keys read back from a listing
 * are exactly the keys written. Symbolic links are not followed into directories by listings or
 * deletePrefix, so those never leave the prefix either.
 */
final class LocalPaths {
    /** Marks temporary files; a name holding it after a leading '.' is never an object. */
    static final String TEMP_MARKER = ".s3dlio-tmp-";
    /** Longest file name (in bytes) on Linux file systems. */
    private static final int MAX_NAME_BYTES = 255;
    private static final int RANDOM_HEX_CHARS = 16;

    private LocalPaths() {}

    /** The path of an object location, after the key checks. */
    static Path objectPath(Location location) {
        io.s3dlio.spi.StoreChecks.requireObject(location);
        checkKey(location);
        if (isTempName(location.name())) {
            throw new IllegalArgumentException(location + ": names of the form '." + "<name>" + TEMP_MARKER
                    + "<random>' are reserved for the temporary files of unfinished writes");
        }
        return toPath(location);
    }

    /** The path of a prefix or container location: the key with any trailing '/' removed ("/" for empty). */
    static Path prefixPath(Location location) {
        checkKey(location);
        return toPath(location);
    }

    private static Path toPath(Location location) {
        try {
            return Path.of("/" + location.key());
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(location + " is not a valid local path: " + e.getMessage(), e);
        }
    }

    /** Refuses keys with '.', '..' or empty segments (a trailing '/' is allowed: it marks a prefix). */
    static void checkKey(Location location) {
        if (!location.isLocal()) {
            throw new IllegalArgumentException(location + " is not a file:// or direct:// location");
        }
        String key = location.key();
        int end = key.endsWith("/") ? key.length() - 1 : key.length();
        int start = 0;
        while (start <= end && end > 0) {
            int slash = key.indexOf('/', start);
            int segmentEnd = slash < 0 || slash > end ? end : slash;
            String segment = key.substring(start, segmentEnd);
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(location + ": key segment '" + segment + "' is not allowed; local"
                        + " keys must be plain absolute paths without '.', '..' or empty segments, so a store never"
                        + " touches anything outside the path it is given");
            }
            start = segmentEnd + 1;
        }
        if (key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(location + ": key contains a NUL character");
        }
    }

    /** True for names of temporary files: {@code .<name>.s3dlio-tmp-<random>}. */
    static boolean isTempName(String fileName) {
        return fileName.startsWith(".") && fileName.indexOf(TEMP_MARKER, 1) > 0;
    }

    /** A fresh temporary path next to {@code target}, hidden, and short enough for any name length. */
    static Path tempPathFor(Path target) {
        String name = target.getFileName().toString();
        String random = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        int room = MAX_NAME_BYTES - 1 - TEMP_MARKER.length() - RANDOM_HEX_CHARS;
        String kept = truncateUtf8(name, Math.max(room, 1));
        return target.resolveSibling("." + kept + TEMP_MARKER + random);
    }

    /**
     * The hidden lock file that serialises conditional writes to {@code target}: a temporary-file name (so
     * listings skip it) that stays put, because deleting a lock file other processes may be waiting on breaks
     * the lock.
     */
    static Path lockPathFor(Path target) {
        String name = target.getFileName().toString();
        String suffix = "lock";
        int room = MAX_NAME_BYTES - 1 - TEMP_MARKER.length() - suffix.length();
        return target.resolveSibling("." + truncateUtf8(name, Math.max(room, 1)) + TEMP_MARKER + suffix);
    }

    /** The longest prefix of {@code text} whose UTF-8 form fits in {@code maxBytes}, not splitting a character. */
    private static String truncateUtf8(String text, int maxBytes) {
        if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        int bytes = 0;
        int i = 0;
        while (i < text.length()) {
            int codePoint = text.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return text.substring(0, i);
    }

    /** The key of a path below the root: the absolute path without its leading '/'. */
    static String keyOf(Path path) {
        String text = path.toString();
        return text.startsWith("/") ? text.substring(1) : text;
    }
}
