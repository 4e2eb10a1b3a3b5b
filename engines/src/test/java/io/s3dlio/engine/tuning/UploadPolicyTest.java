package io.s3dlio.engine.tuning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.engine.tuning.ConcurrencyPolicy.StoreKind;
import io.s3dlio.engine.upload.PartSizing;
import io.s3dlio.engine.upload.UploadLimits;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UploadPolicyTest {
    private static final long MIB = 1024L * 1024;

    private static UploadPolicy policy(Map<String, String> variables) {
        return new UploadPolicy(TuningConfig.from(ConfigSource.of(variables)));
    }

    @Test
    void tiersFollowTheLinkSpeed() {
        assertThat(policy(Map.of()).speedTier()).isEqualTo(16 * MIB);
        assertThat(policy(Map.of("S3DLIO_NETWORK_SPEED_GBPS", "25")).speedTier()).isEqualTo(32 * MIB);
        assertThat(policy(Map.of("S3DLIO_NETWORK_SPEED_GBPS", "100")).speedTier()).isEqualTo(64 * MIB);
    }

    @Test
    void knownSizeStepsDownSoEverySlotIsUsed() {
        UploadPolicy fast = policy(Map.of("S3DLIO_NETWORK_SPEED_GBPS", "100"));
        assertThat(fast.preferredPartSize(OptionalLong.empty(), OptionalLong.of(20 * MIB))).isEqualTo(16 * MIB);
        assertThat(fast.preferredPartSize(OptionalLong.empty(), OptionalLong.of(300 * MIB))).isEqualTo(32 * MIB);
        assertThat(fast.preferredPartSize(OptionalLong.empty(), OptionalLong.of(3L << 30))).isEqualTo(64 * MIB);
        assertThat(fast.preferredPartSize(OptionalLong.empty(), OptionalLong.empty())).isEqualTo(64 * MIB);
    }

    @Test
    void explicitSizeWinsAndFloorApplies() {
        UploadPolicy floored = policy(Map.of("S3DLIO_MIN_PART_SIZE", "48MiB"));
        assertThat(floored.preferredPartSize(OptionalLong.empty(), OptionalLong.of(20 * MIB))).isEqualTo(48 * MIB);
        assertThat(floored.preferredPartSize(OptionalLong.of(6 * MIB), OptionalLong.of(20 * MIB))).isEqualTo(6 * MIB);
        assertThat(policy(Map.of("S3DLIO_PART_SIZE", "10MiB")).preferredPartSize(OptionalLong.empty(), OptionalLong.empty()))
                .isEqualTo(10 * MIB);
    }

    @Test
    void backendLimitsApplyLast() {
        UploadPolicy policy = policy(Map.of());
        PartSizing s3Huge = policy.partSizing(WriteOptions.DEFAULT.withExpectedSize(1L << 40), UploadLimits.S3);
        assertThat(s3Huge.partSize(1) * UploadLimits.S3.maxParts()).isGreaterThanOrEqualTo(1L << 40);
        PartSizing s3Tiny = policy.partSizing(WriteOptions.DEFAULT.withPartSize(1024), UploadLimits.S3);
        assertThat(s3Tiny.partSize(1)).isEqualTo(5 * MIB);
        PartSizing gcs = policy.partSizing(WriteOptions.DEFAULT.withPartSize(10 * MIB + 1), UploadLimits.GCS);
        assertThat(gcs.partSize(1) % (256 * 1024)).isZero();
    }

    @Test
    void badSettingsAreRefusedNamingTheVariable() {
        assertThatThrownBy(() -> policy(Map.of("S3DLIO_NETWORK_SPEED_GBPS", "-1")))
                .hasMessageContaining("S3DLIO_NETWORK_SPEED_GBPS");
        assertThatThrownBy(() -> policy(Map.of("S3DLIO_LOADER_NUM_WORKERS", "0")))
                .hasMessageContaining("S3DLIO_LOADER_NUM_WORKERS");
    }

    @Test
    void jobsFollowBackendCountAndSize() {
        ConcurrencyPolicy policy = new ConcurrencyPolicy(TuningConfig.defaults(), 2);
        assertThat(policy.jobs(StoreKind.LOCAL, 1000, 1000 * MIB)).isEqualTo(8);
        assertThat(policy.jobs(StoreKind.NETWORK, 10_000, 10_000 * 64 * 1024)).isEqualTo(64);
        assertThat(policy.jobs(StoreKind.NETWORK, 100, 100 * 16 * MIB)).isEqualTo(32);
        assertThat(policy.jobs(StoreKind.NETWORK, 4, 4L << 30)).isEqualTo(4);
        assertThat(policy.jobs(StoreKind.NETWORK, 40, 40L << 30)).isEqualTo(8);
        assertThat(policy.jobs(StoreKind.NETWORK, -1, 0)).isEqualTo(32);
        ConcurrencyPolicy explicit = new ConcurrencyPolicy(TuningConfig.from(ConfigSource.of(Map.of("S3DLIO_JOBS", "5"))), 2);
        assertThat(explicit.jobs(StoreKind.NETWORK, 10_000, 1)).isEqualTo(5);
        assertThat(policy.loaderWorkers()).isEqualTo(8);
        assertThat(new ConcurrencyPolicy(TuningConfig.from(ConfigSource.of(Map.of("S3DLIO_LOADER_NUM_WORKERS", "3"))), 2)
                .loaderWorkers()).isEqualTo(3);
    }
}
