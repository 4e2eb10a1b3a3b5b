package io.s3dlio.engine.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * The backend half of a multipart upload (S3 multipart, Azure staged blocks, GCS resumable chunks). The
 * engine ({@link PartedObjectWriter}) decides part sizes, concurrency and ordering; a target only talks to
 * its service.
 *
 * @param <R> what a service returns for an uploaded part (an ETag, a block id)
 */
public interface PartUploadTarget<R> {

    /**
     * Stores a whole object in one request. Used instead of a multipart upload when everything written fits
     * in the first part, so small objects cost one request.
     *
     * @return the ETag, when the service returns one
     */
    Optional<String> putWhole(ByteBuffer data) throws IOException;

    /** Starts the multipart upload (e.g. CreateMultipartUpload). Called once, before the first part. */
    void begin() throws IOException;

    /**
     * Uploads one part. Called concurrently from several threads with distinct part numbers (1-based). The
     * buffer is owned by the engine and must not be kept after this returns. Retries belong in the backend's
     * client layer, not here.
     */
    R uploadPart(int partNumber, ByteBuffer data) throws IOException;

    /** Completes the upload with every part's result, in part-number order; makes the object visible. */
    Optional<String> complete(List<R> parts) throws IOException;

    /**
     * Discards an upload that began (e.g. AbortMultipartUpload), so no orphaned parts or uncommitted blocks
     * remain and nothing appears under the name. Only called after {@link #begin} succeeded.
     */
    void abort() throws IOException;
}
