package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;

/** Raw bytes: the payload and nothing else, streamed in bounded memory. */
public final class Raw {
    private Raw() {
    }

    /** Writes {@code size} bytes from {@code content}. */
    public static WriteResult write(ObjectStore store, Location location, long size, ContentSource content,
            WriteOptions options) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(content, "content is null");
        if (size < 0) {
            throw new IllegalArgumentException(location + ": negative size " + size);
        }
        try (ObjectWriter writer = store.newWriter(location, options.withExpectedSizeIfAbsent(size))) {
            Streams.copy(content, size, writer, Streams.newChunk(size));
            return writer.finish();
        }
    }
}
