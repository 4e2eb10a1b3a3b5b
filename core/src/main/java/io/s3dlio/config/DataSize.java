package io.s3dlio.config;

import java.util.Locale;

/** Parses and prints byte counts: {@code 8MiB}, {@code 16MB}, {@code 1.5GiB}, {@code 4096}. */
public final class DataSize {
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;

    private DataSize() {}

    /**
     * Parses a size. Binary units (KiB, MiB, GiB, TiB and the short k, m, g, t) are powers of 1024; decimal
     * units (KB, MB, GB, TB) are powers of 1000; a bare number is bytes.
     */
    public static long parseBytes(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        double number = Double.parseDouble(s.substring(0, i));
        String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "", "b" -> 1L;
            case "k", "kib", "ki" -> KIB;
            case "m", "mib", "mi" -> MIB;
            case "g", "gib", "gi" -> GIB;
            case "t", "tib", "ti" -> 1024L * GIB;
            case "kb" -> 1000L;
            case "mb" -> 1000L * 1000;
            case "gb" -> 1000L * 1000 * 1000;
            case "tb" -> 1000L * 1000 * 1000 * 1000;
            default -> throw new IllegalArgumentException("unknown size unit '" + unit + "' in '" + text + "'");
        };
        double bytes = number * multiplier;
        if (bytes > Long.MAX_VALUE || bytes != Math.floor(bytes)) {
            throw new IllegalArgumentException("not a whole number of bytes: '" + text + "'");
        }
        return (long) bytes;
    }

    /** Human-readable binary form, e.g. {@code 16.0 MiB}. */
    public static String format(long bytes) {
        if (bytes < KIB) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
