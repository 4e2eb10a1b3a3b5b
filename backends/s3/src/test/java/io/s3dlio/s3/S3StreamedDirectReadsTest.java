package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link S3ObjectStore#readStreamed} into a direct piece (the range engine's, for a download to a file): over plain
 * http the body goes from the socket channel into the piece ({@link S3ObjectStore#readsIntoDirect}), each piece
 * handed on at its offset; a body cut short is resumed into the same piece, never handed on short.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3StreamedDirectReadsTest {
    private static final int SIZE = 1_000_003;
    private static final byte[] DATA = TestData.bytes(SIZE, 31);
    private static final int PIECE = 64 * 1024;

    private S3ProxyServer server;
    private S3Environment direct;
    private Location location;

    @BeforeAll
    void start() throws IOException {
        server = S3ProxyServer.start();
        direct = new S3Environment(server.storeSettings(), server.description(), server);
        location = direct.bucket().withKey("streamed-direct/object.bin");
        direct.s3Store().put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
    }

    @AfterAll
    void stop() throws IOException {
        if (direct != null) {
            direct.close();
        }
    }

    /** Streams {@code [offset, offset + length)} through one direct piece into a copy of the object's bytes. */
    private static byte[] streamed(S3ObjectStore store, Location location, int offset, int length) throws IOException {
        byte[] out = new byte[SIZE];
        ByteBuffer piece = ByteBuffer.allocateDirect(PIECE);
        AtomicBoolean heapSeen = new AtomicBoolean();
        ReadResult result = store.readStreamed(location, offset, length, piece, (at, bytes) -> {
            heapSeen.compareAndSet(false, !bytes.isDirect());
            bytes.get(out, (int) at, bytes.remaining());
        });
        assertThat(result.bytesRead()).isEqualTo(length);
        assertThat(result.objectSize()).hasValue(SIZE);
        assertThat(heapSeen).as("the pieces handed on are views of the direct piece").isFalse();
        return out;
    }

    @Test
    void aRangeGoesFromTheSocketIntoTheDirectPiece() throws IOException {
        S3ObjectStore store = direct.s3Store();
        assertThat(store.readsIntoDirect()).isTrue();
        long before = S3Reads.CHANNEL_BYTES.sum();
        int offset = 1_001;
        int length = SIZE - 2 * offset;
        byte[] out = streamed(store, location, offset, length);
        assertThat(Arrays.copyOfRange(out, offset, offset + length)).isEqualTo(Arrays.copyOfRange(DATA, offset, offset + length));
        assertThat(S3Reads.CHANNEL_BYTES.sum() - before).as("straight from the socket").isGreaterThanOrEqualTo(length / 2);
    }

    @Test
    void aCutBodyIsResumedIntoTheSamePiece() throws IOException {
        try (FaultProxy proxy = FaultProxy.startFor(server.endpoint());
                S3ObjectStore store = S3ReadFaultsTest.storeThrough(proxy, Map.of(), server.storeSettings())) {
            proxy.first(1, on(Operation.GET_OBJECT), Fault.resetAfter(300_000));
            assertThat(streamed(store, location, 0, SIZE)).isEqualTo(DATA);
        }
    }
}
