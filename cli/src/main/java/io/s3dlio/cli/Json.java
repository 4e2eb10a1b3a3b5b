package io.s3dlio.cli;

import io.s3dlio.text.JsonStrings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A tiny JSON writer for the {@code --json} output: objects keep insertion order; values may be strings,
 * numbers, booleans, null, empty Optionals (written as null), lists and nested objects. Output is one line.
 */
final class Json {
    private final Map<String, Object> fields = new LinkedHashMap<>();

    static Json object(String type) {
        return new Json().put("type", type);
    }

    Json put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    Map<String, Object> fields() {
        return fields;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(128);
        write(out, fields);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case Json json -> write(out, json.fields);
            case String s -> string(out, s);
            case Boolean b -> out.append(b);
            case Double d -> out.append(Double.isFinite(d) ? String.valueOf(d) : "null");
            case Float f -> out.append(Float.isFinite(f) ? String.valueOf(f) : "null");
            case Number n -> out.append(n);
            case Optional<?> o -> write(out, o.orElse(null));
            case OptionalLong o -> write(out, o.isPresent() ? (Object) o.getAsLong() : null);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, String.valueOf(entry.getKey()));
                    out.append(':');
                    write(out, entry.getValue());
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, list.get(i));
                }
                out.append(']');
            }
            default -> string(out, value.toString());
        }
    }

    private static void string(StringBuilder out, String s) {
        JsonStrings.appendQuoted(out, s);
    }
}
