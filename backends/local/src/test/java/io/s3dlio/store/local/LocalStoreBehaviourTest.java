package io.s3dlio.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the contract kit cannot see from outside: atomicity on disk, temp files, the key rules. */
class LocalStoreBehaviourTest {
    enum Kind { FILE, DIRECT }

    private static final LocalEnvironment FILE = LocalEnvironment.file("LocalStoreBehaviourTest-file");
    private static final LocalEnvironment DIRECT = LocalEnvironment.direct("LocalStoreBehaviourTest-direct");

    @AfterAll
    static void closeEnvironments() throws IOException {
        FILE.close();
        DIRECT.close();
    }

    private static LocalEnvironment environment(Kind kind) {
        return kind == Kind.FILE ? FILE : DIRECT;
    }

    /** Every temporary file anywhere under {@code root}, found with the raw file system. */
    private static List<Path> tempFiles(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(path -> path.getFileName().toString().contains(LocalPaths.TEMP_MARKER)).toList();
        }
    }

    private static List<String> listedKeys(ObjectStore store, Location prefix, ListMode mode) throws IOException {
        try (Stream<ListEntry> entries = store.list(prefix, mode)) {
            return entries.map(entry -> entry.location().key()).sorted().toList();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void concurrentReadersSeeTheOldOrTheNewObjectNeverAMix(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("hot-object");
        // Two versions of different sizes (one unaligned), so a torn read shows up as wrong length or bytes.
        byte[] first = TestData.bytes(256 * 1024, 1);
        byte[] second = TestData.bytes(300 * 1024 + 17, 2);
        env.store().put(location, ByteBuffer.wrap(first), WriteOptions.DEFAULT);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ExecutorService readers = Executors.newFixedThreadPool(2, Thread.ofPlatform().name("reader-", 0).factory());
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                running.add(readers.submit(() -> {
                    while (writing.get()) {
                        byte[] seen = env.store().get(location).toArray();
                        assertThat(Arrays.equals(seen, first) || Arrays.equals(seen, second))
                                .as("read %d bytes that are neither version", seen.length).isTrue();
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int i = 0; i < 40; i++) {
                env.store().put(location, ByteBuffer.wrap(i % 2 == 0 ? second : first), WriteOptions.DEFAULT);
            }
            writing.set(false);
            for (Future<?> reader : running) {
                reader.get();
            }
        } finally {
            writing.set(false);
            readers.shutdown();
        }
        assertThat(reads.get()).isPositive();
        assertThat(tempFiles(env.root())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFailedFinishLeavesNothingUnderTheNameAndNoTemporaryFile(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("occupied");
        // A non-empty directory holds the name, so the final rename fails after all bytes were written.
        Path occupied = location.localPath();
        Files.createDirectories(occupied.resolve("child"));
        ObjectWriter writer = env.store().newWriter(location, WriteOptions.DEFAULT);
        writer.write(ByteBuffer.wrap(TestData.bytes(100_000, 3)));
        assertThat(tempFiles(occupied.getParent())).as("the bytes went to a temporary file").hasSize(1);
        assertThatThrownBy(writer::finish).isInstanceOf(StorageException.class)
                .hasMessageContaining(location.toString()).hasMessageContaining("directory");
        writer.close();
        assertThat(Files.isDirectory(occupied.resolve("child"))).as("the directory is untouched").isTrue();
        assertThat(tempFiles(env.root())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFailedOverwriteKeepsTheOldObject(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("precious");
        byte[] old = TestData.bytes(5000, 4);
        env.store().put(location, ByteBuffer.wrap(old), WriteOptions.DEFAULT);
        try (ObjectWriter writer = env.store().newWriter(location, WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(9000, 5)));
            // The write fails part-way (here: the caller gives up with an exception); close aborts it.
        }
        assertThat(env.store().get(location).toArray()).isEqualTo(old);
        assertThat(tempFiles(env.root())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void temporaryFilesNeverShowUpInListings(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location prefix = env.newTestPrefix();
        env.store().put(prefix.resolve("done"), ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT);
        try (ObjectWriter writer = env.store().newWriter(prefix.resolve("sub/pending"), WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(10_000, 6)));
            assertThat(tempFiles(prefix.localPath())).as("a temporary file exists on disk").hasSize(1);
            assertThat(listedKeys(env.store(), prefix, ListMode.RECURSIVE)).containsExactly(prefix.key() + "done");
            // sub/ holds only a temporary file: not an object, so not a prefix either
            assertThat(listedKeys(env.store(), prefix, ListMode.ONE_LEVEL)).containsExactly(prefix.key() + "done");
            assertThat(env.store().deletePrefix(prefix.resolve("sub/")).deleted()).isZero();
            writer.abort();
        }
        assertThat(tempFiles(env.root())).isEmpty();
        assertThat(prefix.localPath().resolve("sub")).as("the directory the aborted write created is gone").doesNotExist();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void temporaryFileNamesAreReserved(Kind kind) {
        LocalEnvironment env = environment(kind);
        Location reserved = env.newTestPrefix().resolve(".data.bin" + LocalPaths.TEMP_MARKER + "0123456789abcdef");
        assertThatThrownBy(() -> env.store().put(reserved, ByteBuffer.allocate(1), WriteOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void keysThatTryToEscapeAreRefusedAndTouchNothing(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location prefix = env.newTestPrefix();
        Path outside = prefix.localPath().getParent().resolve("escaped");
        Location sneaky = prefix.resolve("../escaped");
        Location dotted = prefix.resolve("./x");
        Location doubled = prefix.withKey(prefix.key() + "a//b");
        ObjectStore store = env.store();
        for (Location bad : List.of(sneaky, dotted, doubled)) {
            assertThatThrownBy(() -> store.put(bad, ByteBuffer.allocate(3), WriteOptions.DEFAULT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.toString())
                    .hasMessageContaining("outside");
            assertThatThrownBy(() -> store.get(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.newWriter(bad, WriteOptions.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.deletePrefix(prefix.resolve("../"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list(prefix.resolve("../"), ListMode.RECURSIVE)).isInstanceOf(IllegalArgumentException.class);
        Location inside = prefix.resolve("inside");
        store.put(inside, ByteBuffer.allocate(1), WriteOptions.DEFAULT);
        assertThatThrownBy(() -> store.rename(inside, sneaky)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.copy(inside, sneaky)).isInstanceOf(IllegalArgumentException.class);
        assertThat(outside).doesNotExist();
        assertThat(store.exists(inside)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aDirectoryIsNeverAnObject(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location prefix = env.newTestPrefix();
        env.store().put(prefix.resolve("dir/inner"), ByteBuffer.allocate(1), WriteOptions.DEFAULT);
        Location dir = prefix.resolve("dir");
        assertThatThrownBy(() -> env.store().get(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining(dir.toString()).hasMessageContaining("is a directory");
        assertThatThrownBy(() -> env.store().stat(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining("is a directory");
        assertThat(env.store().exists(dir)).isFalse();
        assertThatThrownBy(() -> env.store().delete(dir)).isInstanceOf(StorageException.class)
                .hasMessageContaining("is a directory");
        assertThat(env.store().exists(prefix.resolve("dir/inner"))).isTrue();
        // A key below a file: absent, not an error about the file.
        assertThat(env.store().exists(prefix.resolve("dir/inner/deeper"))).isFalse();
        assertThatThrownBy(() -> env.store().put(prefix.resolve("dir/inner/deeper"), ByteBuffer.allocate(1),
                WriteOptions.DEFAULT)).isInstanceOf(StorageException.class).hasMessageContaining("not a directory");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void containerCallsSayWhatIsInTheWay(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location prefix = env.newTestPrefix();
        Location file = prefix.resolve("file");
        env.store().put(file, ByteBuffer.allocate(1), WriteOptions.DEFAULT);
        Path path = file.localPath();
        assertThatThrownBy(() -> env.store().createContainer(file)).isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining(path + " exists and is not a directory");
        assertThatThrownBy(() -> env.store().deleteContainer(prefix)).isInstanceOf(StorageException.class)
                .hasMessageContaining("directory " + prefix.localPath() + " is not empty");
        Location missing = prefix.resolve("missing/");
        assertThatThrownBy(() -> env.store().listContainers(missing)).isInstanceOf(StorageException.class)
                .hasMessageContaining("no directory at " + missing.localPath() + " to list directories in");
        assertThatThrownBy(() -> env.store().listContainers(file)).isInstanceOf(StorageException.class)
                .hasMessageContaining("no directory at " + path);
        assertThat(env.store().exists(file)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void deletePrefixRemovesTheDirectoriesItEmptiedAndNothingOutside(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location prefix = env.newTestPrefix();
        ObjectStore store = env.store();
        for (String key : List.of("data1/a", "data1/b/c", "da/x", "db/y", "d", "keep/z")) {
            store.put(prefix.resolve(key), ByteBuffer.allocate(1), WriteOptions.DEFAULT);
        }
        Files.createDirectories(prefix.localPath().resolve("data-empty-untouched"));
        DeleteResult result = store.deletePrefix(prefix.resolve("da"));
        assertThat(result.isComplete()).isTrue();
        assertThat(result.deleted()).isEqualTo(3);
        assertThat(listedKeys(store, prefix, ListMode.RECURSIVE))
                .containsExactly(prefix.key() + "d", prefix.key() + "db/y", prefix.key() + "keep/z");
        Path root = prefix.localPath();
        assertThat(root.resolve("data1")).doesNotExist();
        assertThat(root.resolve("da")).doesNotExist();
        assertThat(root.resolve("data-empty-untouched")).as("only directories it emptied").isDirectory();
        assertThat(root).isDirectory();
        assertThatThrownBy(() -> store.deletePrefix(Location.parse(prefix.scheme() + ":///")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void statAndListingAgreeAndTheEtagChangesOnOverwrite(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("tagged");
        String firstTag = env.store().put(location, ByteBuffer.wrap(new byte[10]), WriteOptions.DEFAULT).etag().orElseThrow();
        assertThat(env.store().stat(location).etag()).hasValue(firstTag);
        try (Stream<ListEntry> entries = env.store().list(location, ListMode.RECURSIVE)) {
            assertThat(entries.toList()).singleElement().isInstanceOfSatisfying(ListEntry.ObjectEntry.class,
                    entry -> assertThat(entry.etag()).hasValue(firstTag));
        }
        env.store().put(location, ByteBuffer.wrap(new byte[11]), WriteOptions.DEFAULT);
        assertThat(env.store().stat(location).etag()).isPresent().get().isNotEqualTo(firstTag);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void longNamesStillGetATemporaryFile(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("é".repeat(127)); // 254 bytes of UTF-8
        byte[] data = TestData.bytes(4097, 8);
        env.store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        assertThat(env.store().get(location).toArray()).isEqualTo(data);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void rangesAreViewsOfExactlyTheRequestedBytes(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("ranges");
        byte[] data = TestData.bytes(3 * 4096 + 5, 9);
        env.store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        ObjectBytes range = env.store().getRange(location, 4095, OptionalLong.of(4098));
        assertThat(range.size()).isEqualTo(4098);
        ByteBuffer view = range.buffer();
        assertThat(view.position()).isZero();
        assertThat(view.limit()).isEqualTo(4098);
        assertThat(view.isReadOnly()).isTrue();
        assertThat(range.toArray()).isEqualTo(Arrays.copyOfRange(data, 4095, 4095 + 4098));
        // An aligned direct target takes the no-bounce path on direct://; any target works on both.
        ByteBuffer aligned = ByteBuffer.allocateDirect(3 * 4096).alignedSlice(4096);
        aligned.limit(2 * 4096);
        assertThat(env.store().read(location, 4096, aligned).bytesRead()).isEqualTo(2 * 4096);
        byte[] got = new byte[2 * 4096];
        aligned.flip().get(got);
        assertThat(got).isEqualTo(Arrays.copyOfRange(data, 4096, 3 * 4096));
    }

    @org.junit.jupiter.api.Test
    void directReadsIntoHeapBuffersReuseOneBounceBuffer() throws Exception {
        DirectObjectStore store = (DirectObjectStore) DIRECT.store();
        Location location = DIRECT.newTestPrefix().resolve("bounced");
        byte[] data = TestData.bytes(3 * 1024 * 1024 + 7, 12);
        store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        int before = store.bouncesAllocated();
        ByteBuffer heap = ByteBuffer.allocate(64 * 1024 + 1); // unaligned length, heap: needs the bounce path
        byte[] got = new byte[data.length];
        int offset = 0;
        while (offset < data.length) {
            int n = store.read(location, offset, heap.clear()).bytesRead();
            heap.flip().get(got, offset, n);
            offset += n;
        }
        assertThat(got).isEqualTo(data);
        // 49 reads in sequence: one bounce buffer at most (none if an earlier test left one idle), not 49 of
        // direct memory that only the garbage collector would give back.
        assertThat(store.bouncesAllocated() - before).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void streamingWriterHandlesChunksAcrossTheStagingBuffer(Kind kind) throws Exception {
        LocalEnvironment env = environment(kind);
        Location location = env.newTestPrefix().resolve("streamed-big");
        // More than the 4 MiB default staging of direct://, ending in an unaligned tail.
        byte[] data = TestData.bytes(9 * 1024 * 1024 + 333, 10);
        try (ObjectWriter writer = env.store().newWriter(location, WriteOptions.DEFAULT)) {
            for (int offset = 0; offset < data.length; offset += 1_000_003) {
                writer.write(data, offset, Math.min(1_000_003, data.length - offset));
            }
            writer.finish();
        }
        assertThat(Files.size(location.localPath())).isEqualTo(data.length);
        assertThat(env.store().get(location).toArray()).isEqualTo(data);
        Location copy = location.withKey(location.key() + "-copy");
        env.store().copy(location, copy);
        assertThat(env.store().get(copy).toArray()).isEqualTo(data);
    }
}
