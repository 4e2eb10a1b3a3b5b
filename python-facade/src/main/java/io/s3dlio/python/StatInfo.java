package io.s3dlio.python;

import io.s3dlio.api.ObjectInfo;
import java.util.Map;

/**
 * {@link ObjectInfo} flattened for Python: absent values are {@code null} (Python's {@code None}).
 *
 * @param uri the object
 * @param size bytes
 * @param lastModifiedMillis epoch milliseconds, or null
 * @param etag entity tag, or null
 * @param contentType MIME type, or null
 * @param metadata user metadata
 * @param storageClass storage tier, or null
 * @param version version id or generation, or null
 * @param crc32c base64 CRC32C, or null
 */
public record StatInfo(String uri, long size, Long lastModifiedMillis, String etag, String contentType,
        Map<String, String> metadata, String storageClass, String version, String crc32c) {

    static StatInfo of(ObjectInfo info) {
        return new StatInfo(info.location().toString(), info.size(),
                info.lastModified().map(instant -> instant.toEpochMilli()).orElse(null),
                info.etag().orElse(null), info.contentType().orElse(null), info.metadata(),
                info.storageClass().orElse(null), info.version().orElse(null), info.crc32c().orElse(null));
    }
}
