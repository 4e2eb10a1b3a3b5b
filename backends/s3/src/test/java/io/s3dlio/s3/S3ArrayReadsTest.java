package io.s3dlio.s3;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3MockServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link S3ObjectStore}'s whole-object GET into the caller's array ({@link io.s3dlio.spi.ArrayReads}): the bytes
 * land in the array when it is large enough and in a buffer of the store's otherwise, one GET either way, and the
 * whole-object checksum is checked as for {@code get} (a flipped bit fails the read, MD5 on S3Proxy, the stored
 * CRC32C on S3Mock).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ArrayReadsTest {
    private static final int SIZE = 300_000;
    private static final byte[] DATA = TestData.bytes(SIZE, 23);

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
        Location location = direct.bucket().withKey("arrays-" + counter.incrementAndGet() + "/object.bin");
        direct.s3Store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        return location;
    }

    private static byte[] bytes(ObjectBytes bytes) {
        return bytes.toArray();
    }

    @Test
    void theBodyLandsInTheCallersArrayWhenItFits() throws IOException {
        Location location = object(DATA);
        S3ObjectStore store = direct.s3Store();
        byte[] array = new byte[SIZE + 1000];
        List<Integer> asked = new ArrayList<>();
        ObjectBytes read = store.get(location, OptionalLong.of(SIZE), size -> {
            asked.add(size);
            return array;
        });
        assertThat(asked).containsExactly(SIZE);
        assertThat(bytes(read)).isEqualTo(DATA);
        assertThat(Arrays.copyOf(array, SIZE)).as("read into the caller's array").isEqualTo(DATA);
        assertThat(read.buffer().isReadOnly()).isTrue();
        // The size hint is only a hint: without it the same single GET reads into the array.
        byte[] again = new byte[SIZE];
        assertThat(bytes(store.get(location, OptionalLong.empty(), size -> again))).isEqualTo(DATA);
        assertThat(again).isEqualTo(DATA);
    }

    @Test
    void aLargerObjectOrNoArrayIsReadIntoABufferOfItsOwn() throws IOException {
        Location location = object(DATA);
        S3ObjectStore store = direct.s3Store();
        byte[] small = new byte[SIZE - 1];
        // Listed smaller than it is (it grew): the array is too short, the bytes are still the object's.
        assertThat(bytes(store.get(location, OptionalLong.of(SIZE - 1), size -> small))).isEqualTo(DATA);
        assertThat(small).as("a too-short array is not written").containsOnly((byte) 0);
        assertThat(bytes(store.get(location, OptionalLong.of(SIZE), size -> null))).isEqualTo(DATA);
    }

    @Test
    void emptyAndMissingObjects() throws IOException {
        Location empty = object(new byte[0]);
        S3ObjectStore store = direct.s3Store();
        assertThat(store.get(empty, OptionalLong.of(0), size -> new byte[16]).size()).isZero();
        Location missing = direct.bucket().withKey("arrays-missing/object.bin");
        assertThatThrownBy(() -> store.get(missing, OptionalLong.of(10), size -> new byte[16]))
                .isInstanceOf(ObjectNotFoundException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void aFlippedBitIsDetectedAsOnGet() throws IOException {
        Location location = object(DATA);
        try (FaultProxy proxy = FaultProxy.startFor(server.endpoint());
                S3ObjectStore store = S3ReadFaultsTest.storeThrough(proxy, Map.of(), server.storeSettings())) {
            proxy.always(on(Operation.GET_OBJECT), Fault.flipResponseBit(12_345, 5));
            byte[] array = new byte[SIZE];
            assertThatThrownBy(() -> store.get(location, OptionalLong.of(SIZE), size -> array))
                    .isInstanceOf(ChecksumMismatchException.class)
                    .hasMessageStartingWith(location.toString());
            // Larger than the array: the store's own buffer, checked the same way.
            assertThatThrownBy(() -> store.get(location, OptionalLong.of(SIZE), size -> new byte[10]))
                    .isInstanceOf(ChecksumMismatchException.class);
            assertThat(proxy.count(Operation.GET_OBJECT)).as("one GET each, no ranged GET").isEqualTo(2);
        }
    }

    @Test
    void storedChecksumsAreVerifiedOnS3Mock() throws IOException {
        try (S3MockServer mock = S3MockServer.start();
                FaultProxy mockProxy = FaultProxy.startFor(mock.endpoint());
                S3ObjectStore writer = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(mock.storeSettings()));
                S3ObjectStore reader = S3ReadFaultsTest.storeThrough(mockProxy, Map.of(), mock.storeSettings())) {
            Location bucket = Location.parse("s3://arrays-mock");
            writer.createContainer(bucket);
            Location location = bucket.withKey("object.bin");
            writer.put(location, ByteBuffer.wrap(DATA), WriteOptions.DEFAULT);
            byte[] array = new byte[SIZE];
            assertThat(bytes(reader.get(location, OptionalLong.of(SIZE), size -> array))).isEqualTo(DATA);
            assertThat(mockProxy.requests().getLast().headers()).containsEntry("x-amz-checksum-mode", "ENABLED");
            mockProxy.always(on(Operation.GET_OBJECT), Fault.flipResponseBit(1, 0));
            assertThatThrownBy(() -> reader.get(location, OptionalLong.of(SIZE), size -> array))
                    .isInstanceOf(ChecksumMismatchException.class).hasMessageStartingWith(location.toString());
        }
    }
}
