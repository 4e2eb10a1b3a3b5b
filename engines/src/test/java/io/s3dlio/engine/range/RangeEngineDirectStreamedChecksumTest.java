package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link RangeEngineStreamedChecksumTest} again on a streaming store that reads into direct memory
 * ({@link io.s3dlio.spi.StreamedRangeReads#readsIntoDirect}): the engine then hands it direct pieces aligned for
 * {@code O_DIRECT} writes, and the whole-object checks see the same bytes through them.
 */
class RangeEngineDirectStreamedChecksumTest extends RangeEngineStreamedChecksumTest {

    @Override
    CorruptingStore newStore(ObjectStore delegate) {
        return new StreamingStore(delegate, true);
    }

    /** Every piece a read of known size streams through is direct and aligned; a heap-reading store gets heap. */
    @Test
    void piecesAreDirectAndAlignedWhenTheStoreReadsIntoDirectMemory() throws IOException {
        StreamingStore streaming = (StreamingStore) store;
        streaming.unaligned.set(0);
        streaming.streamed.set(0);
        byte[] out = new byte[SIZE];
        engine.readInto(store, location, OptionalLong.of(SIZE), (offset, bytes) -> {
            assertThat(bytes.isDirect()).isTrue();
            bytes.get(out, (int) offset, bytes.remaining());
        });
        assertThat(out).isEqualTo(data);
        assertThat(streaming.streamed.get()).isPositive();
        assertThat(streaming.unaligned.get()).isZero();

        StreamingStore heap = new StreamingStore(streaming.delegate(), false);
        engine.readInto(heap, location, OptionalLong.of(SIZE), (offset, bytes) -> assertThat(bytes.isDirect()).isFalse());
        assertThat(heap.unaligned.get()).as("heap pieces").isEqualTo(heap.streamed.get());
    }
}
