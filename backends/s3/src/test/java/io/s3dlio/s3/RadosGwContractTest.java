package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.RadosGwServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
    static Map<String, String> serverSettings;

    @BeforeAll
    void startServer() throws IOException {
        RadosGwServer server = RadosGwServer.start();
        serverSettings = server.storeSettings();
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

    /**
     * The lean GET/HEAD path (the default here: a configured endpoint) is what the contract above ran on, and
     * radosgw's SigV4 check accepts it for keys whose canonical URI needs encoding; answers and failures match
     * the SDK path (S3DLIO_S3_LEAN_GET=false) on the same server.
     */
    @Test
    void leanGetsAndHeadsAreAcceptedAndAnsweredAsOnTheSdkPath() throws Exception {
        assertThat(environment.s3Store().client().toString()).startsWith("LeanS3Client");
        Location location = environment.bucket().withKey("radosgw-lean/a b+c%d=e&f~g,h;i:j@k(l)m'n!o*p$q é.bin");
        byte[] data = TestData.bytes(200_000, 7);
        environment.store().put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT.withContentType("application/x-lean")
                .withMetadata(Map.of("owner", "lean")));
        assertThat(environment.store().get(location).toArray()).isEqualTo(data);
        assertThat(environment.store().getRange(location, 1_000, OptionalLong.of(10)).toArray())
                .isEqualTo(Arrays.copyOfRange(data, 1_000, 1_010));
        try (S3ObjectStore sdk = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(
                sdkSettings()))) {
            assertThat(sdk.client().toString()).doesNotStartWith("LeanS3Client");
            assertThat(environment.s3Store().stat(location)).isEqualTo(sdk.stat(location));
            Location missing = environment.bucket().withKey("radosgw-lean/missing");
            Location noBucket = Location.parse("s3://radosgw-lean-no-such-bucket/key");
            for (Location absent : List.of(missing, noBucket)) {
                assertThat(failure(() -> environment.s3Store().get(absent))).isEqualTo(failure(() -> sdk.get(absent)));
                assertThat(failure(() -> environment.s3Store().stat(absent))).isEqualTo(failure(() -> sdk.stat(absent)));
            }
        }
        environment.store().delete(location);
    }

    private static Map<String, String> sdkSettings() {
        Map<String, String> settings = new HashMap<>(serverSettings);
        settings.put(S3Config.LEAN_GET, "false");
        settings.put(S3Config.LEAN_PUT, "false");
        return settings;
    }

    private interface Failing {
        void run() throws IOException;
    }

    private static String failure(Failing call) {
        try {
            call.run();
            return "no failure";
        } catch (IOException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
