package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class S3ConfigTest {

    @Test
    void defaultsLeaveEverythingToTheSdkChains() {
        S3Config config = S3Config.from(ConfigSource.empty());
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.region()).isEmpty();
        assertThat(config.addressing()).isEqualTo(S3Config.Addressing.VIRTUAL_HOST);
        assertThat(config.credentials()).isEmpty();
        assertThat(config.requestChecksum()).isEqualTo(S3Config.ChecksumMode.WHEN_SUPPORTED);
        assertThat(config.uploads().speedTier()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.uploads().uploadConcurrency()).isEqualTo(8);
        assertThat(config.maxRetries()).isEqualTo(3);
    }

    @Test
    void customEndpointTurnsOnPathStyleAndUsEast1() {
        S3Config config = S3Config.from(ConfigSource.of(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000")));
        assertThat(config.endpoint()).contains(URI.create("http://127.0.0.1:9000"));
        assertThat(config.addressing()).isEqualTo(S3Config.Addressing.PATH);
        assertThat(config.region()).contains("us-east-1");
    }

    @Test
    void s3SpecificEndpointWinsAndEverythingIsOverridable() {
        S3Config config = S3Config.from(ConfigSource.of(Map.of(
                "AWS_ENDPOINT_URL", "http://general:1", "AWS_ENDPOINT_URL_S3", "https://s3only:2",
                "S3DLIO_S3_PATH_STYLE", "false", "AWS_DEFAULT_REGION", "eu-west-1",
                "AWS_REQUEST_CHECKSUM_CALCULATION", "when_required",
                "S3DLIO_S3_READ_TIMEOUT", "90s", "S3DLIO_S3_MAX_RETRIES", "7",
                "S3DLIO_PART_SIZE", "24MiB", "S3DLIO_UPLOAD_CONCURRENCY", "3")));
        assertThat(config.endpoint()).contains(URI.create("https://s3only:2"));
        assertThat(config.addressing()).isEqualTo(S3Config.Addressing.VIRTUAL_HOST);
        assertThat(config.region()).contains("eu-west-1");
        assertThat(config.requestChecksum()).isEqualTo(S3Config.ChecksumMode.WHEN_REQUIRED);
        assertThat(config.responseChecksum()).isEqualTo(S3Config.ChecksumMode.WHEN_SUPPORTED);
        assertThat(config.readTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.maxRetries()).isEqualTo(7);
        assertThat(config.uploads().preferredPartSize(java.util.OptionalLong.empty(), java.util.OptionalLong.empty()))
                .isEqualTo(24L * 1024 * 1024);
        assertThat(config.uploads().uploadConcurrency()).isEqualTo(3);
    }

    @Test
    void checksumShortcutSetsBothModes() {
        S3Config config = S3Config.from(ConfigSource.of(Map.of("S3DLIO_S3_CHECKSUM", "WHEN_REQUIRED",
                "AWS_RESPONSE_CHECKSUM_VALIDATION", "when_supported")));
        assertThat(config.requestChecksum()).isEqualTo(S3Config.ChecksumMode.WHEN_REQUIRED);
        assertThat(config.responseChecksum()).isEqualTo(S3Config.ChecksumMode.WHEN_REQUIRED);
    }

    @Test
    void secretsAreRedacted() {
        S3Config config = S3Config.from(ConfigSource.of(Map.of("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "very-secret-value", "AWS_SESSION_TOKEN", "token-value")));
        assertThat(config.credentials()).isPresent();
        assertThat(config.toString()).contains("AKIDEXAMPLE").doesNotContain("very-secret-value")
                .doesNotContain("token-value");
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("AWS_ACCESS_KEY_ID", "only-the-id"))))
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("AWS_ENDPOINT_URL", "localhost:9000"))))
                .hasMessageContaining("AWS_ENDPOINT_URL");
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("S3DLIO_S3_CHECKSUM", "always"))))
                .hasMessageContaining("S3DLIO_S3_CHECKSUM");
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("S3DLIO_UPLOAD_CONCURRENCY", "0"))))
                .hasMessageContaining("S3DLIO_UPLOAD_CONCURRENCY");
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("S3DLIO_S3_MAX_RETRIES", "-1"))))
                .hasMessageContaining("maxRetries");
    }
}
