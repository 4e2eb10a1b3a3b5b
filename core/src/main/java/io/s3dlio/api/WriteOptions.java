package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Options for {@link ObjectStore#put} and {@link ObjectStore#newWriter}.
 *
 * @param contentType MIME type to record (stores with {@link Capability#USER_METADATA})
 * @param metadata user metadata to record (same)
 * @param compression compression applied before storing
 * @param partSize explicit part size for multipart uploads; it always wins over the adaptive policy
 * @param expectedSize the total size when the caller knows it, so a part size can be chosen up front
 */
public record WriteOptions(
        Optional<String> contentType,
        Map<String, String> metadata,
        Compression compression,
        OptionalLong partSize,
        OptionalLong expectedSize) {

    public static final WriteOptions DEFAULT = new WriteOptions(Optional.empty(), Map.of(), Compression.NONE,
            OptionalLong.empty(), OptionalLong.empty());

    public WriteOptions {
        requireNonNull(contentType, "contentType is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
        requireNonNull(compression, "compression is null");
        requireNonNull(partSize, "partSize is null");
        requireNonNull(expectedSize, "expectedSize is null");
        if (partSize.isPresent() && partSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("partSize must be positive: " + partSize.getAsLong());
        }
        if (expectedSize.isPresent() && expectedSize.getAsLong() < 0) {
            throw new IllegalArgumentException("expectedSize is negative: " + expectedSize.getAsLong());
        }
    }

    public WriteOptions withContentType(String type) {
        return new WriteOptions(Optional.of(type), metadata, compression, partSize, expectedSize);
    }

    public WriteOptions withMetadata(Map<String, String> newMetadata) {
        return new WriteOptions(contentType, newMetadata, compression, partSize, expectedSize);
    }

    public WriteOptions withCompression(Compression newCompression) {
        return new WriteOptions(contentType, metadata, newCompression, partSize, expectedSize);
    }

    public WriteOptions withPartSize(long bytes) {
        return new WriteOptions(contentType, metadata, compression, OptionalLong.of(bytes), expectedSize);
    }

    public WriteOptions withExpectedSize(long bytes) {
        return new WriteOptions(contentType, metadata, compression, partSize, OptionalLong.of(bytes));
    }

    /** These options with {@code bytes} as the expected size, unless the caller already gave one (a put knows it). */
    public WriteOptions withExpectedSizeIfAbsent(long bytes) {
        return expectedSize.isPresent() ? this : withExpectedSize(bytes);
    }
}
