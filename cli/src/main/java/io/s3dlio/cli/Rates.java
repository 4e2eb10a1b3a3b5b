package io.s3dlio.cli;

import java.util.Locale;

/** How sizes and rates read in summaries. MB/s is decimal (10^6 bytes per second), as in dd and fio. */
final class Rates {
    private Rates() {}

    static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double megabytesPerSecond(long bytes, long nanos) {
        return nanos <= 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
    }

    /** "64 objects, 67.1 MB in 0.41 s, 163.2 MB/s" */
    static String summary(long objects, long bytes, long nanos) {
        return String.format(Locale.ROOT, "%d %s, %s in %.2f s, %.1f MB/s", objects, objects == 1 ? "object" : "objects",
                bytes(bytes), seconds(nanos), megabytesPerSecond(bytes, nanos));
    }

    static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
