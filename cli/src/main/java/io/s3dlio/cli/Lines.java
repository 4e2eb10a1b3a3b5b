package io.s3dlio.cli;

import java.util.Locale;

/**
 * Text for line-oriented output. An object key may hold any character, a newline included; printed raw, one
 * key would read as two URIs to {@code xargs} or {@code while read}. Control characters are shown as
 * {@code \xHH} (line and paragraph separators as {@code \u2028}/{@code \u2029}); everything else, a backslash
 * included, is printed as it is. {@code --json} carries the exact keys.
 */
final class Lines {
    private Lines() {}

    /** {@code text} with its control characters escaped; the same string when it has none. */
    static String escape(String text) {
        int first = firstControl(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                out.append(c <= 0xff ? String.format(Locale.ROOT, "\\x%02x", (int) c)
                        : String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int firstControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
