package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.s3dlio.api.Compression;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** newWriter: streaming writes, finish, abort, close-without-finish, compression and checksums. */
public abstract class StreamingWriterContract extends ContractSupport {

    /** Bytes a "large" streamed object has; backends with multipart raise this past one part. */
    protected int largeObjectSize() {
        return DEFAULT_LARGE_OBJECT_SIZE;
    }

    /** The default of {@link #largeObjectSize()}. */
    public static final int DEFAULT_LARGE_OBJECT_SIZE = 3 * 1024 * 1024 + 1;

    @Test
    void chunksAreJoinedInOrder() throws Exception {
        Location location = at("streamed");
        byte[] data = TestData.bytes(largeObjectSize(), 21);
        WriteResult result;
        try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT)) {
            int offset = 0;
            int chunk = 1;
            while (offset < data.length) {
                int n = Math.min(chunk, data.length - offset);
                writer.write(data, offset, n);
                offset += n;
                chunk = chunk * 3 + 7; // uneven chunk sizes, crossing any part boundary
            }
            assertThat(writer.bytesWritten()).isEqualTo(data.length);
            result = writer.finish();
        }
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(result.crc32c()).isEqualTo((int) crc.getValue());
        assertThat(result.bytesWritten()).isEqualTo(data.length);
        assertThat(store().get(location).toArray()).isEqualTo(data);
    }

    @Test
    void nothingIsVisibleBeforeFinish() throws Exception {
        Location location = at("pending");
        try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(1000, 2)));
            assertThat(store().exists(location)).isFalse();
            writer.finish();
        }
        assertThat(store().exists(location)).isTrue();
    }

    @Test
    protected void abortLeavesNothing() throws Exception {
        Location location = at("aborted");
        try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(largeObjectSize(), 3)));
            writer.abort();
            writer.abort(); // idempotent
        }
        assertThat(store().exists(location)).isFalse();
        try (var listing = store().list(prefix, io.s3dlio.api.ListMode.RECURSIVE)) {
            assertThat(listing.toList()).as("no temporary or partial objects under the prefix").isEmpty();
        }
    }

    @Test
    void closeWithoutFinishAborts() throws Exception {
        Location location = at("closed-early");
        ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT);
        writer.write(ByteBuffer.wrap(TestData.bytes(5000, 4)));
        writer.close();
        writer.close();
        assertThat(store().exists(location)).isFalse();
    }

    @Test
    void abortKeepsThePreviousObject() throws Exception {
        Location location = at("keep-old");
        byte[] old = putRandom(location, 300, 5);
        try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(TestData.bytes(700, 6)));
        }
        assertThat(store().get(location).toArray()).isEqualTo(old);
    }

    @Test
    void emptyStream() throws Exception {
        Location location = at("empty-stream");
        try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT)) {
            assertThat(writer.finish().bytesWritten()).isZero();
        }
        assertThat(store().get(location).size()).isZero();
    }

    @Test
    void writeAfterFinishFails() throws Exception {
        Location location = at("finished");
        ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT);
        writer.write(ByteBuffer.wrap(new byte[] {1}));
        writer.finish();
        assertThatThrownBy(() -> writer.write(ByteBuffer.wrap(new byte[] {2}))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(writer::finish).isInstanceOf(IllegalStateException.class);
        writer.close(); // no-op after finish: the object stays
        assertThat(store().get(location).toArray()).containsExactly(1);
    }

    @Test
    void zstdCompressionStoresDecodableBytesAndChecksumsTheOriginal() throws Exception {
        Location location = at("compressed.zst");
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ("the quick brown fox ".charAt(i % 20));
        }
        WriteResult result;
        try (ObjectWriter writer = store().newWriter(location, WriteOptions.DEFAULT.withCompression(Compression.zstd(3)))) {
            writer.write(ByteBuffer.wrap(data));
            result = writer.finish();
        }
        byte[] stored = store().get(location).toArray();
        assertThat(result.storedBytes()).isEqualTo(stored.length).isLessThan(data.length / 10);
        assertThat(Zstd.decompress(stored, data.length)).isEqualTo(data);
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(result.crc32c()).isEqualTo((int) crc.getValue());
    }
}
