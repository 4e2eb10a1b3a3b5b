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
 * @param condition a precondition checked atomically with the write (stores with
 *        {@link Capability#CONDITIONAL_WRITE}; the others refuse any but {@link WriteCondition#NONE})
 */
public record WriteOptions(
        Optional<String> contentType,
        Map<String, String> metadata,
        Compression compression,
        OptionalLong partSize,
        OptionalLong expectedSize,
        WriteCondition condition) {

    public static final WriteOptions DEFAULT = new WriteOptions(Optional.empty(), Map.of(), Compression.NONE,
            OptionalLong.empty(), OptionalLong.empty());

    /** Options without a write condition (the form every unconditional caller uses). */
    public WriteOptions(Optional<String> contentType, Map<String, String> metadata, Compression compression,
            OptionalLong partSize, OptionalLong expectedSize) {
        this(contentType, metadata, compression, partSize, expectedSize, WriteCondition.NONE);
    }

    public WriteOptions {
        requireNonNull(contentType, "contentType is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
        requireNonNull(compression, "compression is null");
        requireNonNull(partSize, "partSize is null");
        requireNonNull(expectedSize, "expectedSize is null");
        requireNonNull(condition, "condition is null");
        if (partSize.isPresent() && partSize.getAsLong() <= 0) {
            throw new IllegalArgumentException("partSize must be positive: " + partSize.getAsLong());
        }
        if (expectedSize.isPresent() && expectedSize.getAsLong() < 0) {
            throw new IllegalArgumentException("expectedSize is negative: " + expectedSize.getAsLong());
        }
    }

    public WriteOptions withContentType(String type) {
        return new WriteOptions(Optional.of(type), metadata, compression, partSize, expectedSize, condition);
    }

    public WriteOptions withMetadata(Map<String, String> newMetadata) {
        return new WriteOptions(contentType, newMetadata, compression, partSize, expectedSize, condition);
    }

    public WriteOptions withCompression(Compression newCompression) {
        return new WriteOptions(contentType, metadata, newCompression, partSize, expectedSize, condition);
    }

    public WriteOptions withPartSize(long bytes) {
        return new WriteOptions(contentType, metadata, compression, OptionalLong.of(bytes), expectedSize, condition);
    }

    public WriteOptions withExpectedSize(long bytes) {
        return new WriteOptions(contentType, metadata, compression, partSize, OptionalLong.of(bytes), condition);
    }

    /** These options with {@code bytes} as the expected size, unless the caller already gave one (a put knows it). */
    public WriteOptions withExpectedSizeIfAbsent(long bytes) {
        return expectedSize.isPresent() ? this : withExpectedSize(bytes);
    }

    public WriteOptions withCondition(WriteCondition newCondition) {
        return new WriteOptions(contentType, metadata, compression, partSize, expectedSize, newCondition);
    }
}
