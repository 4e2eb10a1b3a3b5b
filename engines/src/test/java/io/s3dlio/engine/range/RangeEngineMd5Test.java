package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.ObjectRef;
import io.s3dlio.engine.transfer.TransferConfig;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whole objects read as chunks from a store that keeps an MD5 but no full-object CRC32C (S3Proxy's single-part
 * objects): the engine's in-order MD5 catches a flipped bit in any chunk on every read path, is skipped when a
 * CRC32C exists (then the CRC32C is what fails), and never deadlocks or loses order when chunks land out of
 * order under a global slot limit smaller than the readers need.
 */
class RangeEngineMd5Test {
    private static final int CHUNK = (int) RangeConfig.MIN_CHUNK;
    private static final int SIZE = 10 * CHUNK + 123;
    private static final Location BUCKET = Location.parse("mem://md5");

    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final RangeEngineChecksumTest.CorruptingStore store = new RangeEngineChecksumTest.CorruptingStore(memory);
    private final byte[] data = new byte[SIZE];
    private final Location location = BUCKET.withKey("object.bin");
    private final RangeEngine engine = new RangeEngine(new RangeConfig(true, CHUNK, 2L * CHUNK, 4, 16L * CHUNK), "md5-test");

    static String md5Hex(ByteBuffer bytes) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            md5.update(bytes.duplicate());
            return HexFormat.of().formatHex(md5.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void writeAnObjectWithAnMd5AndNoCrc() throws IOException {
        store.keepsCrc = false; // as S3Proxy after one PutObject: an MD5 ETag, no CRC32C
        store.offersMd5 = true;
        store.keepsMd5 = true;
        new Random(16).nextBytes(data);
        memory.createContainer(BUCKET);
        memory.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
    }

    @AfterEach
    void closeAll() throws IOException {
        try (memory) {
            engine.close();
        }
    }

    @Test
    void intactObjectsPassEveryPathWithChunksLandingOutOfOrder() throws IOException {
        for (long slow : new long[] {-1, 0, CHUNK, 3L * CHUNK}) {
            store.slowAt.set(slow);
            assertThat(engine.read(store, location, OptionalLong.empty()).toArray()).isEqualTo(data);
            assertThat(engine.read(store, location, OptionalLong.of(SIZE)).toArray()).isEqualTo(data);
            assertThat(engine.read(store, location, SIZE, (offset, chunk) -> { }).toArray()).isEqualTo(data);
            assertThat(readInto(engine, OptionalLong.empty())).isEqualTo(data);
            assertThat(readInto(engine, OptionalLong.of(SIZE))).isEqualTo(data);
        }
        assertThat(store.stats.get()).as("one stat per chunked read, none more").isEqualTo(20);
    }

    @Test
    void aFlippedBitInAnyChunkFailsEveryPathByItsMd5() {
        for (long at : new long[] {5, CHUNK + 7, 9L * CHUNK, SIZE - 1}) {
            store.corruptAt.set(at);
            store.slowAt.set(at - at % CHUNK); // the corrupted chunk lands last
            assertMismatch("MD5", () -> engine.read(store, location, OptionalLong.empty()));
            assertMismatch("MD5", () -> engine.read(store, location, OptionalLong.of(SIZE)));
            assertMismatch("MD5", () -> engine.read(store, location, SIZE, (offset, chunk) -> { }));
            assertMismatch("MD5", () -> readInto(engine, OptionalLong.empty()));
            assertMismatch("MD5", () -> readInto(engine, OptionalLong.of(SIZE)));
        }
    }

    @Test
    void aStoredCrc32cIsPreferredAndTheMd5IsNotNeeded() {
        store.keepsCrc = true;
        store.corruptAt.set(CHUNK + 7);
        assertMismatch("CRC32C", () -> engine.read(store, location, OptionalLong.of(SIZE)));
        assertMismatch("CRC32C", () -> readInto(engine, OptionalLong.of(SIZE)));
    }

    @Test
    void anObjectWithNeitherChecksumIsReadUnchecked() throws IOException {
        store.keepsMd5 = false; // a multipart ETag, or SSE-KMS: nothing to compare with
        store.corruptAt.set(CHUNK + 7);
        assertThat(engine.read(store, location, OptionalLong.of(SIZE)).size()).isEqualTo(SIZE);
        assertThat(readInto(engine, OptionalLong.of(SIZE))).isNotEqualTo(data);
    }

    @Test
    void manyReadersSharingFewSlotsNeverDeadlockWhileChunksWaitForTheirTurn() throws Exception {
        // Two global slots for eight readers of four workers each: a worker holding its chunk until earlier
        // ones are hashed must never hold the slot an earlier chunk still needs.
        try (RangeEngine tight = new RangeEngine(new RangeConfig(true, CHUNK, 2L * CHUNK, 4, 2L * CHUNK), "md5-tight");
                ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            store.slowAt.set(0);
            List<Future<byte[]>> reads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                OptionalLong size = i % 2 == 0 ? OptionalLong.of(SIZE) : OptionalLong.empty();
                reads.add(readers.submit(() -> readInto(tight, size)));
            }
            for (Future<byte[]> read : reads) {
                assertThat(read.get(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(data);
            }
            assertThat(tight.bytesInFlight()).isZero();
        }
    }

    @Test
    void theDefaultReadIntoChecksItsInOrderRangesByMd5Too() throws IOException {
        // Above ObjectStore.READ_INTO_CHUNK: the default readInto (engine off) reads 8 MiB ranges in order.
        byte[] large = new byte[2 * ObjectStore.READ_INTO_CHUNK + 5];
        new Random(17).nextBytes(large);
        Location big = BUCKET.withKey("large.bin");
        memory.put(big, ByteBuffer.wrap(large), WriteOptions.DEFAULT);
        byte[] out = new byte[large.length];
        ObjectSink sink = (offset, bytes) -> bytes.get(out, (int) offset, bytes.remaining());
        assertThat(store.readInto(big, OptionalLong.empty(), sink)).isEqualTo(large.length);
        assertThat(out).isEqualTo(large);
        assertThat(store.stats.get()).isEqualTo(1);
        store.corruptAt.set(ObjectStore.READ_INTO_CHUNK + 3);
        assertMismatch(big, "MD5", () -> store.readInto(big, OptionalLong.of(large.length), sink));
        store.keepsCrc = true;
        assertMismatch(big, "CRC32C", () -> store.readInto(big, OptionalLong.empty(), sink));
    }

    @Test
    void inOrderWindowsOfTheTransferEngineAreCheckedByMd5() throws Exception {
        try (TransferEngine transfers = TransferEngine.builder(ignored -> store)
                .config(new TransferConfig(CHUNK, 2L * CHUNK)).build()) {
            checkWindows(transfers);
        }
    }

    private void checkWindows(TransferEngine transfers) throws InterruptedException {
        for (long at : new long[] {-1, 5L * CHUNK + 1}) {
            store.corruptAt.set(at);
            TransferResult result = transfers.get(List.of(ObjectRef.of(location, SIZE)),
                    GetTarget.inOrder((where, chunk) -> { }), TransferOptions.jobs(1), TransferListener.NONE).await();
            if (at < 0) {
                assertThat(result.isComplete()).as(result.toString()).isTrue();
            } else {
                assertThat(result.failures()).singleElement().satisfies(failure -> assertThat(failure.cause())
                        .isInstanceOf(ChecksumMismatchException.class).hasMessageContaining("MD5"));
            }
        }
    }

    private byte[] readInto(RangeEngine with, OptionalLong size) throws IOException {
        byte[] out = new byte[SIZE];
        with.readInto(store, location, size, (offset, bytes) -> bytes.get(out, (int) offset, bytes.remaining()));
        return out;
    }

    private interface Read {
        Object run() throws IOException;
    }

    private void assertMismatch(String algorithm, Read read) {
        assertMismatch(location, algorithm, read);
    }

    private static void assertMismatch(Location location, String algorithm, Read read) {
        assertThatThrownBy(read::run).isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith(location.toString())
                .satisfies(e -> assertThat(((ChecksumMismatchException) e).algorithm()).isEqualTo(algorithm));
    }
}
