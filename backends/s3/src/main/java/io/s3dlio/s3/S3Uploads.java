package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.spi.Crc32c;
import io.s3dlio.spi.ETags;
import io.s3dlio.engine.upload.PartUploadTarget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/** PutObject and the S3 half of the multipart upload engine. */
final class S3Uploads {
    private S3Uploads() {}

    /**
     * One PutObject with the options' content type and metadata; returns the unquoted ETag. With checksums
     * {@code WHEN_SUPPORTED} the SDK sends a CRC32C (not its default CRC32): the one checksum that a ranged read
     * can check by combining its chunks' values (see {@link Crc32c}). The SDK sends it in an aws-chunked trailer,
     * which S3Mock keeps as the object's checksum where it keeps none sent as a header (measured,
     * RangedFlipMatrixTest), so such a PutObject stays the SDK's; without a checksum it goes the lean way when that
     * is on ({@link LeanRequests#supports(PutObjectRequest, ContentStreamProvider)}).
     */
    static Optional<String> putObject(S3Client s3, Location location, ByteBuffer data, WriteOptions options,
            S3Config.ChecksumMode checksums) throws IOException {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(location.container()).key(location.key())
                .contentLength((long) data.remaining());
        if (checksums == S3Config.ChecksumMode.WHEN_SUPPORTED) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32_C);
        }
        options.contentType().ifPresent(request::contentType);
        if (!options.metadata().isEmpty()) {
            request.metadata(options.metadata());
        }
        switch (options.condition().kind()) {
            case NONE -> { }
            case IF_ABSENT -> request.ifNoneMatch("*");
            case IF_MATCH -> request.ifMatch(ifMatchValue(options.condition().etag().orElseThrow()));
        }
        try {
            return ETags.unquote(s3.putObject(request.build(), body(data)).eTag());
        } catch (SdkException e) {
            throw conditional(location, options, "PUT", e);
        }
    }

    /**
     * The If-Match value: the ETag without quotes. Ceph radosgw (16.2) compares If-Match byte for byte with the
     * unquoted ETag it stores, so the quoted form never matches there; S3Proxy 4.1 and S3Mock 5.2 accept the
     * bare ETag as well (the checkpoint contract checks all three). Not checked against AWS S3 here.
     */
    private static String ifMatchValue(String etag) {
        return etag;
    }

    /**
     * 412 is the condition found false; 409 (ConditionalRequestConflict) is a concurrent conditional write
     * winning the race; 404 answers If-Match on a key that does not exist. All mean: nothing written.
     */
    private static IOException conditional(Location location, WriteOptions options, String operation, SdkException e) {
        int status = S3Errors.statusCode(e);
        boolean ifMatch = options.condition().kind() == io.s3dlio.api.WriteCondition.Kind.IF_MATCH;
        if (!options.condition().isNone() && (status == 412 || status == 409 || (ifMatch && status == 404
                && !S3Errors.errorCode(e).equals("NoSuchBucket")))) {
            return new io.s3dlio.api.PreconditionFailedException(location, options.condition(), e);
        }
        return S3Errors.translate(location, operation, e);
    }

    /**
     * A request body over the buffer without copying it; each (re)try reads a fresh view, so the SDK's
     * retries resend the same bytes.
     */
    static RequestBody body(ByteBuffer data) {
        if (!data.hasRemaining()) {
            // radosgw rejects a streamed, signed empty body (XAmzContentSHA256Mismatch); a plain empty one works.
            return RequestBody.empty();
        }
        ByteBuffer view = data.duplicate();
        return RequestBody.fromContentProvider(new BufferContent(view), view.remaining(), "application/octet-stream");
    }

    /**
     * The content of a {@link #body}: a fresh view of the same bytes for each stream, so every (re)try sends
     * them again. {@link LeanRequests} sends UploadParts whose body is one of these (a body it can resend).
     */
    static final class BufferContent implements ContentStreamProvider {
        private final ByteBuffer data;

        BufferContent(ByteBuffer data) {
            this.data = requireNonNull(data, "data is null");
        }

        @Override
        public InputStream newStream() {
            return new BufferInputStream(data.duplicate());
        }

        /** A fresh view of the bytes, for a sender that writes the buffer itself. */
        ByteBuffer view() {
            return data.duplicate();
        }
    }

    /**
     * S3 multipart upload behind {@link io.s3dlio.engine.upload.PartedObjectWriter}. With checksums
     * {@code WHEN_SUPPORTED} the upload is created with a FULL_OBJECT CRC32C: each part carries the CRC32C
     * computed here (the SDK then computes none), and CompleteMultipartUpload carries their combination, which
     * the server checks and stores as the object's {@code x-amz-checksum-crc32c} (AWS S3, S3Proxy 4.1 and
     * S3Mock 5.2 do; measured). Ranged reads are checked against it (the range engine). Without it a multipart
     * object has no checksum of its bytes at all (only a composite one, or none, and a {@code -N} ETag).
     */
    static final class Target implements PartUploadTarget<CompletedPart> {
        private record Part(long length, int crc) {}

        private final S3Client s3;
        private final Location location;
        private final WriteOptions options;
        private final boolean fullObjectCrc32c;
        private final ConcurrentHashMap<Integer, Part> parts = new ConcurrentHashMap<>();
        private volatile String uploadId;

        Target(S3Client s3, Location location, WriteOptions options, S3Config.ChecksumMode checksums) {
            this.s3 = requireNonNull(s3, "s3 is null");
            this.location = requireNonNull(location, "location is null");
            this.options = requireNonNull(options, "options is null");
            this.fullObjectCrc32c = requireNonNull(checksums, "checksums is null") == S3Config.ChecksumMode.WHEN_SUPPORTED;
        }

        /** The upload id once {@link #begin} ran (tests). */
        Optional<String> uploadId() {
            return Optional.ofNullable(uploadId);
        }

        @Override
        public Optional<String> putWhole(ByteBuffer data) throws IOException {
            return putObject(s3, location, data, options, fullObjectCrc32c
                    ? S3Config.ChecksumMode.WHEN_SUPPORTED : S3Config.ChecksumMode.WHEN_REQUIRED);
        }

        @Override
        public void begin() throws IOException {
            try {
                uploadId = s3.createMultipartUpload(b -> {
                    b.bucket(location.container()).key(location.key());
                    if (fullObjectCrc32c) {
                        b.checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT);
                    }
                    options.contentType().ifPresent(b::contentType);
                    if (!options.metadata().isEmpty()) {
                        b.metadata(options.metadata());
                    }
                }).uploadId();
            } catch (SdkException e) {
                throw S3Errors.translate(location, "CreateMultipartUpload", e);
            }
            if (uploadId == null || uploadId.isEmpty()) {
                throw new io.s3dlio.api.StorageException(location, "CreateMultipartUpload returned no upload id");
            }
        }

        @Override
        public CompletedPart uploadPart(int partNumber, ByteBuffer data) throws IOException {
            if (fullObjectCrc32c) {
                int crc = Crc32c.of(data);
                parts.put(partNumber, new Part(data.remaining(), crc));
                String value = Crc32c.base64(crc);
                try {
                    UploadPartResponse response = s3.uploadPart(b -> b.bucket(location.container()).key(location.key())
                            .uploadId(uploadId).partNumber(partNumber).contentLength((long) data.remaining())
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumCRC32C(value), body(data));
                    return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag()).checksumCRC32C(value)
                            .build();
                } catch (SdkException e) {
                    throw S3Errors.translate(location, "UploadPart " + partNumber, e);
                }
            }
            try {
                UploadPartResponse response = s3.uploadPart(b -> b.bucket(location.container()).key(location.key())
                        .uploadId(uploadId).partNumber(partNumber).contentLength((long) data.remaining()), body(data));
                return CompletedPart.builder().partNumber(partNumber).eTag(response.eTag())
                        .checksumCRC32(response.checksumCRC32()).build();
            } catch (SdkException e) {
                throw S3Errors.translate(location, "UploadPart " + partNumber, e);
            }
        }

        @Override
        public Optional<String> complete(List<CompletedPart> parts) throws IOException {
            Optional<String> whole = fullObjectCrc32c ? Optional.of(Crc32c.base64(combined(parts))) : Optional.empty();
            Optional<String> etag;
            try {
                etag = Optional.ofNullable(s3.completeMultipartUpload(b -> {
                    b.bucket(location.container()).key(location.key()).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts));
                    whole.ifPresent(crc -> b.checksumCRC32C(crc).checksumType(ChecksumType.FULL_OBJECT));
                    switch (options.condition().kind()) {
                        case NONE -> { }
                        case IF_ABSENT -> b.ifNoneMatch("*");
                        case IF_MATCH -> b.ifMatch(ifMatchValue(options.condition().etag().orElseThrow()));
                    }
                }).eTag()).flatMap(ETags::unquote).filter(tag -> !tag.isBlank());
            } catch (SdkException e) {
                throw conditional(location, options, "CompleteMultipartUpload", e);
            }
            if (etag.isPresent()) {
                return etag;
            }
            // radosgw (Pacific) answers with an empty ETag element; the object's HEAD has the real one.
            try {
                return Optional.ofNullable(s3.headObject(b -> b.bucket(location.container()).key(location.key())).eTag())
                        .flatMap(ETags::unquote).filter(tag -> !tag.isBlank());
            } catch (SdkException e) {
                throw S3Errors.translate(location, "HEAD after CompleteMultipartUpload", e);
            }
        }

        /** The object's CRC32C: its parts' values combined in part order. */
        private int combined(List<CompletedPart> completed) throws IOException {
            int crc = 0;
            boolean first = true;
            for (CompletedPart part : completed) {
                Part known = this.parts.get(part.partNumber());
                if (known == null) {
                    throw new io.s3dlio.api.StorageException(location, "no CRC32C recorded for part " + part.partNumber());
                }
                crc = first ? known.crc() : Crc32c.combine(crc, known.crc(), known.length());
                first = false;
            }
            return crc;
        }

        @Override
        public void abort() throws IOException {
            try {
                s3.abortMultipartUpload(b -> b.bucket(location.container()).key(location.key()).uploadId(uploadId));
            } catch (SdkException e) {
                if (S3Errors.errorCode(e).equals("NoSuchUpload")) {
                    return; // already gone
                }
                throw S3Errors.translate(location, "AbortMultipartUpload " + uploadId, e);
            }
        }
    }

    /** Reads a buffer view; no copy of the data is made. */
    private static final class BufferInputStream extends InputStream {
        private final ByteBuffer data;

        BufferInputStream(ByteBuffer data) {
            this.data = data;
        }

        @Override
        public int read() {
            return data.hasRemaining() ? data.get() & 0xff : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!data.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, data.remaining());
            data.get(into, offset, n);
            return n;
        }

        @Override
        public int available() {
            return data.remaining();
        }

        @Override
        public long skip(long n) {
            int step = (int) Math.max(0, Math.min(n, data.remaining()));
            data.position(data.position() + step);
            return step;
        }
    }
}
