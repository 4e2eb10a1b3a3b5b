package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** put: whole-object writes. */
public abstract class WriteContract extends ContractSupport {

    @Test
    void putCreatesAndReportsChecksum() throws Exception {
        Location location = at("new-object");
        byte[] data = TestData.bytes(10_000, 1);
        ByteBuffer input = ByteBuffer.wrap(data);
        WriteResult result = store().put(location, input, WriteOptions.DEFAULT);
        CRC32C crc = new CRC32C();
        crc.update(data);
        assertThat(result.crc32c()).isEqualTo((int) crc.getValue());
        assertThat(result.bytesWritten()).isEqualTo(10_000);
        assertThat(result.location()).isEqualTo(location);
        assertThat(input.position()).as("put must not consume the caller's buffer").isZero();
        assertThat(store().get(location).toArray()).isEqualTo(data);
    }

    @Test
    void putOverwritesWholeObject() throws Exception {
        Location location = at("overwrite");
        putRandom(location, 5000, 1);
        byte[] second = putRandom(location, 17, 2);
        assertThat(store().get(location).toArray()).isEqualTo(second);
        assertThat(store().stat(location).size()).isEqualTo(17);
    }

    @Test
    void putEmptyObject() throws Exception {
        Location location = at("empty");
        putRandom(location, 0, 0);
        assertThat(store().exists(location)).isTrue();
        assertThat(store().get(location).size()).isZero();
        assertThat(store().stat(location).size()).isZero();
    }

    @Test
    void putKeepsContentTypeAndMetadataWhereSupported() throws Exception {
        Location location = at("with-metadata");
        WriteOptions options = WriteOptions.DEFAULT.withContentType("application/x-test")
                .withMetadata(Map.of("owner", "loader", "epoch", "3"));
        store().put(location, ByteBuffer.wrap(new byte[] {1, 2, 3}), options);
        ObjectInfo info = store().stat(location);
        if (store().capabilities().contains(Capability.USER_METADATA)) {
            assertThat(info.contentType()).hasValue("application/x-test");
            assertThat(info.metadata()).containsEntry("owner", "loader").containsEntry("epoch", "3");
        } else {
            // A store that does not claim USER_METADATA must not pretend to keep it either.
            assertThat(info.metadata()).isEmpty();
        }
    }

    @Test
    void putRefusesPrefixLocation() {
        Location directory = at("dir/");
        assertThatThrownBy(() -> store().put(directory, ByteBuffer.allocate(1), WriteOptions.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void putUnderDeepKey() throws Exception {
        Location location = at("a/b/c/d/e/leaf.bin");
        byte[] data = putRandom(location, 99, 5);
        assertThat(store().get(location).toArray()).isEqualTo(data);
    }
}
