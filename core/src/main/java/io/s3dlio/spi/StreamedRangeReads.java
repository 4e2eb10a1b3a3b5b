package io.s3dlio.spi;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ReadResult;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A store that can hand the body of one ranged request to a sink piece by piece, through one small buffer of the
 * caller's, instead of reading it whole into a buffer of the range's size ({@link io.s3dlio.api.ObjectStore#read}).
 * The range engine uses it, where a store offers it, to download large objects to files with a few reused
 * pieces of memory per request rather than one fresh chunk-sized buffer each (docs/BENCHMARKS.md, "GET one
 * 1 GiB object as a process, streamed chunks"). It is a capability: the engine asks for it with
 * {@code instanceof}, and a store without it is read as before.
 */
public interface StreamedRangeReads {

    /**
     * Reads {@code [offset, offset + length)} with one request, as {@link io.s3dlio.api.ObjectStore#read} does,
     * handing the body to {@code sink} as it arrives: each piece is read into {@code buffer} (from index 0, at
     * most its capacity) and handed over with its offset in the object, in order, on the calling thread; once
     * {@code sink.write} returns, the buffer is filled again with the next piece. Fewer than {@code length} bytes
     * only at the end of the object; {@code offset >= size} reads nothing (and reports the size when known). A
     * failure may come after some pieces were handed over; the caller must then treat the range as unread.
     * An exception of the sink stops the read and is rethrown as it is.
     *
     * @param buffer scratch memory of the caller's, used only during this call
     * @return the bytes handed to the sink, and the object's size when the response carries it
     */
    ReadResult readStreamed(Location location, long offset, int length, ByteBuffer buffer, ObjectSink sink)
            throws IOException;

    /**
     * Whether {@link #readStreamed} fills a direct {@code buffer} straight from its connection, with no copy in
     * Java (a socket channel's read), so that a caller free to choose passes direct memory: a file download then
     * writes the pieces with {@code O_DIRECT} from where they landed. False (the default) where a direct buffer
     * would cost a copy that a heap one does not.
     */
    default boolean readsIntoDirect() {
        return false;
    }
}
