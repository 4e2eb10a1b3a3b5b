package io.s3dlio.text;

import java.util.Locale;

/**
 * JSON string literals, written one way for every JSON the project emits (CLI JSON lines, load reports,
 * checkpoint manifests), so a key with a quote or a control character is escaped the same everywhere.
 */
public final class JsonStrings {
    private JsonStrings() {
    }

    /** {@code text} as a JSON string literal, quotes included. */
    public static String quote(String text) {
        return appendQuoted(new StringBuilder(text.length() + 2), text).toString();
    }

    /** Appends {@code text} to {@code out} as a JSON string literal, quotes included; returns {@code out}. */
    public static StringBuilder appendQuoted(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
