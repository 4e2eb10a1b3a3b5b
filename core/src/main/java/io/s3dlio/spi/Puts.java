package io.s3dlio.spi;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Compression;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/** The two ways a store's {@code put} sends a whole buffer: one request, or through its streaming writer. */
public final class Puts {
    private Puts() {}

    /** Sends the whole object in one request; returns the service's ETag, if it gives one. */
    @FunctionalInterface
    public interface SingleRequest {
        Optional<String> send(ByteBuffer data) throws IOException;
    }

    /** Whether {@code put} must go through the writer: it is the one code path that compresses. */
    public static boolean needsWriter(WriteOptions options) {
        return options.compression().codec() != Compression.Codec.NONE;
    }

    /**
     * One request straight from the caller's bytes (no copy into a part buffer): sends a view of the
     * remaining bytes of {@code data} (which is not modified) and computes their CRC32C.
     */
    public static WriteResult singleRequest(Location location, ByteBuffer data, SingleRequest request) throws IOException {
        requireNonNull(data, "data is null");
        ByteBuffer view = data.duplicate();
        int length = view.remaining();
        CRC32C crc = new CRC32C();
        crc.update(view.duplicate());
        Optional<String> etag = request.send(view);
        return new WriteResult(location, length, length, (int) crc.getValue(), etag);
    }

    /**
     * Writes the remaining bytes of {@code data} through {@code store.newWriter}, telling the writer the size
     * (parts sized for it, and a first buffer that need not grow).
     */
    public static WriteResult throughWriter(ObjectStore store, Location location, ByteBuffer data, WriteOptions options)
            throws IOException {
        requireNonNull(data, "data is null");
        try (ObjectWriter writer = store.newWriter(location, options.withExpectedSizeIfAbsent(data.remaining()))) {
            writer.write(data.duplicate());
            return writer.finish();
        }
    }
}
