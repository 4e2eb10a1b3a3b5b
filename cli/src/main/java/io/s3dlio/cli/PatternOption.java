package io.s3dlio.cli;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Option;

/** {@code -p/--pattern} of ls and delete: only the entries whose full URI a regular expression finds. */
final class PatternOption {
    @Option(names = {"-p", "--pattern"}, paramLabel = "REGEX", description = "Only entries whose full URI matches REGEX (found anywhere in it).")
    String value;

    /** The compiled pattern, or null without {@code -p}. */
    Pattern filter() {
        if (value == null) {
            return null;
        }
        try {
            return Pattern.compile(value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad --pattern '" + value + "': " + e.getDescription());
        }
    }
}
