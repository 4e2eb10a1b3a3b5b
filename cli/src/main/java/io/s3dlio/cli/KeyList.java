package io.s3dlio.cli;

import io.s3dlio.api.Location;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --keylist} file as get and mp-get read it: one object per line, a URI or a key relative to the
 * PREFIX argument; blank lines and lines starting with '#' are skipped.
 */
final class KeyList {
    private KeyList() {}

    /** A line that names an object: its number in the file (from 1) and its text, stripped. */
    record Entry(int number, String text) {}

    static List<Entry> read(Path file) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    entries.add(new Entry(number, text));
                }
            }
        }
        return entries;
    }

    /** The object a line names: its URI, or its key under {@code base} (a prefix; null when no PREFIX was given). */
    static Location resolve(String text, Location base) {
        if (text.contains("://")) {
            return Location.parse(text);
        }
        if (base == null) {
            throw new IllegalArgumentException("'" + text + "' is a bare key and no PREFIX was given");
        }
        return base.withKey(base.key() + text);
    }
}
