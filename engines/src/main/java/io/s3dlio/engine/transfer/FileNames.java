package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Where a download writes each object. */
@FunctionalInterface
public interface FileNames {

    /**
     * The file for {@code object}; a key ending with '/' (a directory marker) names a directory to create.
     *
     * @throws RefusedPathException when the object must not be written (its key would escape the directory)
     */
    Path fileFor(Location object) throws RefusedPathException;

    /**
     * Under {@code directory}, keeping the part of each key after {@code keyBase} (a key not starting with it
     * keeps only its last segment). A key whose relative part is empty, absolute, holds a NUL, or has an
     * empty, '.' or '..' segment is refused, as is any path that leaves the directory after normalisation.
     */
    static FileNames under(Path directory, String keyBase) {
        Path root = requireNonNull(directory, "directory is null").toAbsolutePath().normalize();
        requireNonNull(keyBase, "keyBase is null");
        return object -> {
            String key = object.key();
            String relative = key.startsWith(keyBase) ? key.substring(keyBase.length()) : object.name();
            return resolve(root, relative);
        };
    }

    /** {@code relative} ('/'-separated) under {@code directory}, or refused with the reason. */
    static Path resolve(Path directory, String relative) throws RefusedPathException {
        if (relative.isEmpty()) {
            throw new RefusedPathException("empty relative name");
        }
        if (relative.startsWith("/")) {
            throw new RefusedPathException("absolute path '" + relative + "' would be written outside " + directory);
        }
        if (relative.indexOf('\0') >= 0) {
            throw new RefusedPathException("key holds a NUL character");
        }
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals("..")) {
                throw new RefusedPathException("'" + relative + "' contains '..' and would be written outside " + directory);
            }
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || (segment.isEmpty() && !last)) {
                throw new RefusedPathException("'" + relative + "' has an empty or '.' path segment");
            }
        }
        Path resolved = directory.resolve(relative).normalize();
        if (!resolved.startsWith(directory)) {
            throw new RefusedPathException("'" + relative + "' would be written outside " + directory);
        }
        Path file = relative.endsWith("/") ? directory.resolve(relative.substring(0, relative.length() - 1)).normalize()
                : resolved;
        refuseLinksOut(directory, file, relative);
        return file;
    }

    /**
     * The names are checked as text above; a symbolic link already inside the directory ({@code dir/link ->
     * /etc}) would still carry {@code link/passwd} out of it. So the deepest existing directory on the way
     * must really lie inside {@code directory}. (A link as the last segment is replaced by the download's
     * rename, never followed.)
     */
    private static void refuseLinksOut(Path directory, Path file, String relative) throws RefusedPathException {
        Path parent = file.getParent();
        if (parent == null || parent.equals(directory) || !Files.isDirectory(directory)) {
            return;
        }
        Path existing = parent;
        while (existing.startsWith(directory) && !existing.equals(directory)
                && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            Path real = existing.toRealPath();
            Path realRoot = directory.toRealPath();
            if (!real.startsWith(realRoot)) {
                throw new RefusedPathException("'" + relative + "' passes through a symbolic link to " + real
                        + ", outside " + directory);
            }
        } catch (RefusedPathException e) {
            throw e;
        } catch (IOException e) {
            throw new RefusedPathException("'" + relative + "': cannot check " + existing + " (" + e.getMessage() + ")");
        }
    }
}
