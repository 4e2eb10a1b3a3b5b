package io.s3dlio.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import io.s3dlio.api.Location;
import io.s3dlio.spi.Crc32c;
import io.s3dlio.spi.ETags;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.engine.upload.PartUploadTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Azure's half of the upload engine: Put Blob for small objects, otherwise Put Block per part and one Put
 * Block List in part order. Nothing is visible under the name until the block list is committed.
 *
 * <p>Every blob written here carries its CRC32C in metadata ({@value Crc32c#AZURE_METADATA}, base64 as S3 writes
 * it): for blocks, each block's CRC32C is computed as it is staged and they are combined in block order at the
 * commit. Azure keeps no checksum of a blob committed from blocks (no Content-MD5, since the blocks are staged
 * concurrently and no in-order digest exists), so without it a blob read as ranged chunks could not be checked.
 */
final class BlockUploadTarget implements PartUploadTarget<String> {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Location location;
    private final BlockBlobClient blob;
    private final WriteOptions options;
    /** Unique per upload, so concurrent writers of one blob never commit each other's blocks. */
    private final String idPrefix;
    private final ConcurrentHashMap<String, Part> parts = new ConcurrentHashMap<>();

    private record Part(long length, int crc) {}

    BlockUploadTarget(Location location, BlockBlobClient blob, WriteOptions options) {
        this.location = requireNonNull(location, "location is null");
        this.blob = requireNonNull(blob, "blob is null");
        this.options = requireNonNull(options, "options is null");
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        this.idPrefix = HexFormat.of().formatHex(nonce);
    }

    /**
     * The block id of part {@code partNumber}: every id of a blob must have the same length, so the
     * 16-character upload prefix and the 6-digit part number (Azure allows 50,000 blocks) are fixed width.
     */
    static String blockId(String prefix, int partNumber) {
        String raw = prefix + "-" + String.format(Locale.ROOT, "%06d", partNumber);
        return Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
    }

    private BlobHttpHeaders headers() {
        BlobHttpHeaders headers = new BlobHttpHeaders();
        options.contentType().ifPresent(headers::setContentType);
        return headers;
    }

    /** The caller's metadata and the blob's CRC32C. */
    private Map<String, String> metadata(int crc) {
        Map<String, String> metadata = new HashMap<>(options.metadata());
        metadata.put(Crc32c.AZURE_METADATA, Crc32c.base64(crc));
        return metadata;
    }

    @Override
    public Optional<String> putWhole(ByteBuffer data) throws IOException {
        try {
            BlockBlobSimpleUploadOptions upload = new BlockBlobSimpleUploadOptions(BinaryData.fromByteBuffer(data))
                    .setHeaders(headers()).setMetadata(metadata(Crc32c.of(data))).setRequestConditions(conditions());
            return ETags.unquote(blob.uploadWithResponse(upload, null, Context.NONE).getValue().getETag());
        } catch (RuntimeException e) {
            throw conditional(e, "put blob");
        }
    }

    @Override
    public void begin() {
        // Block blobs need no "create upload" call: the first Put Block starts the uncommitted block list.
    }

    @Override
    public String uploadPart(int partNumber, ByteBuffer data) throws IOException {
        String id = blockId(idPrefix, partNumber);
        parts.put(id, new Part(data.remaining(), Crc32c.of(data)));
        try {
            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id, BinaryData.fromByteBuffer(data)), null, Context.NONE);
            return id;
        } catch (RuntimeException e) {
            throw AzureErrors.translate(location, "put block " + partNumber, e);
        }
    }

    @Override
    public Optional<String> complete(List<String> parts) throws IOException {
        int crc = 0;
        for (int i = 0; i < parts.size(); i++) {
            Part part = this.parts.get(parts.get(i));
            if (part == null) {
                throw new io.s3dlio.api.StorageException(location, "no CRC32C recorded for block " + (i + 1));
            }
            crc = i == 0 ? part.crc() : Crc32c.combine(crc, part.crc(), part.length());
        }
        try {
            BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(parts)
                    .setHeaders(headers()).setMetadata(metadata(crc)).setRequestConditions(conditions());
            return ETags.unquote(blob.commitBlockListWithResponse(commit, null, Context.NONE).getValue().getETag());
        } catch (RuntimeException e) {
            throw conditional(e, "put block list (" + parts.size() + " blocks)");
        }
    }

    /** The write condition as ETag request conditions; null (none) for an unconditional write. */
    private BlobRequestConditions conditions() {
        return switch (options.condition().kind()) {
            case NONE -> null;
            case IF_ABSENT -> new BlobRequestConditions().setIfNoneMatch("*");
            case IF_MATCH -> new BlobRequestConditions().setIfMatch("\"" + options.condition().etag().orElseThrow() + "\"");
        };
    }

    /** 412 (condition not met) and 409 (the blob already exists, for if-absent) mean nothing was written. */
    private IOException conditional(RuntimeException e, String operation) {
        if (!options.condition().isNone() && e instanceof BlobStorageException service
                && (service.getStatusCode() == 412 || service.getStatusCode() == 409)) {
            return new PreconditionFailedException(location, options.condition(), e);
        }
        return AzureErrors.translate(location, operation, e);
    }

    @Override
    public void abort() {
        // There is no call that drops uncommitted blocks without deleting the blob (and with it a previous
        // version we must keep). Uncommitted blocks are never visible and the service discards them (at the
        // blob's next commit or after a week), so "nothing under the name" holds without a request.
    }
}
