package io.s3dlio.loader;

import io.s3dlio.api.ObjectBytes;
import java.nio.ByteBuffer;
import java.util.function.IntFunction;

/** How an epoch fetches one item (whole object, or through the range engine). */
@FunctionalInterface
interface ItemReader {
    ObjectBytes read(DatasetEntry entry) throws Exception;

    /**
     * A whole-object item, into an array {@code arrays} answers once the size is known where the store can
     * ({@link io.s3dlio.spi.ArrayReads}); the default reads as {@link #read(DatasetEntry)}.
     */
    default ObjectBytes read(DatasetEntry entry, IntFunction<byte[]> arrays) throws Exception {
        return read(entry);
    }

    /**
     * A whole-object item, into a buffer {@code buffers} answers once the size is known where the store can
     * ({@link io.s3dlio.spi.BufferReads}); the default reads as {@link #read(DatasetEntry)}.
     */
    default ObjectBytes readInto(DatasetEntry entry, IntFunction<ByteBuffer> buffers) throws Exception {
        return read(entry);
    }
}
