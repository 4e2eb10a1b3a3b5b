package io.s3dlio.config;

import static java.util.Objects.requireNonNull;

import io.s3dlio.build.SuppressForbidden;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The one configuration mapper's input: named string settings with a fixed precedence,
 * <b>explicit overrides (command-line flags) &gt; environment variables &gt; defaults</b> (defaults live in
 * each typed config record). This is the only class in the project that reads the process environment;
 * everything else receives a {@code ConfigSource} and turns it into a typed, validated record, so tests pass
 * explicit maps instead of mutating the environment.
 *
 * <p>Typed getters reject malformed values with a message naming the variable and the value.
 */
public final class ConfigSource {
    private final Map<String, String> environment;
    private final Map<String, String> overrides;

    private ConfigSource(Map<String, String> environment, Map<String, String> overrides) {
        this.environment = Map.copyOf(environment);
        this.overrides = Map.copyOf(overrides);
    }

    /** The process environment (the only {@code System.getenv} call in the project). */
    @SuppressForbidden(reason = "the one configuration mapper: every other class receives a ConfigSource")
    public static ConfigSource fromEnvironment() {
        return new ConfigSource(System.getenv(), Map.of());
    }

    /** An explicit set of variables, standing in for the environment (tests, embedding). */
    public static ConfigSource of(Map<String, String> variables) {
        return new ConfigSource(requireNonNull(variables, "variables is null"), Map.of());
    }

    public static ConfigSource empty() {
        return of(Map.of());
    }

    /** A source where {@code values} win over everything already here (command-line flags). */
    public ConfigSource withOverrides(Map<String, String> values) {
        Map<String, String> merged = new HashMap<>(overrides);
        merged.putAll(requireNonNull(values, "values is null"));
        return new ConfigSource(environment, merged);
    }

    /** A copy whose environment also holds {@code values} (they lose to overrides). */
    public ConfigSource withEnvironment(Map<String, String> values) {
        Map<String, String> merged = new HashMap<>(environment);
        merged.putAll(requireNonNull(values, "values is null"));
        return new ConfigSource(merged, overrides);
    }

    /** The raw value, trimmed; blank counts as unset. */
    public Optional<String> get(String name) {
        String value = overrides.get(name);
        if (value == null) {
            value = environment.get(name);
        }
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(value.trim());
    }

    /** The first of {@code names} that is set. */
    public Optional<String> first(String... names) {
        for (String name : names) {
            Optional<String> value = get(name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }

    public OptionalLong longValue(String name) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.get()));
        } catch (NumberFormatException e) {
            throw bad(name, value.get(), "a whole number");
        }
    }

    public OptionalInt intValue(String name) {
        OptionalLong value = longValue(name);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        if (value.getAsLong() > Integer.MAX_VALUE || value.getAsLong() < Integer.MIN_VALUE) {
            throw bad(name, Long.toString(value.getAsLong()), "a number that fits in 32 bits");
        }
        return OptionalInt.of((int) value.getAsLong());
    }

    /** A positive decimal number, e.g. {@code 2.5}. */
    public Optional<Double> doubleValue(String name) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            double parsed = Double.parseDouble(value.get());
            if (!Double.isFinite(parsed)) {
                throw bad(name, value.get(), "a finite number");
            }
            return Optional.of(parsed);
        } catch (NumberFormatException e) {
            throw bad(name, value.get(), "a number");
        }
    }

    /** true/false, 1/0, yes/no, on/off. */
    public Optional<Boolean> booleanValue(String name) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Optional.of(true);
            case "false", "0", "no", "off" -> Optional.of(false);
            default -> throw bad(name, value.get(), "true or false");
        };
    }

    /** A byte count: a plain number of bytes or a number with a unit (KiB, MiB, GiB, KB, MB, GB, k, m, g). */
    public OptionalLong dataSize(String name) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(DataSize.parseBytes(value.get()));
        } catch (IllegalArgumentException e) {
            throw bad(name, value.get(), "a size such as 8388608, 8MiB or 16MB");
        }
    }

    /** A duration in seconds (decimals allowed) or with a unit: 250ms, 30s, 5m. */
    public Optional<Duration> duration(String name) {
        Optional<String> value = get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return Optional.of(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim())));
            }
            if (text.endsWith("m")) {
                return Optional.of(Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim())));
            }
            if (text.endsWith("s")) {
                text = text.substring(0, text.length() - 1).trim();
            }
            return Optional.of(Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9)));
        } catch (NumberFormatException | ArithmeticException e) {
            throw bad(name, value.get(), "a duration such as 30, 30s, 250ms or 5m");
        }
    }

    private static IllegalArgumentException bad(String name, String value, String expected) {
        return new IllegalArgumentException(name + "='" + value + "' is not valid: expected " + expected);
    }
}
