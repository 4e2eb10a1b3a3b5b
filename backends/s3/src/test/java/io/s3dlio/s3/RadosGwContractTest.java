package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.RadosGwServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The whole contract kit on Ceph radosgw, the most faithful S3 server obtainable here. Tagged "radosgw": the
 * default build excludes it and {@code -Pradosgw} (used by .ci/run after bin/lib/install-radosgw.sh) runs it.
 */
@Tag("radosgw")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RadosGwContractTest extends S3ContractSuite {
    /** RadosGwServer's settings have S3DLIO_S3_CHECKSUM=when_required: Pacific refuses the checksum headers. */
    @Override
    protected boolean checksumsOff() {
        return true;
    }

    static S3Environment environment;

    @BeforeAll
    void startServer() throws IOException {
        RadosGwServer server = RadosGwServer.start();
        environment = new S3Environment(server.storeSettings(), server.description(), server);
    }

    @AfterAll
    void stopServer() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    protected StoreEnvironment environment() {
        return environment;
    }

    @Test
    void multipartObjectOfHundredMebibytesPlusOne() throws Exception {
        Location location = environment.bucket().withKey("radosgw-big/object.bin");
        byte[] data = TestData.bytes(100 * 1024 * 1024 + 1, 5);
        WriteResult result;
        try (ObjectWriter writer = environment.store().newWriter(location, WriteOptions.DEFAULT)) {
            writer.write(ByteBuffer.wrap(data));
            result = writer.finish();
        }
        // Default policy, unknown length: 16 MiB parts, 6 full and one of 4 MiB + 1 byte.
        assertThat(result.etag()).hasValueSatisfying(etag -> assertThat(etag).endsWith("-7"));
        assertThat(environment.store().get(location).buffer()).isEqualTo(ByteBuffer.wrap(data));
        assertThat(environment.store().deletePrefix(location.withKey("radosgw-big/")).deleted()).isEqualTo(1);
        try (var left = environment.store().list(location.withKey("radosgw-big/"), ListMode.RECURSIVE)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void multipartCopyWorksHere() throws Exception {
        Location source = environment.bucket().withKey("radosgw-copy/source.bin");
        Location target = environment.bucket().withKey("radosgw-copy/target.bin");
        byte[] data = TestData.bytes(11 * 1024 * 1024 + 5, 6);
        environment.store().put(source, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
        environment.s3Store().multipartCopy(source, target, data.length, 5 * 1024 * 1024);
        assertThat(environment.store().get(target).toArray()).isEqualTo(data);
        assertThat(environment.store().deletePrefix(source.withKey("radosgw-copy/")).deleted()).isEqualTo(2);
    }

}
