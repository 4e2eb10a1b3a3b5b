package io.s3dlio.engine.upload;

import java.util.OptionalLong;

/**
 * The size of each part of one upload. When the total size is known the parts are equal (the last may be
 * smaller); when it is not, the part size grows as the upload goes, so a stream can never run into the
 * service's part-count limit.
 */
public interface PartSizing {

    /** Size of part {@code partNumber} (1-based). */
    long partSize(int partNumber);

    /**
     * Equal parts of {@code preferred} bytes, raised when needed so that {@code totalSize} fits in the
     * part-count limit, and kept inside the limits.
     */
    static PartSizing forKnownSize(long preferred, long totalSize, UploadLimits limits) {
        long needed = (totalSize + limits.maxParts() - 1) / limits.maxParts();
        long size = limits.clamp(Math.max(preferred, needed));
        return new Fixed(size);
    }

    /**
     * Parts start at {@code initial} bytes and double every {@code maxParts / 16} parts (capped at the
     * maximum part size). With S3's limits and 8 MiB to start, the reachable size exceeds S3's 5 TiB object
     * limit long before part 10,000. A service without a part-count limit (GCS) keeps fixed parts.
     */
    static PartSizing growing(long initial, UploadLimits limits) {
        if (limits.maxParts() == Integer.MAX_VALUE) {
            return new Fixed(limits.clamp(initial)); // no part-count limit to outgrow
        }
        return new Growing(limits.clamp(initial), Math.max(1, limits.maxParts() / 16), limits);
    }

    /** The sizing for an upload whose total may or may not be known. */
    static PartSizing of(long preferred, OptionalLong totalSize, UploadLimits limits) {
        return totalSize.isPresent() ? forKnownSize(preferred, totalSize.getAsLong(), limits) : growing(preferred, limits);
    }

    /** Equal parts. */
    record Fixed(long size) implements PartSizing {
        public Fixed {
            if (size < 1) {
                throw new IllegalArgumentException("part size must be positive: " + size);
            }
        }

        @Override
        public long partSize(int partNumber) {
            return size;
        }
    }

    /** Doubling parts for streams of unknown length. */
    record Growing(long initial, int partsPerStep, UploadLimits limits) implements PartSizing {
        @Override
        public long partSize(int partNumber) {
            int doublings = Math.min(40, (partNumber - 1) / partsPerStep);
            long size = initial;
            for (int i = 0; i < doublings && size < limits.maxPartSize(); i++) {
                size *= 2;
            }
            return limits.clamp(size);
        }
    }
}
