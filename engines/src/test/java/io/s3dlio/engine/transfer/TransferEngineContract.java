package io.s3dlio.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import io.s3dlio.engine.range.RangedObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transfer engine on one store. Reads go through a range engine with small chunks (so downloads of a few
 * hundred KiB run as concurrent chunks written at offsets), over a gate that can hold reads until they are
 * cancelled: the cancellation test needs no sleeps. Subclasses give the environment.
 */
public abstract class TransferEngineContract {
    private static final int CHUNK = (int) RangeConfig.MIN_CHUNK;
    private static final int LARGE = 5 * CHUNK + 17;

    @TempDir
    Path temp;

    private GatedStore gated;
    private RangeEngine rangeEngine;
    private ObjectStore store;
    private MemoryObjectStore other;
    private Location otherPrefix;
    private ExecutorService executor;
    private TransferEngine engine;
    private Location prefix;

    /** The backend under test; the contract never closes it. */
    protected abstract StoreEnvironment environment();

    @BeforeEach
    void setUp() throws IOException {
        gated = new GatedStore(environment().store());
        rangeEngine = new RangeEngine(new RangeConfig(true, CHUNK, CHUNK, 4, 16L * CHUNK), "transfer-test");
        store = new RangedObjectStore(gated, rangeEngine);
        other = new MemoryObjectStore();
        otherPrefix = Location.parse("mem://transfer-other/copies/");
        other.createContainer(otherPrefix.containerRoot());
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("transfer-test-", 0).factory());
        engine = TransferEngine.builder(location -> location.container().equals(otherPrefix.container()) ? other : store)
                .executor(executor).build();
        prefix = environment().newTestPrefix();
    }

    @AfterEach
    void tearDown() throws Exception {
        gated.open();
        engine.close();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).as("transfer threads ended").isTrue();
        rangeEngine.close(); // not the RangedObjectStore: the environment owns the backend
        other.close();
    }

    private byte[] putObject(String key, int size, int seed) throws IOException {
        byte[] data = TestData.bytes(size, seed);
        environment().store().put(prefix.withKey(prefix.key() + key), ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        return data;
    }

    @Test
    void downloadDirectoryKeepsStructureAndReportsEveryEventOnce() throws Exception {
        Map<String, byte[]> objects = new HashMap<>();
        objects.put("tree/a.bin", putObject("tree/a.bin", 1000, 1));
        objects.put("tree/sub/b.bin", putObject("tree/sub/b.bin", LARGE, 2));
        objects.put("tree/sub/deep/c.bin", putObject("tree/sub/deep/c.bin", 3 * CHUNK, 3));
        Path directory = temp.resolve("out");
        RecordingListener listener = new RecordingListener();

        TransferResult result = engine.downloadDirectory(prefix.withKey(prefix.key() + "tree"), ListMode.RECURSIVE,
                directory, TransferOptions.jobs(2), listener).await();

        assertThat(result.failures()).isEmpty();
        assertThat(result.objects()).isEqualTo(3);
        assertThat(result.bytes()).isEqualTo(1000 + LARGE + 3 * CHUNK);
        for (Map.Entry<String, byte[]> entry : objects.entrySet()) {
            assertThat(Files.readAllBytes(directory.resolve(entry.getKey()))).isEqualTo(entry.getValue());
        }
        assertThat(regularFiles(directory)).hasSize(3);
        listener.assertLifecycle(3, 0);
        assertThat(listener.doneItems()).containsExactlyInAnyOrder(
                prefix + "tree/a.bin", prefix + "tree/sub/b.bin", prefix + "tree/sub/deep/c.bin");
        assertThat(listener.bytes()).isEqualTo(result.bytes());
    }

    @Test
    void downloadWithoutFsyncWritesTheSameFilesAndRecreatesDirectoriesRemovedBetweenRuns() throws Exception {
        Map<String, byte[]> objects = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            String key = "nofsync/" + (i % 3 == 0 ? "" : "d" + (i % 3) + "/") + "o" + i + ".bin";
            objects.put(key.substring("nofsync/".length()), putObject(key, i == 5 ? LARGE : 100 + i, 20 + i));
        }
        Path directory = temp.resolve("nofsync-out");
        try (TransferEngine unflushed = TransferEngine.builder(location -> store).executor(executor).fsync(false)
                .build()) {
            for (int run = 0; run < 2; run++) {
                TransferResult result = unflushed.downloadDirectory(prefix.withKey(prefix.key() + "nofsync/"),
                        ListMode.RECURSIVE, directory, TransferOptions.jobs(4), TransferListener.NONE).await();

                assertThat(result.failures()).as("run %d", run).isEmpty();
                assertThat(result.objects()).isEqualTo(objects.size());
                for (Map.Entry<String, byte[]> entry : objects.entrySet()) {
                    assertThat(Files.readAllBytes(directory.resolve(entry.getKey()))).as(entry.getKey())
                            .isEqualTo(entry.getValue());
                }
                assertThat(regularFiles(directory)).as("no temporary file left").hasSize(objects.size());
                // The second run finds the subdirectories gone: each file's directory is created when missing.
                for (String sub : List.of("d1", "d2")) {
                    try (Stream<Path> files = Files.list(directory.resolve(sub))) {
                        for (Path file : files.toList()) {
                            Files.delete(file);
                        }
                    }
                    Files.delete(directory.resolve(sub));
                }
            }
        }
    }

    @Test
    void perItemFailuresAreDataAndNothingPartialIsLeft() throws Exception {
        byte[] present = putObject("f/present.bin", LARGE, 4);
        Location missing = prefix.withKey(prefix.key() + "f/missing.bin");
        Location escaping = prefix.withKey(prefix.key() + "f/evil/../../escape.bin");
        Path directory = temp.resolve("failures");
        Files.createDirectories(directory);
        RecordingListener listener = new RecordingListener();
        List<ObjectRef> refs = List.of(ObjectRef.of(prefix.withKey(prefix.key() + "f/present.bin")),
                ObjectRef.of(missing), ObjectRef.of(escaping));

        TransferResult result = engine.get(refs, GetTarget.toFiles(FileNames.under(directory, prefix.key() + "f/")),
                TransferOptions.jobs(3), listener).await();

        assertThat(result.objects()).isEqualTo(1);
        assertThat(result.cancelled()).isFalse();
        assertThat(result.failures()).extracting(ItemFailure::item)
                .containsExactlyInAnyOrder(missing.toString(), escaping.toString());
        Map<String, Throwable> causes = new HashMap<>();
        result.failures().forEach(failure -> causes.put(failure.item(), failure.cause()));
        assertThat(causes.get(missing.toString())).isInstanceOf(ObjectNotFoundException.class);
        assertThat(causes.get(escaping.toString())).isInstanceOf(RefusedPathException.class)
                .hasMessageContaining("refused");
        assertThat(regularFiles(temp)).containsExactly(directory.resolve("present.bin"));
        assertThat(Files.readAllBytes(directory.resolve("present.bin"))).isEqualTo(present);
        listener.assertLifecycle(1, 2);
    }

    @Test
    void cancellationMidTransferStopsEveryThreadAndLeavesNoFile() throws Exception {
        for (int i = 0; i < 6; i++) {
            putObject("c/o" + i, LARGE, 10 + i);
        }
        Path directory = temp.resolve("cancelled");
        RecordingListener listener = new RecordingListener();
        gated.hold(); // every read from now on waits until interrupted

        TransferHandle handle = engine.downloadDirectory(prefix.withKey(prefix.key() + "c/"), ListMode.RECURSIVE,
                directory, TransferOptions.jobs(2), listener);
        // jobs = 2: exactly two downloads start, and neither can finish.
        assertThat(gated.waiting.tryAcquire(2, 60, TimeUnit.SECONDS)).as("two downloads reached the store").isTrue();
        handle.cancel();
        TransferResult result = handle.completion().get(60, TimeUnit.SECONDS);

        assertThat(result.cancelled()).isTrue();
        assertThat(result.objects()).isZero();
        assertThat(result.failures()).hasSize(2)
                .allSatisfy(failure -> assertThat(failure.cause()).isInstanceOf(CancellationException.class));
        assertThat(regularFiles(temp)).as("no partial or temporary file").isEmpty();
        listener.assertLifecycle(0, 2);
        assertThat(rangeEngine.requestsInFlight()).isZero();
        engine.close();
        executor.shutdown();
        assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).as("no transfer thread left").isTrue();
    }

    @Test
    void getToMemoryInOrderAndDiscardReadTheSameBytes() throws Exception {
        byte[] small = putObject("m/small", 10, 5);
        byte[] large = putObject("m/large", LARGE, 6);
        List<ObjectRef> refs = List.of(ObjectRef.of(prefix.withKey(prefix.key() + "m/small"), small.length),
                ObjectRef.of(prefix.withKey(prefix.key() + "m/large")));
        Map<String, byte[]> memory = Collections.synchronizedMap(new HashMap<>());
        TransferResult whole = engine.get(refs, GetTarget.toMemory((ref, bytes) ->
                memory.put(ref.location().name(), bytes.toArray())), TransferOptions.jobs(2), TransferListener.NONE).await();
        assertThat(whole.isComplete()).isTrue();
        assertThat(memory.get("small")).isEqualTo(small);
        assertThat(memory.get("large")).isEqualTo(large);

        Map<String, java.io.ByteArrayOutputStream> ordered = Collections.synchronizedMap(new HashMap<>());
        TransferResult inOrder = engine.get(refs, GetTarget.inOrder((location, chunk) -> {
            byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            ordered.computeIfAbsent(location.name(), name -> new java.io.ByteArrayOutputStream()).writeBytes(bytes);
        }), TransferOptions.jobs(2), TransferListener.NONE).await();
        assertThat(inOrder.isComplete()).isTrue();
        assertThat(ordered.get("large").toByteArray()).isEqualTo(large);

        TransferResult discarded = engine.get(refs, GetTarget.discard(), TransferOptions.jobs(2), TransferListener.NONE).await();
        assertThat(discarded.isComplete()).isTrue();
        assertThat(discarded.bytes()).isEqualTo(small.length + large.length);
    }

    @Test
    void putUploadAndCopyKeepEveryByte() throws Exception {
        byte[] first = TestData.bytes(LARGE, 7);
        byte[] second = TestData.bytes(5, 8);
        Location a = prefix.withKey(prefix.key() + "p/a");
        Location b = prefix.withKey(prefix.key() + "p/b");
        TransferResult put = engine.put(List.of(PutItem.of(a, ByteBuffer.wrap(first)), PutItem.of(b, ByteBuffer.wrap(second))),
                TransferOptions.jobs(2).withExpected(2, first.length + second.length), TransferListener.NONE).await();
        assertThat(put.isComplete()).isTrue();
        assertThat(environment().store().get(a).toArray()).isEqualTo(first);

        Path local = temp.resolve("up/data");
        Files.createDirectories(local.resolve("nested"));
        Files.write(local.resolve("x.bin"), first);
        Files.write(local.resolve("nested/y.bin"), second);
        Location uploads = prefix.withKey(prefix.key() + "u/");
        RecordingListener listener = new RecordingListener();
        TransferResult uploaded = engine.upload(List.of(temp.resolve("up/absent"), local), uploads, ListMode.RECURSIVE,
                TransferOptions.jobs(2), listener).await();
        assertThat(uploaded.objects()).isEqualTo(2);
        assertThat(uploaded.failures()).extracting(ItemFailure::item)
                .containsExactly(temp.resolve("up/absent").toAbsolutePath().normalize().toString());
        assertThat(environment().store().get(uploads.withKey(uploads.key() + "data/nested/y.bin")).toArray()).isEqualTo(second);
        listener.assertLifecycle(2, 1);

        Location copies = prefix.withKey(prefix.key() + "copies/");
        TransferResult inside = engine.copyTree(uploads.withKey(uploads.key() + "data"), copies, TransferOptions.jobs(2),
                TransferListener.NONE).await();
        assertThat(inside.isComplete()).isTrue();
        assertThat(environment().store().get(copies.withKey(copies.key() + "data/x.bin")).toArray()).isEqualTo(first);

        TransferResult across = engine.copyTree(uploads.withKey(uploads.key() + "data/"), otherPrefix, TransferOptions.jobs(2),
                TransferListener.NONE).await();
        assertThat(across.isComplete()).isTrue();
        assertThat(other.get(otherPrefix.withKey(otherPrefix.key() + "x.bin")).toArray()).isEqualTo(first);
        assertThat(other.get(otherPrefix.withKey(otherPrefix.key() + "nested/y.bin")).toArray()).isEqualTo(second);

        TransferResult single = engine.copyObject(otherPrefix.withKey(otherPrefix.key() + "x.bin"),
                prefix.withKey(prefix.key() + "back.bin"), TransferOptions.jobs(1), TransferListener.NONE).await();
        assertThat(single.bytes()).isEqualTo(first.length);
        assertThat(environment().store().get(prefix.withKey(prefix.key() + "back.bin")).toArray()).isEqualTo(first);
    }

    @Test
    void deleteRemovesAnExplicitList() throws Exception {
        putObject("d/1", 3, 9);
        putObject("d/2", 3, 9);
        List<Location> targets = List.of(prefix.withKey(prefix.key() + "d/1"), prefix.withKey(prefix.key() + "d/2"),
                prefix.withKey(prefix.key() + "d/never-there"));
        RecordingListener listener = new RecordingListener();
        TransferResult result = engine.delete(targets, TransferOptions.jobs(2), listener).await();
        assertThat(result.isComplete()).isTrue();
        assertThat(result.objects()).isEqualTo(3);
        for (Location target : targets) {
            assertThat(environment().store().exists(target)).isFalse();
        }
        listener.assertLifecycle(3, 0);
    }

    @Test
    void deleteGoesThroughDeleteAllPerStoreAndReportsEachItemOnce() throws Exception {
        putObject("b/1", 3, 1);
        putObject("b/2", 3, 2);
        Location first = prefix.withKey(prefix.key() + "b/1");
        Location second = prefix.withKey(prefix.key() + "b/2");
        Location elsewhere = otherPrefix.withKey(otherPrefix.key() + "gone.bin");
        other.put(elsewhere, ByteBuffer.wrap(TestData.bytes(3, 3)), WriteOptions.DEFAULT);
        Location aPrefix = prefix.withKey(prefix.key() + "b/");
        FaultInjectingStore counted = new FaultInjectingStore(store).forbid(FaultInjectingStore.Operation.DELETE);
        RecordingListener listener = new RecordingListener();
        try (TransferEngine counting = TransferEngine.builder(
                location -> location.container().equals(otherPrefix.container()) ? other : counted).build()) {
            TransferResult result = counting.delete(List.of(first, elsewhere, aPrefix, second), TransferOptions.jobs(1),
                    listener).await();
            assertThat(result.objects()).isEqualTo(3);
            assertThat(result.failures()).extracting(ItemFailure::item).containsExactly(aPrefix.toString());
            assertThat(result.failures().getFirst().cause()).hasMessageContaining("names a prefix");
        }
        assertThat(counted.calls(FaultInjectingStore.Operation.DELETE_ALL)).as("one bulk call for both").isEqualTo(1);
        for (Location target : List.of(first, second)) {
            assertThat(environment().store().exists(target)).isFalse();
        }
        assertThat(other.exists(elsewhere)).isFalse();
        listener.assertLifecycle(3, 1);
    }

    @Test
    void aRefusedBulkDeleteFailsEachOfItsItemsAsData() throws Exception {
        putObject("r/1", 3, 1);
        List<Location> targets = List.of(prefix.withKey(prefix.key() + "r/1"), prefix.withKey(prefix.key() + "r/2"));
        FaultInjectingStore refusing = new FaultInjectingStore(store)
                .failAll(FaultInjectingStore.Operation.DELETE_ALL, "HTTP 503 slow down");
        RecordingListener listener = new RecordingListener();
        try (TransferEngine failing = TransferEngine.builder(location -> refusing).build()) {
            TransferResult result = failing.delete(targets, TransferOptions.jobs(1), listener).await();
            assertThat(result.objects()).isZero();
            assertThat(result.failures()).extracting(ItemFailure::item)
                    .containsExactly(targets.get(0).toString(), targets.get(1).toString());
            assertThat(result.failures()).allSatisfy(failure ->
                    assertThat(failure.cause()).hasMessageContaining("HTTP 503 slow down"));
        }
        assertThat(environment().store().exists(targets.get(0))).isTrue();
        listener.assertLifecycle(0, 2);
    }

    @Test
    void anOperationThatCannotStartThrowsAndTimesComeFromTheInjectedClock() throws Exception {
        try (TransferEngine storeless = TransferEngine.builder(location -> {
            throw new IOException(location + ": no store");
        }).build()) {
            assertThatThrownBy(() -> storeless.getAll(prefix, ListMode.RECURSIVE, GetTarget.discard(),
                    TransferOptions.jobs(1), TransferListener.NONE)).isInstanceOf(IOException.class).hasMessageContaining("no store");
        }

        putObject("t/o", 10, 1);
        AtomicInteger ticks = new AtomicInteger();
        try (TransferEngine timed = TransferEngine.builder(location -> store)
                .clock(() -> Instant.EPOCH.plusSeconds(ticks.getAndIncrement())).build()) {
            RecordingListener listener = new RecordingListener();
            TransferResult result = timed.get(List.of(ObjectRef.of(prefix.withKey(prefix.key() + "t/o"))),
                    GetTarget.discard(), TransferOptions.jobs(1), listener).await();
            // One tick per reading of the clock: the start, then each snapshot, then the result.
            assertThat(result.elapsed()).isEqualTo(Duration.ofSeconds(ticks.get() - 1));
            assertThat(listener.started.getFirst().elapsed()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    private static List<Path> regularFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList();
        }
    }

    /** Records every event, checking the fixed lifecycle. */
    static final class RecordingListener implements TransferListener {
        final List<TransferSnapshot> started = Collections.synchronizedList(new ArrayList<>());
        final List<ItemDone> done = Collections.synchronizedList(new ArrayList<>());
        final List<ItemFailure> failed = Collections.synchronizedList(new ArrayList<>());
        final List<TransferResult> completed = Collections.synchronizedList(new ArrayList<>());
        final List<String> order = Collections.synchronizedList(new ArrayList<>());
        private long bytes;

        @Override
        public void started(TransferSnapshot snapshot) {
            started.add(snapshot);
            order.add("started");
        }

        @Override
        public synchronized void bytesTransferred(long count, TransferSnapshot snapshot) {
            bytes += count;
            order.add("bytes");
        }

        @Override
        public void itemDone(ItemDone item, TransferSnapshot snapshot) {
            done.add(item);
            order.add("done");
        }

        @Override
        public void itemFailed(ItemFailure failure, TransferSnapshot snapshot) {
            failed.add(failure);
            order.add("failed");
        }

        @Override
        public void completed(TransferResult result) {
            completed.add(result);
            order.add("completed");
        }

        synchronized long bytes() {
            return bytes;
        }

        List<String> doneItems() {
            return done.stream().map(ItemDone::source).toList();
        }

        void assertLifecycle(int doneCount, int failedCount) {
            assertThat(started).hasSize(1);
            assertThat(completed).hasSize(1);
            assertThat(order.getFirst()).isEqualTo("started");
            assertThat(order.getLast()).isEqualTo("completed");
            assertThat(done).hasSize(doneCount);
            assertThat(failed).hasSize(failedCount);
            List<String> items = new ArrayList<>(doneItems());
            failed.forEach(failure -> items.add(failure.item()));
            assertThat(items).doesNotHaveDuplicates();
            assertThat(completed.getFirst().failures()).hasSize(failedCount);
        }
    }

    /**
     * Passes reads through while open; once closed, every read announces itself and waits until it is
     * interrupted (the cancellation test's way to catch transfers mid-flight without timing).
     */
    static final class GatedStore extends ForwardingObjectStore {
        /** One permit per object whose first read reached the gate. */
        final Semaphore waiting = new Semaphore(0);
        private final java.util.Set<Location> arrived = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        GatedStore(ObjectStore delegate) {
            super(delegate);
        }

        /** From now on, reads wait at the gate until interrupted (or {@link #open()}). */
        void hold() {
            gate = new CountDownLatch(1);
        }

        /** The backend is the environment's: closing this wrapper leaves it open. */
        @Override
        public void close() {
            open();
        }

        void open() {
            gate.countDown();
        }

        private void pass(Location location) throws InterruptedIOException {
            CountDownLatch current = gate;
            if (current.getCount() == 0) {
                return;
            }
            if (arrived.add(location)) {
                waiting.release();
            }
            try {
                current.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException(location + ": interrupted at the gate");
            }
        }

        @Override
        public ObjectBytes get(Location location) throws IOException {
            pass(location);
            return super.get(location);
        }

        @Override
        public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
            pass(location);
            return super.getRange(location, offset, length);
        }

        @Override
        public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
            pass(location);
            return super.read(location, offset, target);
        }
    }
}
