package io.s3dlio.gcs;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.s3dlio.api.Location;
import io.s3dlio.spi.ETags;
import io.s3dlio.engine.upload.PartUploadTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A GCS upload as the multipart engine sees it. Objects that fit in one chunk go up in one request
 * ({@link #putWhole}); larger ones use a resumable upload session fed one chunk at a time (the engine runs
 * this target with one part in flight, so chunks arrive in order). Only {@link #complete} finalizes the
 * session; {@link #abort} drops it unfinalized, and GCS never creates an object from a session that was not
 * finalized (an abandoned session expires after a week). Integrity: the client sends the whole object's
 * CRC32C with the finalizing chunk (and with one-request uploads), so GCS refuses to create a corrupted object.
 */
final class ResumableUploadTarget implements PartUploadTarget<Integer> {
    private final Storage storage;
    private final Location location;
    private final BlobInfo info;
    private final int chunkSize;
    private final GcsPrecondition precondition;
    private WriteChannel channel;

    ResumableUploadTarget(Storage storage, Location location, BlobInfo info, int chunkSize, GcsPrecondition precondition) {
        this.storage = storage;
        this.location = location;
        this.info = info;
        this.chunkSize = chunkSize;
        this.precondition = precondition;
    }

    @Override
    public Optional<String> putWhole(ByteBuffer data) throws IOException {
        try {
            Blob blob = GcsObjectStore.createWhole(storage, info, data, precondition);
            return ETags.unquote(blob == null ? null : blob.getEtag());
        } catch (RuntimeException e) {
            throw precondition.translate(location, "upload", e);
        }
    }

    @Override
    public void begin() throws IOException {
        try {
            // Preconditions travel with the session; GCS checks them against the object the session creates.
            channel = storage.writer(info, precondition.writeOptions());
            // The channel buffers one chunk; with parts of exactly this size every write sends one chunk.
            channel.setChunkSize(chunkSize);
        } catch (RuntimeException e) {
            throw precondition.translate(location, "starting a resumable upload", e);
        }
    }

    @Override
    public Integer uploadPart(int partNumber, ByteBuffer data) throws IOException {
        int length = data.remaining();
        try {
            while (data.hasRemaining()) {
                channel.write(data);
            }
        } catch (IOException | RuntimeException e) {
            throw precondition.translate(location, "uploading chunk " + partNumber, e);
        }
        return length;
    }

    @Override
    public Optional<String> complete(List<Integer> parts) throws IOException {
        try {
            // close() sends the last chunk and finalizes: the object appears now, all at once.
            channel.close();
        } catch (IOException | RuntimeException e) {
            throw precondition.translate(location, "finalizing the resumable upload", e);
        }
        // WriteChannel does not hand back the object's metadata, so there is no ETag to report.
        return Optional.empty();
    }

    @Override
    public void abort() {
        // Deliberately not channel.close(): closing a WriteChannel finalizes the upload, which would publish
        // a truncated object. Dropping it leaves the session unfinalized, so nothing appears under the name.
        channel = null;
    }
}
