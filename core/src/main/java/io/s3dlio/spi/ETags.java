package io.s3dlio.spi;

import java.util.Optional;

/** ETags as services send them and as {@link io.s3dlio.api.ObjectInfo} and results carry them. */
public final class ETags {
    private ETags() {}

    /**
     * The ETag without the surrounding double quotes HTTP puts around it ({@code "abc"} becomes {@code abc});
     * empty for a missing or empty one. Every store reports ETags in this form, so a stat and a write of
     * one object compare equal.
     */
    public static Optional<String> unquote(String etag) {
        if (etag == null || etag.isEmpty()) {
            return Optional.empty();
        }
        boolean quoted = etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"");
        return Optional.of(quoted ? etag.substring(1, etag.length() - 1) : etag);
    }
}
