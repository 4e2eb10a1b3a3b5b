package io.s3dlio.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps object keys to files under a destination directory, refusing any key that would land outside it.
 * A key is refused when its relative part is empty, absolute, or has an empty, '.' or '..' segment, or
 * holds a NUL; the resolved path must also stay under the directory after normalisation.
 */
final class LocalTargets {
    private LocalTargets() {}

    /** Why {@code relative} cannot be written under {@code directory}, or empty when it can. */
    static Optional<String> refusal(Path directory, String relative) {
        if (relative.isEmpty()) {
            return Optional.of("empty relative name");
        }
        if (relative.startsWith("/")) {
            return Optional.of("absolute path '" + relative + "' would be written outside " + directory);
        }
        if (relative.indexOf('\0') >= 0) {
            return Optional.of("key holds a NUL character");
        }
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.equals("..")) {
                return Optional.of("'" + relative + "' contains '..' and would be written outside " + directory);
            }
            boolean last = i == segments.length - 1;
            if (segment.equals(".") || (segment.isEmpty() && !last)) {
                return Optional.of("'" + relative + "' has an empty or '.' path segment");
            }
        }
        Path resolved = directory.resolve(relative).normalize();
        if (!resolved.startsWith(directory)) {
            return Optional.of("'" + relative + "' would be written outside " + directory);
        }
        return Optional.empty();
    }

    /** The file for {@code relative}, after {@link #refusal} found nothing wrong. */
    static Path resolve(Path directory, String relative) {
        return directory.resolve(relative).normalize();
    }
}
