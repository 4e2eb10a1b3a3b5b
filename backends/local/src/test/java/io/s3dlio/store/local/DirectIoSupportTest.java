package io.s3dlio.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * direct:// on file systems other than the disk: a refusal of O_DIRECT must be a clear error naming the path,
 * never a silent fall-back to buffered I/O. These tests need /proc and /dev/shm and fail (not skip) without them.
 */
class DirectIoSupportTest {
    private final DirectObjectStore store = new DirectObjectStore();

    @Test
    void procfsRefusesODirectWithAClearError() throws Exception {
        // procfs has never supported O_DIRECT on any kernel: the kernel answers EINVAL at open.
        Path status = Path.of("/proc/self/status");
        assertThat(Files.getFileStore(status).type()).as("/proc must be procfs here").isEqualTo("proc");
        Location location = Location.parse("direct://" + status);
        assertThatThrownBy(() -> store.get(location))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(location.toString())
                .hasMessageContaining("O_DIRECT is not supported by the file system at /proc/self/status (proc)")
                .hasMessageContaining("file://");
        assertThatThrownBy(() -> store.getRange(location, 0, java.util.OptionalLong.of(10)))
                .isInstanceOf(StorageException.class).hasMessageContaining("O_DIRECT is not supported");
        // The same file reads fine without O_DIRECT: the error is about O_DIRECT, not the file.
        // (procfs reports size 0, so file:// reads it as an empty object.)
        FileObjectStore buffered = new FileObjectStore();
        assertThat(buffered.exists(Location.parse("file://" + status))).isTrue();
        assertThat(buffered.get(Location.parse("file://" + status)).size()).isZero();
    }

    /**
     * tmpfs refused O_DIRECT (EINVAL) until Linux 6.6, which added direct I/O to shmem. The expectation follows
     * the running kernel, so this test checks the store's behaviour on both sides of that change.
     */
    @Test
    void tmpfsFollowsTheKernel() throws Exception {
        Path shm = Path.of("/dev/shm");
        assertThat(shm).as("this test needs /dev/shm").isDirectory();
        assertThat(Files.getFileStore(shm).type()).as("/dev/shm must be tmpfs here").isEqualTo("tmpfs");
        Path dir = Files.createTempDirectory(shm, "s3dlio-direct-");
        try {
            Location location = Location.parse("direct://" + dir.resolve("object.bin"));
            byte[] data = TestData.bytes(3 * 4096 + 7, 1);
            if (kernelAtLeast(6, 6)) {
                store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
                assertThat(store.get(location).toArray()).isEqualTo(data);
                assertThat(store.capabilities()).contains(Capability.DIRECT_IO);
            } else {
                assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT))
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining(location.toString())
                        .hasMessageContaining("O_DIRECT is not supported by the file system at " + dir)
                        .hasMessageContaining("tmpfs");
                try (var left = Files.list(dir)) {
                    assertThat(left.toList()).as("no temporary file is left behind").isEmpty();
                }
            }
        } finally {
            try (var left = Files.list(dir)) {
                for (Path path : left.toList()) {
                    Files.delete(path);
                }
            }
            Files.delete(dir);
        }
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] parts = System.getProperty("os.version").toLowerCase(Locale.ROOT).split("[^0-9]+");
        int kernelMajor = Integer.parseInt(parts[0]);
        int kernelMinor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        return kernelMajor > major || (kernelMajor == major && kernelMinor >= minor);
    }
}
