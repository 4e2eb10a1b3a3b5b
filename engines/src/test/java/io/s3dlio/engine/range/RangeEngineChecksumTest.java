package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.spi.Crc32c;
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.spi.FullObjectCrc;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End-to-end CRC32C of whole objects read as chunks: a store that keeps a full-object CRC32C (here mem:// with
 * the value computed at write time, standing in for S3's FULL_OBJECT checksum or the Azure metadata) and
 * corrupts one chunk on the way; every read path of the engine (get of unknown and known size, the listener
 * read, readInto of unknown and known size) throws {@link ChecksumMismatchException} naming the location, and
 * reads of intact objects pass. A store without the capability is never asked for a stat.
 */
class RangeEngineChecksumTest {
    static final int CHUNK = (int) RangeConfig.MIN_CHUNK;
    static final int SIZE = 10 * CHUNK + 123;
    private static final Location BUCKET = Location.parse("mem://checked");

    private final MemoryObjectStore memory = new MemoryObjectStore();
    final CorruptingStore store = newStore(memory);
    RangeEngine engine;
    final byte[] data = new byte[SIZE];
    Location location;

    /**
     * Keeps the CRC32C (and, when asked, the MD5) of what was written; flips one bit of the read at
     * {@link #corruptAt} (once per read, also in {@code getRange}); delays reads starting at {@link #slowAt}, so
     * later chunks land first.
     */
    static class CorruptingStore extends ForwardingObjectStore {
        final AtomicLong corruptAt = new AtomicLong(-1);
        final AtomicLong slowAt = new AtomicLong(-1);
        final AtomicInteger stats = new AtomicInteger();
        volatile boolean keepsCrc = true;
        /** Which full-object CRC the store keeps (S3 keeps one of the three; AWS's default is CRC64NVME). */
        volatile FullObjectCrc kind = FullObjectCrc.CRC32C;
        /** A stat this slow answers after the first chunks have landed, so they wait for it. */
        volatile long statDelayMillis;
        /** Offers {@link Capability#FULL_OBJECT_MD5}; {@link #keepsMd5} says whether stat has one. */
        volatile boolean offersMd5;
        volatile boolean keepsMd5;

        CorruptingStore(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public Set<Capability> capabilities() {
            Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
            capabilities.addAll(delegate().capabilities());
            if (keepsCrc) {
                capabilities.add(Capability.FULL_OBJECT_CRC32C);
            }
            if (offersMd5) {
                capabilities.add(Capability.FULL_OBJECT_MD5);
            }
            return capabilities;
        }

        @Override
        public ObjectInfo stat(Location location) throws IOException {
            stats.incrementAndGet();
            if (statDelayMillis > 0) {
                // Only makes it likely that chunks land before the stat answers (they then wait for it); no
                // assertion depends on the order. Waiting for a chunk instead would stall the reads that stat
                // first to learn the size.
                try {
                    Thread.sleep(statDelayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            ObjectInfo info = delegate().stat(location);
            ByteBuffer bytes = delegate().get(location).buffer();
            FullObjectCrc keeps = kind;
            Optional<String> crc = keepsCrc ? Optional.of(keeps.base64(keeps.of(bytes))) : Optional.empty();
            Optional<String> md5 = keepsMd5 ? Optional.of(RangeEngineMd5Test.md5Hex(bytes)) : Optional.empty();
            return new ObjectInfo(location, info.size(), info.lastModified(), info.etag(), info.contentType(),
                    info.metadata(), info.storageClass(), info.version(),
                    keeps == FullObjectCrc.CRC32C ? crc : Optional.empty(), md5,
                    keeps == FullObjectCrc.CRC32 ? crc : Optional.empty(),
                    keeps == FullObjectCrc.CRC64NVME ? crc : Optional.empty());
        }

        @Override
        public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
            if (offset == slowAt.get()) {
                // Only makes it likely that later chunks land first; no assertion depends on the order. Waiting
                // for the other chunks instead would stall a reader whose slots all sit in delayed chunks.
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            int start = target.position();
            ReadResult result = delegate().read(location, offset, target);
            long at = corruptAt.get();
            if (at >= offset && at < offset + result.bytesRead()) {
                int index = start + (int) (at - offset);
                target.put(index, (byte) (target.get(index) ^ 0x10));
            }
            return result;
        }

        @Override
        public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
            byte[] bytes = delegate().getRange(location, offset, length).toArray();
            long at = corruptAt.get();
            if (at >= offset && at < offset + bytes.length) {
                bytes[(int) (at - offset)] ^= 0x10;
            }
            return ObjectBytes.wrap(bytes);
        }
    }

    /** The store the reads go to; {@link RangeEngineStreamedChecksumTest} gives one that streams. */
    CorruptingStore newStore(ObjectStore delegate) {
        return new CorruptingStore(delegate);
    }

    /** The engine's streaming piece; irrelevant here, where the store cannot stream. */
    int streamPiece() {
        return RangeEngine.PIECE;
    }

    @BeforeEach
    void setUp() throws IOException {
        memory.createContainer(BUCKET);
        new Random(15).nextBytes(data);
        location = BUCKET.withKey("object.bin");
        memory.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        engine = new RangeEngine(new RangeConfig(true, CHUNK, 2L * CHUNK, 4, 16L * CHUNK), "checksum-test", streamPiece());
    }

    @AfterEach
    void tearDown() throws IOException {
        engine.close();
        memory.close();
    }

    @Test
    void intactObjectsPassEveryPath() throws IOException {
        assertEveryPathReadsIntact();
        assertThat(store.stats.get()).as("one stat per chunked read").isEqualTo(5);
    }

    @Test
    void aFlippedBitInAnyChunkFailsEveryPath() {
        for (long at : new long[] {5, CHUNK + 7, 9L * CHUNK, SIZE - 1}) {
            store.corruptAt.set(at);
            assertEveryPathMismatches();
        }
    }

    /**
     * A stored full-object CRC32 or CRC64NVME (AWS's default for objects uploaded without a checksum) checks every
     * path as a CRC32C does: intact reads pass, a flip anywhere fails naming the algorithm; also when the stat
     * answers after the chunks have landed (they wait for it, then compute the stored kind) and when the store
     * keeps an MD5 beside it (the CRC is preferred, the MD5 stopped).
     */
    @ParameterizedTest
    @EnumSource(FullObjectCrc.class)
    void everyStoredFullObjectCrcChecksEveryPath(FullObjectCrc kind) throws IOException {
        store.kind = kind;
        for (long statDelay : new long[] {0, 30}) {
            store.statDelayMillis = statDelay;
            store.offersMd5 = statDelay > 0;
            store.keepsMd5 = statDelay > 0;
            store.corruptAt.set(-1);
            assertEveryPathReadsIntact();
            for (long at : new long[] {5, CHUNK + 7, SIZE - 1}) {
                store.corruptAt.set(at);
                assertEveryPathMismatches();
            }
        }
    }

    @Test
    void aListenerThatWantsTheChecksumGetsTheEnginesOwnOnePerChunk() throws IOException {
        Crc32c.Pieces pieces = new Crc32c.Pieces();
        AtomicInteger plainCalls = new AtomicInteger();
        RangeEngine.ChunkListener listener = new RangeEngine.ChunkListener() {
            @Override
            public void chunkRead(long offset, ByteBuffer chunk) {
                plainCalls.incrementAndGet();
            }

            @Override
            public void chunkRead(long offset, ByteBuffer chunk, int crc32c) {
                assertThat(crc32c).isEqualTo(Crc32c.of(chunk));
                pieces.add(offset, chunk.remaining(), crc32c);
            }
        };
        assertThat(engine.read(store, location, SIZE, listener).toArray()).isEqualTo(data);
        assertThat(plainCalls).hasValue(0);
        assertThat(pieces.combined(SIZE)).hasValue(Crc32c.of(ByteBuffer.wrap(data)));
        // Without the store's checksum the engine computes none, and the listener is asked plainly.
        store.keepsCrc = false;
        engine.read(store, location, SIZE, listener);
        assertThat(plainCalls.get()).isGreaterThan(1);
    }

    /**
     * A caller that holds the object's CRC32C (a checkpoint manifest) gets it checked with no stat, whether the
     * store keeps a checksum or not; a flipped bit, a wrong expected value and a different size fail, the first
     * two as {@link ChecksumMismatchException} carrying both values; each chunk's CRC32C reaches the listener.
     */
    @Test
    void aCallersExpectedCrcIsCheckedWithoutAStatOnAnyStore() throws IOException {
        int crc = Crc32c.of(ByteBuffer.wrap(data));
        Location small = BUCKET.withKey("small.bin");
        byte[] smallData = java.util.Arrays.copyOf(data, CHUNK + 5); // below the 2-chunk threshold: one GET
        memory.put(small, ByteBuffer.wrap(smallData), WriteOptions.DEFAULT);
        int smallCrc = Crc32c.of(ByteBuffer.wrap(smallData));
        for (boolean keepsCrc : new boolean[] {true, false}) {
            store.keepsCrc = keepsCrc;
            store.corruptAt.set(-1);
            Crc32c.Pieces pieces = new Crc32c.Pieces();
            RangeEngine.ChunkListener listener = new RangeEngine.ChunkListener() {
                @Override
                public void chunkRead(long offset, ByteBuffer chunk) {
                    throw new AssertionError("the engine computed the CRC32C; it must hand it over");
                }

                @Override
                public void chunkRead(long offset, ByteBuffer chunk, int chunkCrc) {
                    pieces.add(offset, chunk.remaining(), chunkCrc);
                }
            };
            assertThat(engine.read(store, location, SIZE, crc, listener).toArray()).isEqualTo(data);
            assertThat(pieces.combined(SIZE)).hasValue(crc);
            assertThat(engine.read(store, small, smallData.length, smallCrc, listener).toArray()).isEqualTo(smallData);
            for (long at : new long[] {5, CHUNK + 7, SIZE - 1}) {
                store.corruptAt.set(at);
                assertMismatch(() -> engine.read(store, location, SIZE, crc, (offset, chunk) -> { }));
            }
            store.corruptAt.set(-1);
            assertThatThrownBy(() -> engine.read(store, location, SIZE, crc ^ 1, (offset, chunk) -> { }))
                    .isInstanceOf(ChecksumMismatchException.class)
                    .satisfies(e -> {
                        assertThat(((ChecksumMismatchException) e).expected()).isEqualTo(Crc32c.base64(crc ^ 1));
                        assertThat(((ChecksumMismatchException) e).actual()).isEqualTo(Crc32c.base64(crc));
                    });
            assertThatThrownBy(() -> engine.read(store, small, smallData.length, smallCrc ^ 1, (offset, chunk) -> { }))
                    .isInstanceOf(ChecksumMismatchException.class);
            assertThatThrownBy(() -> engine.read(store, small, smallData.length + 1, smallCrc, (offset, chunk) -> { }))
                    .isInstanceOf(io.s3dlio.api.StorageException.class).hasMessageContaining("holds " + smallData.length);
            assertThatThrownBy(() -> engine.read(store, location, SIZE + 1L, crc, (offset, chunk) -> { }))
                    .isInstanceOf(io.s3dlio.api.StorageException.class);
        }
        assertThat(store.stats.get()).as("no stat: the caller's value is the reference").isZero();
    }

    @Test
    void partialRangesAndStoresWithoutTheCapabilityAreNotChecked() throws IOException {
        store.corruptAt.set(3L * CHUNK);
        // A part of the object has no stored checksum to compare with: read as asked, no stat sent.
        assertThat(engine.readRange(store, location, CHUNK, OptionalLong.of(5L * CHUNK), OptionalLong.empty()).size())
                .isEqualTo(5L * CHUNK);
        store.keepsCrc = false;
        assertThat(engine.read(store, location, OptionalLong.of(SIZE)).size()).isEqualTo(SIZE);
        assertThat(store.stats.get()).isZero();
    }

    /** The five read paths (size unknown, known, with a listener, into a buffer either way) return the data. */
    private void assertEveryPathReadsIntact() throws IOException {
        assertThat(engine.read(store, location, OptionalLong.empty()).toArray()).isEqualTo(data);
        assertThat(engine.read(store, location, OptionalLong.of(SIZE)).toArray()).isEqualTo(data);
        assertThat(engine.read(store, location, SIZE, (offset, chunk) -> { }).toArray()).isEqualTo(data);
        assertThat(readInto(OptionalLong.empty())).isEqualTo(data);
        assertThat(readInto(OptionalLong.of(SIZE))).isEqualTo(data);
    }

    /** Each of the five read paths fails with a checksum mismatch. */
    private void assertEveryPathMismatches() {
        assertMismatch(() -> engine.read(store, location, OptionalLong.empty()));
        assertMismatch(() -> engine.read(store, location, OptionalLong.of(SIZE)));
        assertMismatch(() -> engine.read(store, location, SIZE, (offset, chunk) -> { }));
        assertMismatch(() -> readInto(OptionalLong.empty()));
        assertMismatch(() -> readInto(OptionalLong.of(SIZE)));
    }

    private byte[] readInto(OptionalLong size) throws IOException {
        byte[] out = new byte[SIZE];
        engine.readInto(store, location, size, (offset, bytes) -> bytes.get(out, (int) offset, bytes.remaining()));
        return out;
    }

    private interface Read {
        Object run() throws IOException;
    }

    private void assertMismatch(Read read) {
        assertThatThrownBy(read::run).isInstanceOf(ChecksumMismatchException.class)
                .hasMessageStartingWith(location.toString())
                .satisfies(e -> assertThat(((ChecksumMismatchException) e).algorithm()).isEqualTo(store.kind.name()));
    }
}
