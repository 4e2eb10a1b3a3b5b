package io.s3dlio.engine.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.testkit.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PartedObjectWriterTest {
    private static final Location LOCATION = Location.parse("mem://bucket/object");

    /** A hand-written service: keeps parts in memory, counts concurrency, fails a chosen part. */
    static final class RecordingTarget implements PartUploadTarget<Integer> {
        final Map<Integer, byte[]> parts = new ConcurrentHashMap<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final int failPart;
        final CountDownLatch slowFirst;
        byte[] committed;
        int wholePuts;
        int wholeCapacity;
        final List<Integer> partCapacities = java.util.Collections.synchronizedList(new ArrayList<>());
        boolean begun;
        boolean aborted;

        RecordingTarget(int failPart, CountDownLatch slowFirst) {
            this.failPart = failPart;
            this.slowFirst = slowFirst;
        }

        @Override
        public Optional<String> putWhole(ByteBuffer data) {
            wholePuts++;
            wholeCapacity = data.capacity();
            committed = new byte[data.remaining()];
            data.get(committed);
            return Optional.of("whole");
        }

        @Override
        public void begin() {
            begun = true;
        }

        @Override
        public Integer uploadPart(int partNumber, ByteBuffer data) throws IOException {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try {
                if (slowFirst != null) {
                    slowFirst.await();
                }
                if (partNumber == failPart) {
                    throw new IOException("injected failure in part " + partNumber);
                }
                byte[] copy = new byte[data.remaining()];
                partCapacities.add(data.capacity());
                data.get(copy);
                parts.put(partNumber, copy);
                return partNumber;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            } finally {
                concurrent.decrementAndGet();
            }
        }

        @Override
        public Optional<String> complete(List<Integer> receipts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < receipts.size(); i++) {
                assertThat(receipts.get(i)).as("receipts in part order").isEqualTo(i + 1);
                out.writeBytes(parts.get(receipts.get(i)));
            }
            committed = out.toByteArray();
            return Optional.of("multi-" + receipts.size());
        }

        @Override
        public void abort() {
            aborted = true;
            parts.clear();
        }
    }

    @Test
    void smallObjectIsOneWholePut() throws Exception {
        RecordingTarget target = new RecordingTarget(-1, null);
        byte[] data = TestData.bytes(1000, 1);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, target, new PartSizing.Fixed(4096), 4)) {
            writer.write(ByteBuffer.wrap(data));
            assertThat(writer.finish().etag()).hasValue("whole");
        }
        assertThat(target.begun).isFalse();
        assertThat(target.wholePuts).isEqualTo(1);
        assertThat(target.committed).isEqualTo(data);
    }

    @Test
    void aSmallObjectOfKnownSizeDoesNotAllocateAWholePart() throws Exception {
        RecordingTarget target = new RecordingTarget(-1, null);
        byte[] data = TestData.bytes(64 * 1024, 3);
        WriteOptions options = WriteOptions.DEFAULT.withExpectedSize(data.length);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, options, target,
                new PartSizing.Fixed(16 * 1024 * 1024), 4)) {
            writer.write(ByteBuffer.wrap(data));
            writer.finish();
        }
        assertThat(target.wholePuts).isEqualTo(1);
        assertThat(target.wholeCapacity).as("buffer of a 64 KiB object with 16 MiB parts: its size class above it")
                .isBetween(data.length + 1, data.length + data.length / 8);
        assertThat(target.committed).isEqualTo(data);
    }

    @Test
    void anUnderestimatedSizeGrowsTheFirstBufferIntoWholeParts() throws Exception {
        RecordingTarget target = new RecordingTarget(-1, null);
        byte[] data = TestData.bytes(3 * 4096 + 5, 4);
        WriteOptions options = WriteOptions.DEFAULT.withExpectedSize(100);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, options, target, new PartSizing.Fixed(4096), 4)) {
            for (int i = 0; i < data.length; i += 1000) {
                writer.write(ByteBuffer.wrap(data, i, Math.min(1000, data.length - i)));
            }
            assertThat(writer.finish().etag()).hasValue("multi-4");
        }
        assertThat(target.committed).isEqualTo(data);
        assertThat(target.parts.get(1)).as("every part but the last is a whole part").hasSize(4096);
        assertThat(target.parts.get(2)).hasSize(4096);
        assertThat(target.parts.get(3)).hasSize(4096);
        assertThat(target.parts.get(4)).hasSize(5);
    }

    @Test
    void exactlyOnePartIsStillOneWholePut() throws Exception {
        RecordingTarget target = new RecordingTarget(-1, null);
        byte[] data = TestData.bytes(4095, 2);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, target, new PartSizing.Fixed(4096), 4)) {
            writer.write(ByteBuffer.wrap(data));
            writer.finish();
        }
        assertThat(target.wholePuts).isEqualTo(1);
        assertThat(target.committed).isEqualTo(data);
    }

    @Test
    void partsAreUploadedConcurrentlyWithinTheBoundAndJoinedInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RecordingTarget target = new RecordingTarget(-1, release);
        byte[] data = TestData.bytes(10 * 4096 + 5, 3);
        WriteResult result;
        try (PartedObjectWriter<Integer> writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, target,
                new PartSizing.Fixed(4096), 3)) {
            Thread releaser = Thread.ofVirtual().start(() -> {
                // Every part waits until three are in flight at once: the writer must stop at the bound.
                while (target.concurrent.get() < 3) {
                    Thread.onSpinWait();
                }
                release.countDown();
            });
            for (int offset = 0; offset < data.length; offset += 1000) {
                writer.write(data, offset, Math.min(1000, data.length - offset));
            }
            result = writer.finish();
            releaser.join();
        }
        assertThat(result.etag()).as("11 parts completed").hasValue("multi-11");
        assertThat(target.committed).isEqualTo(data);
        assertThat(target.maxConcurrent.get()).isLessThanOrEqualTo(3).isGreaterThan(1);
        assertThat(target.aborted).isFalse();
    }

    @Test
    void aFailedPartAbortsTheUpload() throws Exception {
        RecordingTarget target = new RecordingTarget(3, null);
        byte[] data = TestData.bytes(8 * 4096, 4);
        PartedObjectWriter<Integer> writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, target,
                new PartSizing.Fixed(4096), 2);
        assertThatThrownBy(() -> {
            writer.write(ByteBuffer.wrap(data));
            writer.finish();
        }).isInstanceOf(IOException.class).hasMessageContaining("injected failure in part 3");
        writer.close();
        assertThat(target.aborted).isTrue();
        assertThat(target.committed).isNull();
    }

    @Test
    void closeWithoutFinishAbortsABegunUpload() throws Exception {
        RecordingTarget target = new RecordingTarget(-1, null);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, target, new PartSizing.Fixed(4096), 2)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(3 * 4096, 5)));
        }
        assertThat(target.begun).isTrue();
        assertThat(target.aborted).isTrue();
        assertThat(target.committed).isNull();
    }

    @Test
    void writeFromReadsAChannelIntoThePartsWithTheSameBytesAndCrcAsWrite() throws Exception {
        byte[] data = TestData.bytes(10 * 4096 + 17, 6);
        PartBufferPool pool = new PartBufferPool(4, true);
        RecordingTarget target = new RecordingTarget(-1, null);
        WriteResult fromChannel;
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT.withExpectedSize(data.length),
                target, new UploadPlan(new PartSizing.Fixed(4096), 3), pool)) {
            // A channel that yields at most 1,000 bytes per read: parts fill over several reads.
            ReadableByteChannel in = trickle(data, 1000);
            assertThat(writer.writeFrom(in, ByteBuffer.allocate(1))).isEqualTo(data.length);
            fromChannel = writer.finish();
        }
        assertThat(target.committed).isEqualTo(data);
        assertThat(target.partCapacities).as("parts come from the pool, every part buffer a whole part").containsOnly(4096);
        RecordingTarget plain = new RecordingTarget(-1, null);
        WriteResult fromWrite;
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, plain, new PartSizing.Fixed(4096), 3)) {
            writer.write(ByteBuffer.wrap(data));
            fromWrite = writer.finish();
        }
        assertThat(fromChannel.crc32c()).isEqualTo(fromWrite.crc32c());
        assertThat(fromChannel.bytesWritten()).isEqualTo(data.length);
        assertThat(pool.idle()).as("buffers handed back after their parts, at most maxIdle kept").isBetween(1, 4);
    }

    @Test
    void aChannelEndingOnAPartBoundaryAddsNoEmptyPart() throws Exception {
        byte[] data = TestData.bytes(3 * 4096, 7);
        RecordingTarget target = new RecordingTarget(-1, null);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT, target,
                new UploadPlan(new PartSizing.Fixed(4096), 2), new PartBufferPool(3, false))) {
            writer.writeFrom(trickle(data, 4096), ByteBuffer.allocate(1));
            assertThat(writer.finish().etag()).hasValue("multi-3");
        }
        assertThat(target.committed).isEqualTo(data);
    }

    @Test
    void poolKeepsAtMostMaxIdleBuffersAndReusesOnlyOneOfTheAskedSize() throws IOException {
        PartBufferPool pool = new PartBufferPool(2, false);
        ByteBuffer a = pool.take(100);
        ByteBuffer b = pool.take(100);
        ByteBuffer c = pool.take(100);
        pool.give(a);
        pool.give(b);
        pool.give(c);
        assertThat(pool.idle()).isEqualTo(2);
        assertThat(pool.take(100)).isSameAs(a);
        ByteBuffer other = pool.take(200);
        assertThat(other.capacity()).as("a buffer of another size is not handed out").isEqualTo(200);
        assertThat(pool.idle()).as("the other idle buffer is kept for a request of its size").isEqualTo(1);
        assertThat(pool.take(100)).isSameAs(b);
        assertThat(pool.allocated()).isEqualTo(4);
    }

    @Test
    void smallObjectsTakeBuffersOfTheirOwnSizeFromTheSharedPoolAndReuseThem() throws Exception {
        PartBufferPool pool = PartBufferPool.bounded(2, true);
        UploadPlan plan = new UploadPlan(new PartSizing.Fixed(1024 * 1024), 2);
        for (int i = 0; i < 50; i++) {
            byte[] data = TestData.bytes(100_000, 50 + i);
            RecordingTarget target = new RecordingTarget(-1, null);
            try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT.withExpectedSize(data.length),
                    target, plan, pool)) {
                writer.writeFrom(trickle(data, 30_000), ByteBuffer.allocate(1));
                writer.finish();
            }
            assertThat(target.wholePuts).as("object %d in one request", i).isEqualTo(1);
            assertThat(target.committed).as("object %d", i).isEqualTo(data);
            assertThat(target.wholeCapacity).as("a buffer of about the object's size, not a part")
                    .isBetween(data.length + 1, data.length + data.length / 8);
        }
        assertThat(pool.allocated()).as("one buffer for fifty objects written in turn").isEqualTo(1);
        assertThat(pool.mostBytesOut()).isEqualTo(PartedObjectWriter.sizeClass(100_001));
        assertThat(pool.buffersOut()).isZero();
    }

    @Test
    @Timeout(120) // a hang guard: a taker that never wakes would otherwise stall the build
    void aBoundedPoolCountsSmallBuffersByTheirBytes() throws Exception {
        PartBufferPool pool = PartBufferPool.bounded(2, false); // two parts of 4096: 8192 bytes
        List<ByteBuffer> small = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ByteBuffer buffer = pool.take(1000, 4096);
            pool.uploading(buffer);
            small.add(buffer);
        }
        assertThat(pool.bytesOut()).as("eight small buffers fit the budget of two parts").isEqualTo(8000);
        assertThat(pool.budgetBytesNow()).hasValue(8192);
        // A whole part does not fit beside them: it waits until the uploads hand enough bytes back.
        AtomicReference<ByteBuffer> part = new AtomicReference<>();
        Thread taker = Thread.ofPlatform().name("part-taker").start(() -> {
            try {
                part.set(pool.take(4096, 4096));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Polls (the @Timeout is its deadline) until the taker is parked inside take(): only then does the
        // assertion below show that it waits, rather than that it has not started yet.
        while (taker.getState() != Thread.State.WAITING && taker.isAlive()) {
            Thread.sleep(5);
        }
        assertThat(part.get()).as("the part waits while 8000 of 8192 bytes are out").isNull();
        pool.give(small.get(0));
        pool.give(small.get(1));
        pool.give(small.get(2));
        pool.give(small.get(3));
        taker.join();
        assertThat(part.get().capacity()).isEqualTo(4096);
        assertThat(pool.mostBytesOut()).as("never more bytes out than the budget").isLessThanOrEqualTo(8192);
        for (int i = 4; i < 8; i++) {
            pool.give(small.get(i));
        }
        pool.give(part.get());
        assertThat(pool.bytesOut()).isZero();
    }

    @Test
    @Timeout(120) // a hang guard: a pool that deadlocked its writers would otherwise stall the build
    void fourConcurrentUploadsShareOneBoundedPool() throws Exception {
        int budget = 4;
        PartBufferPool pool = PartBufferPool.bounded(budget, false);
        int writers = 4;
        // Every part upload waits for the gate (RecordingTarget's slowFirst latch).
        CountDownLatch gate = new CountDownLatch(1);
        List<RecordingTarget> targets = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < writers; i++) {
            RecordingTarget target = new RecordingTarget(-1, gate);
            byte[] bytes = TestData.bytes(10 * 4096 + 100, 20 + i);
            targets.add(target);
            data.add(bytes);
            // Each writer alone may have 4 parts uploading plus one filling: 5, and 20 for the four unbounded.
            threads.add(Thread.ofPlatform().name("writer-" + i).start(() -> {
                try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT.withExpectedSize(bytes.length),
                        target, new UploadPlan(new PartSizing.Fixed(4096), 4), pool)) {
                    writer.writeFrom(trickle(bytes, 1500), ByteBuffer.allocate(1));
                    writer.finish();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        // Every upload is held until the pool is at its bound, so an unbounded pool would hand out more first.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (pool.buffersOut() < budget && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.buffersOut()).as("the writers filled the pool to its bound").isEqualTo(budget);
        gate.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failures).isEmpty();
        for (int i = 0; i < writers; i++) {
            assertThat(targets.get(i).committed).as("object %d", i).isEqualTo(data.get(i));
        }
        assertThat(pool.mostBuffersOut()).as("high-water mark of buffers out across the four uploads").isLessThanOrEqualTo(budget);
        assertThat(pool.buffersOut()).as("every buffer handed back").isZero();
    }

    @Test
    @Timeout(120) // a hang guard, as above
    void objectsWrittenInTurnOnOneThreadGoPastTheBudgetRatherThanWaitForThemselves() throws Exception {
        PartBufferPool pool = PartBufferPool.bounded(1, false);
        RecordingTarget first = new RecordingTarget(-1, null);
        RecordingTarget second = new RecordingTarget(-1, null);
        byte[] a = TestData.bytes(3 * 4096, 30);
        byte[] b = TestData.bytes(3 * 4096, 31);
        UploadPlan plan = new UploadPlan(new PartSizing.Fixed(4096), 2);
        try (ObjectWriter one = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT.withExpectedSize(a.length), first, plan, pool);
                ObjectWriter two = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT.withExpectedSize(b.length), second, plan, pool)) {
            one.write(ByteBuffer.wrap(a, 0, 100)); // holds the pool's one buffer, filling
            two.write(ByteBuffer.wrap(b)); // nothing uploading could free one: it gets its own
            one.write(ByteBuffer.wrap(a, 100, a.length - 100));
            one.finish();
            two.finish();
        }
        assertThat(first.committed).isEqualTo(a);
        assertThat(second.committed).isEqualTo(b);
        assertThat(pool.buffersOut()).isZero();
    }

    @Test
    void aFailedUploadHandsItsBuffersBackToTheBudget() throws Exception {
        PartBufferPool pool = PartBufferPool.bounded(2, false);
        RecordingTarget target = new RecordingTarget(2, null);
        byte[] data = TestData.bytes(6 * 4096, 32);
        try (ObjectWriter writer = new PartedObjectWriter<>(LOCATION, WriteOptions.DEFAULT.withExpectedSize(data.length), target,
                new UploadPlan(new PartSizing.Fixed(4096), 2), pool)) {
            assertThatThrownBy(() -> {
                writer.write(ByteBuffer.wrap(data));
                writer.finish();
            }).hasMessageContaining("injected failure in part 2");
        }
        assertThat(target.aborted).isTrue();
        assertThat(pool.buffersOut()).as("the failed part's buffer, and every other, returned to the budget").isZero();
    }

    private static ReadableByteChannel trickle(byte[] data, int most) {
        return new ReadableByteChannel() {
            private int position;

            @Override
            public int read(ByteBuffer into) {
                if (position == data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(most, into.remaining()), data.length - position);
                into.put(data, position, n);
                position += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void growingPartsNeverExceedThePartLimit() {
        UploadLimits limits = new UploadLimits(1024, 1L << 40, 100, 1);
        PartSizing sizing = PartSizing.growing(1024, limits);
        long total = 0;
        List<Long> sizes = new ArrayList<>();
        for (int part = 1; part <= limits.maxParts(); part++) {
            long size = sizing.partSize(part);
            sizes.add(size);
            total += size;
        }
        assertThat(sizes).isSortedAccordingTo(Long::compare);
        // 100 parts that started at 1 KiB hold over 5,000 times what fixed 1 KiB parts could (100 KiB).
        assertThat(total).isGreaterThan(5000L * 100 * 1024);
    }

    @Test
    void knownSizeRaisesThePartSizeToFitTheLimit() {
        UploadLimits limits = UploadLimits.S3;
        PartSizing sizing = PartSizing.of(8L << 20, OptionalLong.of(200L << 30), limits);
        assertThat(sizing.partSize(1) * limits.maxParts()).isGreaterThanOrEqualTo(200L << 30);
        assertThat(PartSizing.of(1, OptionalLong.of(10), limits).partSize(1)).isEqualTo(limits.minPartSize());
        assertThat(UploadLimits.GCS.clamp(300 * 1024) % (256 * 1024)).isZero();
    }
}
