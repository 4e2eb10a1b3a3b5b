package io.s3dlio.text;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Enum constants as text (flags, manifests, settings), read and written one way everywhere: a constant's
 * text is its name in lower case ({@code round_robin}); parsing takes that name in any case, with surrounding
 * spaces and with {@code -} for {@code _}, or an alias, and refuses anything else with an error that names the
 * text and every accepted name.
 */
public final class EnumNames {
    private EnumNames() {
    }

    /** {@code constant}'s text: its name in lower case. */
    public static String name(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} that {@code text} names.
     *
     * @param what what the text is, for the error ({@code "shard layout"}, {@code "--workload"})
     * @throws IllegalArgumentException naming {@code what}, the text and the accepted names
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String text) {
        return parse(type, what, text, Map.of());
    }

    /**
     * The constant of {@code type} that {@code text} names, or that {@code aliases} maps it to (keys in lower
     * case, as {@code "h5"}); aliases are accepted but not listed in the error.
     *
     * @throws IllegalArgumentException naming {@code what}, the text and the accepted names
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String what, String text, Map<String, E> aliases) {
        requireNonNull(text, "text is null");
        String key = text.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        E alias = aliases.get(key);
        if (alias != null) {
            return alias;
        }
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (name(constant).equals(key)) {
                return constant;
            }
        }
        List<String> names = Arrays.stream(constants).map(EnumNames::name).toList();
        String expected = names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
        throw new IllegalArgumentException("unknown " + what + " '" + text + "'; expected " + expected);
    }
}
