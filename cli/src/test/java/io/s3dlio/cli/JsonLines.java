package io.s3dlio.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small strict JSON parser for reading the CLI's --json output back in tests. */
final class JsonLines {
    private final String text;
    private int at;

    private JsonLines(String text) {
        this.text = text;
    }

    /** Every non-blank line parsed as one JSON object. */
    static List<Map<String, Object>> parse(String output) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                objects.add(parseObject(line));
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String line) {
        JsonLines parser = new JsonLines(line.strip());
        Object value = parser.value();
        parser.space();
        if (parser.at != parser.text.length() || !(value instanceof Map)) {
            throw new IllegalArgumentException("not one JSON object: " + line);
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        space();
        char c = peek();
        switch (c) {
            case '{' -> {
                at++;
                Map<String, Object> map = new LinkedHashMap<>();
                space();
                if (peek() == '}') {
                    at++;
                    return map;
                }
                while (true) {
                    space();
                    String key = string();
                    space();
                    expect(':');
                    map.put(key, value());
                    space();
                    if (peek() == ',') {
                        at++;
                    } else {
                        expect('}');
                        return map;
                    }
                }
            }
            case '[' -> {
                at++;
                List<Object> list = new ArrayList<>();
                space();
                if (peek() == ']') {
                    at++;
                    return list;
                }
                while (true) {
                    list.add(value());
                    space();
                    if (peek() == ',') {
                        at++;
                    } else {
                        expect(']');
                        return list;
                    }
                }
            }
            case '"' -> {
                return string();
            }
            default -> {
                if (text.startsWith("true", at)) {
                    at += 4;
                    return true;
                }
                if (text.startsWith("false", at)) {
                    at += 5;
                    return false;
                }
                if (text.startsWith("null", at)) {
                    at += 4;
                    return null;
                }
                int start = at;
                while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
                    at++;
                }
                String number = text.substring(start, at);
                if (number.isEmpty()) {
                    throw new IllegalArgumentException("unexpected '" + c + "' at " + start + " in " + text);
                }
                if (number.contains(".") || number.contains("e") || number.contains("E")) {
                    return Double.parseDouble(number);
                }
                return Long.parseLong(number);
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(at++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                char e = text.charAt(at++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> out.append(e);
                }
            } else {
                out.append(c);
            }
        }
    }

    private void space() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private char peek() {
        if (at >= text.length()) {
            throw new IllegalArgumentException("unexpected end of " + text);
        }
        return text.charAt(at);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + text);
        }
        at++;
    }
}
