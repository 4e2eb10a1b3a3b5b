package io.s3dlio.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.engine.buffer.BufferPool;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary file of a download holds exactly the bytes written, whatever mix of O_DIRECT (whole aligned
 * blocks) and page-cache writes (heads, tails, small pieces) the pieces took, in any order from several threads.
 */
class DownloadFileTest {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void unalignedPiecesInAnyOrderFromSeveralThreads() throws Exception {
        // 3 MiB + 7 bytes per piece: every piece after the first starts and ends inside a block.
        assertRoundTrip(5 * 3 * MIB + 1234, 3 * MIB + 7, false, true);
    }

    @Test
    void alignedPiecesWithAShortLastOne() throws Exception {
        assertRoundTrip(8 * MIB + 100, 2 * MIB, false, true);
    }

    @Test
    void alignedDirectSourceBuffers() throws Exception {
        assertRoundTrip(6 * MIB + 4097, 2 * MIB, true, true);
    }

    @Test
    void smallPiecesGoThroughThePageCache() throws Exception {
        Path file = assertRoundTrip(300_001, 64 * 1024, false, true);
        assertThat(file).hasSize(300_001);
    }

    @Test
    void pageCacheOnlyWhenDirectWritesAreOff() throws Exception {
        assertRoundTrip(4 * MIB + 3, MIB + 1, false, false);
    }

    @Test
    void largePiecesOpenTheDirectDescriptorOnlyWhenAllowed() throws Exception {
        byte[] data = new byte[2 * MIB];
        new Random(7).nextBytes(data);
        Path off = dir.resolve("off.bin");
        try (DownloadFile file = new DownloadFile(off, null)) {
            file.write(0, ByteBuffer.wrap(data));
            assertThat(file.writesDirect()).isFalse();
            file.force();
        }
        assertThat(Files.readAllBytes(off)).isEqualTo(data);
        Path on = dir.resolve("on.bin");
        try (DownloadFile file = new DownloadFile(on, DownloadFile.stagingBuffers(2))) {
            file.write(0, ByteBuffer.wrap(data, 0, 1000));
            assertThat(file.writesDirect()).as("a piece below 1 MiB opens no O_DIRECT descriptor").isFalse();
            file.write(1000, ByteBuffer.wrap(data, 1000, data.length - 1000));
            if (Set.of("ext4", "xfs").contains(Files.getFileStore(dir).type())) {
                assertThat(file.writesDirect()).as("filesystems that take O_DIRECT get it").isTrue();
            }
            file.force();
        }
        assertThat(Files.readAllBytes(on)).isEqualTo(data);
    }

    @Test
    void largePiecesGoThroughThePageCacheWhileTheWriteBackBudgetLasts() throws Exception {
        WriteBackBudget budget = budget(2 * MIB + 8192, 4); // 2 MiB and 4 KiB left
        byte[] data = new byte[5 * MIB];
        new Random(11).nextBytes(data);
        Path path = dir.resolve("budget.bin");
        try (DownloadFile file = new DownloadFile(path, DownloadFile.stagingBuffers(2), budget, -1)) {
            file.write(0, ByteBuffer.wrap(data, 0, MIB));
            file.write(MIB, ByteBuffer.wrap(data, MIB, MIB));
            assertThat(file.writesDirect()).as("2 MiB within the budget").isFalse();
            file.write(2 * MIB, ByteBuffer.wrap(data, 2 * MIB, 3 * MIB));
            if (Set.of("ext4", "xfs").contains(Files.getFileStore(dir).type())) {
                assertThat(file.writesDirect()).as("the piece past the budget").isTrue();
            }
            file.force();
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
    }

    @Test
    void aFileOfKnownSizeTakesThePageCacheWholeOrNotAtAll() throws Exception {
        WriteBackBudget budget = budget(3 * MIB, 0);
        byte[] data = new byte[2 * MIB];
        new Random(13).nextBytes(data);
        boolean takesDirect = Set.of("ext4", "xfs").contains(Files.getFileStore(dir).type());
        for (int i = 0; i < 2; i++) {
            Path path = dir.resolve("known-" + i + ".bin");
            try (DownloadFile file = new DownloadFile(path, DownloadFile.stagingBuffers(2), budget, data.length)) {
                file.write(MIB, ByteBuffer.wrap(data, MIB, MIB));
                file.write(0, ByteBuffer.wrap(data, 0, MIB));
                // The first file's 2 MiB fit the 3 MiB budget; the second's do not, though 1 MiB would.
                assertThat(file.writesDirect()).as("file " + i).isEqualTo(i == 1 && takesDirect);
                file.force();
            }
            assertThat(Files.readAllBytes(path)).isEqualTo(data);
        }
    }

    /** A write-back budget of {@code backgroundBytes} less {@code dirtyKib}, from a /proc laid out under the test's dir. */
    private WriteBackBudget budget(long backgroundBytes, long dirtyKib) throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc/sys/vm")).getParent().getParent();
        Files.writeString(proc.resolve("sys/vm/dirty_background_bytes"), String.valueOf(backgroundBytes));
        Files.writeString(proc.resolve("meminfo"), """
                MemFree: 1 kB
                Active(file): 1 kB
                Inactive(file): 1 kB
                Dirty: DIRTY kB
                Writeback: 0 kB
                """.replace("DIRTY", Long.toString(dirtyKib)));
        return new WriteBackBudget(proc, () -> 0L);
    }

    private Path assertRoundTrip(int size, int pieceSize, boolean directSource, boolean directWrites) throws Exception {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        List<long[]> pieces = new ArrayList<>();
        for (long at = 0; at < size; at += pieceSize) {
            pieces.add(new long[] {at, Math.min(pieceSize, size - at)});
        }
        Collections.shuffle(pieces, new Random(pieceSize));
        Path path = dir.resolve("download-" + size + "-" + pieceSize + ".tmp");
        BufferPool staging = directWrites ? DownloadFile.stagingBuffers(4) : null;
        try (DownloadFile file = new DownloadFile(path, staging);
                ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<?>> done = new ArrayList<>();
            for (long[] piece : pieces) {
                done.add(threads.submit(() -> {
                    int offset = (int) piece[0];
                    int length = (int) piece[1];
                    ByteBuffer bytes;
                    if (directSource) {
                        bytes = ByteBuffer.allocateDirect(length + 8192).alignedSlice(4096).slice(0, length);
                        bytes.put(0, data, offset, length);
                    } else {
                        // Not at index 0 of its array, as the range engine's pooled chunks are not always.
                        byte[] holder = new byte[length + 3];
                        System.arraycopy(data, offset, holder, 3, length);
                        bytes = ByteBuffer.wrap(holder, 3, length);
                    }
                    file.write(offset, bytes);
                    assertThat(bytes.hasRemaining()).isFalse();
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            file.force();
        }
        assertThat(Files.readAllBytes(path)).isEqualTo(data);
        return path;
    }
}
