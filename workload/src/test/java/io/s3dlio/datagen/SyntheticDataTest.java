package io.s3dlio.datagen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SyntheticDataTest {
    private static final int BLOCK = SyntheticData.DEFAULT_BLOCK_SIZE;

    private static byte[] generate(SyntheticData data, long objectIndex, int size) {
        byte[] out = new byte[size];
        SyntheticStream stream = data.newStream(objectIndex, size);
        assertThat(stream.read(out, 0, size)).isEqualTo(size);
        assertThat(stream.read(new byte[1], 0, 1)).isZero();
        return out;
    }

    private static double zstdRatio(byte[] bytes) {
        return (double) bytes.length / Zstd.compress(bytes, 3).length;
    }

    @Test
    void incompressibleMeansZstdRatioBelowOnePointZeroOne() {
        byte[] bytes = generate(SyntheticData.random(1), 0, 8 * 1024 * 1024);
        assertThat(zstdRatio(bytes)).isLessThan(1.01);
        assertThat(zstdRatio(generate(SyntheticData.random(2), 3, 1_000_003))).isLessThan(1.01);
    }

    @ParameterizedTest
    @CsvSource({"2, 1.8, 2.2", "4, 3.6, 4.4", "3, 2.7, 3.3", "1.5, 1.35, 1.65"})
    void compressFactorIsWhatZstdReaches(double factor, double low, double high) {
        byte[] bytes = generate(new SyntheticData(11, BLOCK, 1, factor), 0, 8 * 1024 * 1024);
        assertThat(zstdRatio(bytes)).isBetween(low, high);
    }

    @ParameterizedTest
    @CsvSource({"1", "2", "4"})
    void dedupFactorSetsTheShareOfUniqueBlocks(int factor) {
        SyntheticData data = new SyntheticData(5, BLOCK, factor, 1.0);
        int objects = 16;
        int blocksPerObject = 16;
        Set<String> distinct = new HashSet<>();
        int total = 0;
        for (int object = 0; object < objects; object++) {
            byte[] bytes = generate(data, object, blocksPerObject * BLOCK);
            for (int b = 0; b < blocksPerObject; b++) {
                distinct.add(Arrays.toString(Arrays.copyOfRange(bytes, b * BLOCK, (b + 1) * BLOCK)));
                total++;
            }
        }
        double uniqueShare = (double) distinct.size() / total;
        assertThat(uniqueShare).isCloseTo(1.0 / factor, org.assertj.core.data.Offset.offset(0.01));
        assertThat(1.0 - uniqueShare).as("duplicate share").isCloseTo(1.0 - 1.0 / factor, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        byte[] a = generate(new SyntheticData(9, BLOCK, 2, 2), 4, 300_001);
        byte[] b = generate(new SyntheticData(9, BLOCK, 2, 2), 4, 300_001);
        byte[] c = generate(new SyntheticData(10, BLOCK, 2, 2), 4, 300_001);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void anyChunkingGivesTheSameBytes() {
        SyntheticData data = new SyntheticData(3, 4096, 1, 2.0);
        int size = 50_000;
        byte[] whole = generate(data, 2, size);
        SyntheticStream stream = data.newStream(2, size);
        byte[] pieces = new byte[size];
        int at = 0;
        int step = 1;
        while (at < size) {
            int n = stream.read(pieces, at, Math.min(step, size - at));
            at += n;
            step = step * 3 % 1013 + 1;  // odd, unaligned chunk sizes
        }
        assertThat(pieces).isEqualTo(whole);
        ByteBuffer direct = ByteBuffer.allocateDirect(size);
        data.newStream(2, size).read(direct);
        direct.flip();
        byte[] fromDirect = new byte[size];
        direct.get(fromDirect);
        assertThat(fromDirect).isEqualTo(whole);
    }

    @Test
    void refusesBadFactors() {
        assertThatThrownBy(() -> new SyntheticData(1, BLOCK, 0, 1)).hasMessageContaining("dedup");
        assertThatThrownBy(() -> new SyntheticData(1, BLOCK, 1, 0.5)).hasMessageContaining("compress");
        assertThatThrownBy(() -> new SyntheticData(1, 100, 1, 1)).hasMessageContaining("block size");
        assertThatThrownBy(() -> SyntheticData.random(1).newStream(0, -1)).hasMessageContaining("negative");
    }
}
