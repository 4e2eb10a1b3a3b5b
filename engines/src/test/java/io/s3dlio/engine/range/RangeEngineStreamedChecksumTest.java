package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.spi.StreamedRangeReads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link RangeEngineChecksumTest} again on a store that streams ranges ({@link StreamedRangeReads}):
 * {@code readInto} then hands each chunk on in pieces of an odd size, through one reused buffer, and each piece's
 * CRC goes into the whole-object check; flipped bits still fail every path, also when the store may keep an MD5
 * (the chunks are then read whole, for the in-order MD5).
 */
class RangeEngineStreamedChecksumTest extends RangeEngineChecksumTest {

    /** The corrupting store, streaming: each piece one positional read of the buffer's size, then the sink. */
    static final class StreamingStore extends CorruptingStore implements StreamedRangeReads {
        final AtomicInteger streamed = new AtomicInteger();
        /** Whether it asks for direct pieces ({@link StreamedRangeReads#readsIntoDirect}). */
        final boolean direct;
        /** Pieces handed to it that were not direct memory aligned to {@link RangeEngine#PIECE_ALIGNMENT}. */
        final AtomicInteger unaligned = new AtomicInteger();

        StreamingStore(ObjectStore delegate) {
            this(delegate, false);
        }

        StreamingStore(ObjectStore delegate, boolean direct) {
            super(delegate);
            this.direct = direct;
        }

        @Override
        public boolean readsIntoDirect() {
            return direct;
        }

        @Override
        public ReadResult readStreamed(Location location, long offset, int length, ByteBuffer buffer, ObjectSink sink)
                throws IOException {
            streamed.incrementAndGet();
            if (!buffer.isDirect() || buffer.alignmentOffset(0, RangeEngine.PIECE_ALIGNMENT) != 0) {
                unaligned.incrementAndGet();
            }
            int done = 0;
            ReadResult last = new ReadResult(0, OptionalLong.empty());
            while (done < length) {
                buffer.clear().limit(Math.min(buffer.capacity(), length - done));
                last = read(location, offset + done, buffer);
                if (last.bytesRead() == 0) {
                    break;
                }
                sink.write(offset + done, buffer.flip());
                done += last.bytesRead();
            }
            return new ReadResult(done, last.objectSize());
        }
    }

    @Override
    CorruptingStore newStore(ObjectStore delegate) {
        return new StreamingStore(delegate);
    }

    /** Each chunk of a read of known size is one streamed request, handed on in pieces of at most the buffer. */
    @Test
    void readIntoStreamsEveryChunkThroughOnePiece() throws IOException {
        StreamingStore streaming = (StreamingStore) store;
        streaming.streamed.set(0);
        byte[] out = new byte[SIZE];
        AtomicInteger largest = new AtomicInteger();
        AtomicInteger pieces = new AtomicInteger();
        engine.readInto(store, location, OptionalLong.of(SIZE), (offset, bytes) -> {
            pieces.incrementAndGet();
            largest.accumulateAndGet(bytes.remaining(), Math::max);
            bytes.get(out, (int) offset, bytes.remaining());
        });
        assertThat(out).isEqualTo(data);
        assertThat(streaming.streamed.get()).isEqualTo((SIZE + CHUNK - 1) / CHUNK);
        assertThat(largest.get()).isEqualTo(streamPiece());
        assertThat(pieces.get()).isGreaterThan(2 * streaming.streamed.get());
    }

    /** The in-order MD5 hashes whole chunks: when the store may keep one, chunks are read whole, and checked. */
    @Test
    void chunksAreReadWholeWhileTheMd5MayBeNeeded() throws IOException {
        StreamingStore streaming = (StreamingStore) store;
        store.keepsCrc = false;
        store.offersMd5 = true;
        store.keepsMd5 = true;
        streaming.streamed.set(0);
        byte[] out = new byte[SIZE];
        engine.readInto(store, location, OptionalLong.of(SIZE), (offset, bytes) -> bytes.get(out, (int) offset, bytes.remaining()));
        assertThat(out).isEqualTo(data);
        assertThat(streaming.streamed.get()).isZero();
        store.corruptAt.set(CHUNK + 3);
        assertThatThrownBy(() -> engine.readInto(store, location, OptionalLong.of(SIZE), (offset, bytes) -> bytes.position(bytes.limit())))
                .isInstanceOf(ChecksumMismatchException.class);
    }

    /** Not a divisor of the chunk: pieces of two sizes per chunk. */
    @Override
    int streamPiece() {
        return 10_000;
    }
}
