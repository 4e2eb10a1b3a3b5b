package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;

/** An item left out under {@link ErrorPolicy#SKIP_AND_REPORT}, with why. */
public record SkippedItem(Location location, Exception cause) {
    public SkippedItem {
        requireNonNull(location, "location is null");
        requireNonNull(cause, "cause is null");
    }

    /** The cause's message (which names the URI). */
    public String reason() {
        return String.valueOf(cause.getMessage());
    }
}
