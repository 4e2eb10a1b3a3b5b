package io.s3dlio.engine.upload;

import static java.util.Objects.requireNonNull;

/**
 * How one upload is cut and driven: the size of each part and how many parts upload at once. Every backend's
 * writer gets it from one call, {@link io.s3dlio.engine.tuning.UploadPolicy#plan}.
 *
 * @param sizing the size of each part
 * @param partsInFlight the most parts uploading at once (1 for services that take parts strictly in order)
 */
public record UploadPlan(PartSizing sizing, int partsInFlight) {
    public UploadPlan {
        requireNonNull(sizing, "sizing is null");
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("partsInFlight must be at least 1: " + partsInFlight);
        }
    }

    /** The size of the first part: an object no larger than this is sent in one request. */
    public long firstPartSize() {
        return sizing.partSize(1);
    }
}
