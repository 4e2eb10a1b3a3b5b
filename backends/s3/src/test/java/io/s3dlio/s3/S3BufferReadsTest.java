package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link S3ObjectStore}'s whole-object GET into the caller's (direct) buffer ({@link io.s3dlio.spi.BufferReads}):
 * over plain http the body goes from the socket channel into the buffer, at its position; a buffer with too little
 * room leaves it to a buffer of the store's; the whole-object checksum is checked (a flipped bit fails the read);
 * a body cut short or stalled is resumed with a ranged GET into the same buffer, never a short object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BufferReadsTest {
    private static final int SIZE = 1_000_003;
    private static final byte[] DATA = TestData.bytes(SIZE, 29);

    private S3ProxyServer server;
    private S3Environment direct;
    private final AtomicInteger counter = new AtomicInteger();

    @BeforeAll
    void start() throws IOException {
        server = S3ProxyServer.start();
        direct = new S3Environment(server.storeSettings(), server.description(), server);
    }

    @AfterAll
    void stop() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }

    private Location object(byte[] data) throws IOException {
        Location location = direct.bucket().withKey("buffers-" + counter.incrementAndGet() + "/object.bin");
        direct.s3Store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        return location;
    }

    private static byte[] in(ByteBuffer buffer, int from, int length) {
        byte[] bytes = new byte[length];
        buffer.get(from, bytes);
        return bytes;
    }

    @Test
    void theBodyGoesFromTheSocketIntoTheCallersDirectBufferAtItsPosition() throws IOException {
        Location location = object(DATA);
        S3ObjectStore store = direct.s3Store();
        ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE + 100).position(7);
        List<Integer> asked = new ArrayList<>();
        long before = S3Reads.CHANNEL_BYTES.sum();
        ObjectBytes read = store.getInto(location, OptionalLong.of(SIZE), size -> {
            asked.add(size);
            return buffer;
        });
        assertThat(asked).containsExactly(SIZE);
        assertThat(read.toArray()).isEqualTo(DATA);
        assertThat(in(buffer, 7, SIZE)).as("read into the caller's buffer").isEqualTo(DATA);
        assertThat(S3Reads.CHANNEL_BYTES.sum() - before).as("straight from the socket").isGreaterThanOrEqualTo(SIZE / 2);
        // A heap buffer works too, and the connection was given back: the next read reuses it.
        ByteBuffer heap = ByteBuffer.allocate(SIZE);
        assertThat(store.getInto(location, OptionalLong.empty(), size -> heap).toArray()).isEqualTo(DATA);
        assertThat(heap.array()).isEqualTo(DATA);
    }

    @Test
    void tooLittleRoomOrNoBufferReadsIntoABufferOfItsOwnAndEmptyAndMissingObjects() throws IOException {
        Location location = object(DATA);
        S3ObjectStore store = direct.s3Store();
        ByteBuffer small = ByteBuffer.allocateDirect(SIZE - 1);
        assertThat(store.getInto(location, OptionalLong.of(SIZE), size -> small).toArray()).isEqualTo(DATA);
        assertThat(in(small, 0, 100)).as("a too-small buffer is not written").containsOnly((byte) 0);
        assertThat(store.getInto(location, OptionalLong.of(SIZE), size -> (ByteBuffer) null).toArray()).isEqualTo(DATA);
        Location empty = object(new byte[0]);
        assertThat(store.getInto(empty, OptionalLong.of(0), size -> ByteBuffer.allocateDirect(16)).size()).isZero();
        Location missing = direct.bucket().withKey("buffers-missing/object.bin");
        assertThatThrownBy(() -> store.getInto(missing, OptionalLong.of(10), size -> ByteBuffer.allocateDirect(16)))
                .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void aFlippedBitIsDetectedAndCutOrStalledBodiesAreResumedIntoTheSameBuffer() throws IOException {
        Location location = object(DATA);
        try (FaultProxy proxy = FaultProxy.startFor(server.endpoint());
                S3ObjectStore store = S3ReadFaultsTest.storeThrough(proxy, Map.of(), server.storeSettings())) {
            FaultProxy.Rule flip = proxy.always(on(Operation.GET_OBJECT), Fault.flipResponseBit(654_321, 3));
            assertThatThrownBy(() -> store.getInto(location, OptionalLong.of(SIZE), size -> ByteBuffer.allocateDirect(size)))
                    .isInstanceOf(ChecksumMismatchException.class).hasMessageStartingWith(location.toString());
            proxy.clearRules();
            assertThat(flip.applied()).isPositive();
            proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(300_000));
            ByteBuffer cut = ByteBuffer.allocateDirect(SIZE);
            assertThat(store.getInto(location, OptionalLong.of(SIZE), size -> cut).toArray()).isEqualTo(DATA);
            assertThat(in(cut, 0, SIZE)).isEqualTo(DATA);
            // A stall past the read timeout (1 s here): the channel read times out and the rest is resumed.
            proxy.first(1, on(Operation.GET_OBJECT), Fault.stallAfter(500_000, Duration.ofSeconds(4)));
            ByteBuffer stalled = ByteBuffer.allocateDirect(SIZE);
            assertThat(store.getInto(location, OptionalLong.of(SIZE), size -> stalled).toArray()).isEqualTo(DATA);
            assertThat(in(stalled, 0, SIZE)).isEqualTo(DATA);
        }
    }
}
