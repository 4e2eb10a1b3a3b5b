package io.s3dlio.store.local;

import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.testkit.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The read contracts for file:// with direct read buffers (the default is heap; see LocalStoreConfig). */
class AlternateReadBuffersContractTest {
    static final LocalEnvironment FILE_DIRECT = LocalEnvironment.fileWithDirectBuffers("file-direct-buffers");

    @AfterAll
    static void closeEnvironments() throws IOException {
        FILE_DIRECT.close();
    }

    @Test
    void readsLargerThanOneSliceComeBackWhole() throws Exception {
        // Heap reads go in 1 MiB slices, direct ones in one call: cross several slices, end unaligned.
        byte[] data = TestData.bytes(17 * 1024 * 1024 + 5, 77);
        for (LocalEnvironment env : new LocalEnvironment[] {FILE_DIRECT, LocalEnvironment.file("file-heap"),
                LocalEnvironment.direct("direct-big")}) {
            try {
                Location location = env.newTestPrefix().resolve("big");
                env.store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
                assertThat(env.store().get(location).toArray()).isEqualTo(data);
                assertThat(env.store().getRange(location, 4095, OptionalLong.of(9 * 1024 * 1024)).toArray())
                        .isEqualTo(Arrays.copyOfRange(data, 4095, 4095 + 9 * 1024 * 1024));
            } finally {
                if (env != FILE_DIRECT) {
                    env.close();
                }
            }
        }
    }

    @Nested class FileRead extends ReadContract { @Override protected StoreEnvironment environment() { return FILE_DIRECT; } }
    @Nested class FileRangeRead extends RangeReadContract { @Override protected StoreEnvironment environment() { return FILE_DIRECT; } }
}
