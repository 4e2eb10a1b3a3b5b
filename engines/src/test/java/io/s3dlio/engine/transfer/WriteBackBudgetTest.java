package io.s3dlio.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background write-back threshold as the kernel counts it, spent by downloads and read again once spent. */
class WriteBackBudgetTest {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path proc;

    private final AtomicLong nanos = new AtomicLong();

    @BeforeEach
    void vm() throws IOException {
        Files.createDirectories(proc.resolve("sys/vm"));
        Files.writeString(proc.resolve("sys/vm/dirty_background_bytes"), "0\n");
        Files.writeString(proc.resolve("sys/vm/dirty_background_ratio"), "10\n");
    }

    private void meminfo(long freeMib, long activeFileMib, long inactiveFileMib, long dirtyMib, long writebackMib)
            throws IOException {
        Files.writeString(proc.resolve("meminfo"), String.join("\n",
                "MemTotal:       24684032 kB",
                "MemFree:        " + freeMib * 1024 + " kB",
                "MemAvailable:   12340928 kB",
                "Active(anon):     123456 kB",
                "Active(file):   " + activeFileMib * 1024 + " kB",
                "Inactive(file): " + inactiveFileMib * 1024 + " kB",
                "Dirty:          " + dirtyMib * 1024 + " kB",
                "Writeback:      " + writebackMib * 1024 + " kB",
                "WritebackTmp:          0 kB", ""));
    }

    @Test
    void tenPercentOfFreeAndFileCacheLessWhatIsDirtyAlready() throws IOException {
        meminfo(6000, 2000, 2000, 150, 50); // 10 % of 10,000 MiB = 1,000 MiB, less 200 dirty or under write-back
        assertThat(budget().read()).hasValue(800 * MIB);
    }

    @Test
    void dirtyBackgroundBytesWinsOverTheRatio() throws IOException {
        meminfo(6000, 2000, 2000, 100, 0);
        Files.writeString(proc.resolve("sys/vm/dirty_background_bytes"), String.valueOf(300 * MIB));
        assertThat(budget().read()).hasValue(200 * MIB);
    }

    @Test
    void spentPiecesGoDirectUntilTheKernelIsAskedAgainASecondLater() throws IOException {
        meminfo(8, 1, 1, 0, 0); // 10 % of 10 MiB: 1 MiB
        WriteBackBudget budget = budget();
        assertThat(budget.take(MIB / 2)).isTrue();
        assertThat(budget.take(MIB / 2)).isTrue();
        assertThat(budget.take(MIB / 2)).as("spent").isFalse();
        meminfo(80, 10, 10, 0, 0); // the kernel wrote back, memory was freed: 10 MiB
        nanos.addAndGet(WriteBackBudget.REREAD_NANOS - 1);
        assertThat(budget.take(MIB / 2)).as("not read again within a second").isFalse();
        nanos.addAndGet(1);
        assertThat(budget.take(MIB / 2)).isTrue();
        assertThat(budget.read()).hasValue(10 * MIB);
    }

    @Test
    void withoutTheKernelsFiguresEveryLargePieceGoesDirect() throws IOException {
        assertThat(budget().take(1)).as("no meminfo (not Linux)").isFalse();
        Files.writeString(proc.resolve("meminfo"), "MemFree: 100 kB\n");
        assertThat(budget().take(1)).as("a meminfo without the file-cache lines").isFalse();
        assertThatThrownBy(() -> WriteBackBudget.MemInfo.parse("MemFree: 100 kB\n"))
                .hasMessageContaining("Active(file)");
    }

    @Test
    void thisMachinesBudgetReads() {
        assertThat(WriteBackBudget.system().read()).as("the project runs on Linux").isPresent();
    }

    @Test
    void sysctlFilesAreReadWhole() throws Exception {
        // Java's Files.readString read "10" from this file as "1" (a /proc/sys file ends at any later offset).
        for (String name : new String[] {"dirty_background_ratio", "dirty_ratio", "dirty_expire_centisecs"}) {
            Path file = Path.of("/proc/sys/vm", name);
            Process cat = new ProcessBuilder("cat", file.toString()).start();
            String expected = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertThat(cat.waitFor()).isZero();
            assertThat(WriteBackBudget.number(file)).as(name).isEqualTo(Long.parseLong(expected));
        }
    }

    private WriteBackBudget budget() {
        return new WriteBackBudget(proc, nanos::get);
    }
}
