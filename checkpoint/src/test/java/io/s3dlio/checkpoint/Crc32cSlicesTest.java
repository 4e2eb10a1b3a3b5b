package io.s3dlio.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cSlicesTest {
    private static int reference(byte[] data, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length);
        return (int) crc.getValue();
    }

    @Test
    void combiningTwoPartsEqualsTheWhole() {
        byte[] data = TestData.bytes(10_007, 1);
        for (int cut : new int[] {0, 1, 7, 4096, 10_006, 10_007}) {
            int combined = Crc32cSlices.combine(reference(data, 0, cut), reference(data, cut, data.length - cut),
                    data.length - cut);
            assertThat(combined).as("cut at %d", cut).isEqualTo(reference(data, 0, data.length));
        }
    }

    @Test
    void slicedOnThreadsEqualsOnePassIncludingAShortLastSliceAndAnOffsetBuffer() throws Exception {
        int size = Crc32cSlices.PARALLEL_THRESHOLD + 3 * Crc32cSlices.SLICE + 12_345;
        byte[] data = TestData.bytes(size + 100, 2);
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("crc-test-", 0).factory())) {
            ByteBuffer view = ByteBuffer.wrap(data, 100, size).slice();
            assertThat(Crc32cSlices.of(view, executor)).isEqualTo(reference(data, 100, size));
            ByteBuffer positioned = ByteBuffer.wrap(data).position(100);
            assertThat(Crc32cSlices.of(positioned, executor)).isEqualTo(reference(data, 100, size));
            assertThat(positioned.position()).isEqualTo(100);
            assertThat(Crc32cSlices.of(ByteBuffer.wrap(data, 0, 5000), executor)).isEqualTo(reference(data, 0, 5000));
        }
    }
}
