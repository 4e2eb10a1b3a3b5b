package io.s3dlio.spi;

import java.util.OptionalLong;

/** The HTTP {@code Content-Range} header, as every HTTP backend reads it. */
public final class ContentRange {
    private ContentRange() {}

    /**
     * The object's total size from {@code bytes first-last/total} or {@code bytes *}{@code /total} (a 416
     * answer); empty when the header is absent, malformed, or says the total is unknown ({@code /*}).
     */
    public static OptionalLong totalSize(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        int slash = header.lastIndexOf('/');
        if (slash < 0) {
            return OptionalLong.empty();
        }
        String total = header.substring(slash + 1).trim();
        if (total.isEmpty() || total.charAt(0) == '*') {
            return OptionalLong.empty();
        }
        try {
            long size = Long.parseLong(total);
            return size < 0 ? OptionalLong.empty() : OptionalLong.of(size);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The first byte of {@code bytes first-last/total}; empty when the header is absent or malformed. */
    public static OptionalLong firstByte(String header) {
        if (header == null) {
            return OptionalLong.empty();
        }
        String text = header.trim();
        if (!text.startsWith("bytes ")) {
            return OptionalLong.empty();
        }
        int dash = text.indexOf('-');
        if (dash < 0) {
            return OptionalLong.empty();
        }
        try {
            long first = Long.parseLong(text.substring("bytes ".length(), dash).trim());
            return first < 0 ? OptionalLong.empty() : OptionalLong.of(first);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
