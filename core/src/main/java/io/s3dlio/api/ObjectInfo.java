package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ObjectStore#stat} knows about one object. Fields a backend cannot supply are empty, never
 * invented.
 *
 * @param location the object
 * @param size size in bytes (of the stored bytes: the compressed size for an object written compressed)
 * @param lastModified last modification time
 * @param etag entity tag as the server reports it, without surrounding quotes
 * @param contentType MIME type recorded with the object
 * @param metadata user metadata (keys as the backend returns them, usually lower case)
 * @param storageClass storage tier (S3 storage class, Azure access tier)
 * @param version version id or generation, where the backend has one
 * @param crc32c base64 CRC32C checksum the server stores, where it has one
 * @param md5 lower-case hex MD5 of the whole object's bytes, where the store keeps one it vouches for (S3: the
 *        ETag of a single-part upload not encrypted with SSE-KMS or SSE-C); a multipart ETag is not one
 * @param crc32 base64 CRC32 of the whole object's bytes the server stores, where it has one (S3: a FULL_OBJECT
 *        {@code x-amz-checksum-crc32}; a COMPOSITE multipart value is not one)
 * @param crc64nvme base64 CRC64NVME of the whole object's bytes the server stores, where it has one (S3: the
 *        {@code x-amz-checksum-crc64nvme} AWS keeps for every object uploaded since 2025 without a checksum of
 *        its own, or the one the client sent)
 */
public record ObjectInfo(
        Location location,
        long size,
        Optional<Instant> lastModified,
        Optional<String> etag,
        Optional<String> contentType,
        Map<String, String> metadata,
        Optional<String> storageClass,
        Optional<String> version,
        Optional<String> crc32c,
        Optional<String> md5,
        Optional<String> crc32,
        Optional<String> crc64nvme) {

    public ObjectInfo {
        requireNonNull(location, "location is null");
        requireNonNull(lastModified, "lastModified is null");
        requireNonNull(etag, "etag is null");
        requireNonNull(contentType, "contentType is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
        requireNonNull(storageClass, "storageClass is null");
        requireNonNull(version, "version is null");
        requireNonNull(crc32c, "crc32c is null");
        requireNonNull(md5, "md5 is null");
        requireNonNull(crc32, "crc32 is null");
        requireNonNull(crc64nvme, "crc64nvme is null");
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
    }

    /** An info without an MD5 (the form before {@link #md5()} existed). */
    public ObjectInfo(Location location, long size, Optional<Instant> lastModified, Optional<String> etag,
            Optional<String> contentType, Map<String, String> metadata, Optional<String> storageClass,
            Optional<String> version, Optional<String> crc32c) {
        this(location, size, lastModified, etag, contentType, metadata, storageClass, version, crc32c, Optional.empty());
    }

    /** An info without a stored CRC32 or CRC64NVME (the form before {@link #crc32()} and {@link #crc64nvme()} existed). */
    public ObjectInfo(Location location, long size, Optional<Instant> lastModified, Optional<String> etag,
            Optional<String> contentType, Map<String, String> metadata, Optional<String> storageClass,
            Optional<String> version, Optional<String> crc32c, Optional<String> md5) {
        this(location, size, lastModified, etag, contentType, metadata, storageClass, version, crc32c, md5,
                Optional.empty(), Optional.empty());
    }

    /** An info with only a location, size and modification time (the common case for listings and files). */
    public static ObjectInfo of(Location location, long size, Optional<Instant> lastModified, Optional<String> etag) {
        return new ObjectInfo(location, size, lastModified, etag, Optional.empty(), Map.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
