package io.s3dlio.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceVersion;
import io.s3dlio.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mapping settings to AzureConfig: precedence, endpoints, bounds and redaction. */
class AzureConfigTest {

    private static AzureConfig map(Map<String, String> settings) {
        return AzureConfig.from(ConfigSource.of(settings));
    }

    @Test
    void nothingSetMeansDefaultAzureCredentialAndDefaults() {
        AzureConfig config = map(Map.of());
        assertThat(config.authentication()).isEqualTo(AzureConfig.Authentication.DEFAULT_AZURE_CREDENTIAL);
        assertThat(config.blockSize()).as("the adaptive policy decides").isEmpty();
        assertThat(config.blocksInFlight()).isEmpty();
        assertThat(config.uploads().uploadConcurrency()).isEqualTo(8);
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.serviceVersion()).isEmpty();
    }

    @Test
    void connectionStringWinsAndProvidesAccountAndEndpoint() {
        AzureConfig config = map(Map.of(
                "AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=a2V5;"
                        + "BlobEndpoint=http://127.0.0.1:10000/dev/;",
                "AZURE_STORAGE_SAS_TOKEN", "sv=1&sig=x"));
        assertThat(config.authentication()).isEqualTo(AzureConfig.Authentication.CONNECTION_STRING);
        assertThat(config.accountName()).hasValue("dev");
        assertThat(config.endpoint()).hasValue("http://127.0.0.1:10000/dev");
    }

    @Test
    void explicitEndpointWinsOverTheConnectionStrings() {
        AzureConfig config = map(Map.of(
                "AZURE_STORAGE_CONNECTION_STRING", "AccountName=dev;AccountKey=a2V5;BlobEndpoint=http://a/dev",
                "AZURE_STORAGE_ENDPOINT", "https://dev.blob.core.usgovcloudapi.net"));
        assertThat(config.endpoint()).hasValue("https://dev.blob.core.usgovcloudapi.net");
    }

    @Test
    void accountAndKeyThenSasThenEntra() {
        assertThat(map(Map.of("AZURE_STORAGE_ACCOUNT", "acct", "AZURE_STORAGE_KEY", "a2V5",
                "AZURE_STORAGE_SAS_TOKEN", "sig=1")).authentication()).isEqualTo(AzureConfig.Authentication.SHARED_KEY);
        AzureConfig sas = map(Map.of("AZURE_STORAGE_ACCOUNT", "acct", "AZURE_STORAGE_SAS_TOKEN", "?sv=2&sig=1"));
        assertThat(sas.authentication()).isEqualTo(AzureConfig.Authentication.SAS_TOKEN);
        assertThat(sas.sasToken()).as("leading '?' dropped").hasValue("sv=2&sig=1");
        assertThat(map(Map.of("AZURE_STORAGE_ACCOUNT", "acct")).authentication())
                .isEqualTo(AzureConfig.Authentication.DEFAULT_AZURE_CREDENTIAL);
    }

    @Test
    void keyWithoutAccountIsRefused() {
        assertThatThrownBy(() -> map(Map.of("AZURE_STORAGE_KEY", "a2V5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AZURE_STORAGE_ACCOUNT");
    }

    @Test
    void serviceVersionIsPinnedOrRefusedWithTheKnownVersions() {
        assertThat(map(Map.of("S3DLIO_AZURE_SERVICE_VERSION", "2026-06-06")).serviceVersion())
                .hasValue(BlobServiceVersion.V2026_06_06);
        assertThatThrownBy(() -> map(Map.of("S3DLIO_AZURE_SERVICE_VERSION", "1999-01-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1999-01-01").hasMessageContaining("2026-06-06");
    }

    @Test
    void tuningSettingsAreMappedAndBounded() {
        AzureConfig config = map(Map.of("S3DLIO_AZURE_BLOCK_SIZE", "16MiB", "S3DLIO_AZURE_BLOCKS_IN_FLIGHT", "8",
                "S3DLIO_AZURE_MAX_TRIES", "6", "S3DLIO_AZURE_TRY_TIMEOUT", "90s", "S3DLIO_AZURE_LIST_PAGE_SIZE", "250"));
        assertThat(config.blockSize()).hasValue(16L * 1024 * 1024);
        assertThat(config.blocksInFlight()).hasValue(8);
        assertThat(config.maxTries()).isEqualTo(6);
        assertThat(config.tryTimeout()).hasValue(Duration.ofSeconds(90));
        assertThat(config.listPageSize()).isEqualTo(250);
        assertThatThrownBy(() -> map(Map.of("S3DLIO_AZURE_BLOCK_SIZE", "5GiB")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S3DLIO_AZURE_BLOCK_SIZE");
        assertThatThrownBy(() -> map(Map.of("S3DLIO_AZURE_LIST_PAGE_SIZE", "5001")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S3DLIO_AZURE_LIST_PAGE_SIZE");
        assertThatThrownBy(() -> map(Map.of("S3DLIO_AZURE_BLOCKS_IN_FLIGHT", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S3DLIO_AZURE_BLOCKS_IN_FLIGHT");
    }

    @Test
    void retryDelayIsMappedOrLeftToTheSdk() {
        assertThat(map(Map.of()).retryDelay()).as("the SDK's own 4 s").isEmpty();
        assertThat(map(Map.of("S3DLIO_AZURE_RETRY_DELAY", "250ms")).retryDelay()).hasValue(Duration.ofMillis(250));
        assertThatThrownBy(() -> map(Map.of("S3DLIO_AZURE_RETRY_DELAY", "0s")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("S3DLIO_AZURE_RETRY_DELAY");
    }

    @Test
    void secretsAreRedacted() {
        String text = map(Map.of(
                "AZURE_STORAGE_CONNECTION_STRING", "AccountName=dev;AccountKey=c2VjcmV0LWtleQ==;BlobEndpoint=http://h/dev",
                "AZURE_STORAGE_ACCOUNT", "dev", "AZURE_STORAGE_KEY", "c2VjcmV0LWtleQ==",
                "AZURE_STORAGE_SAS_TOKEN", "sig=topsecret")).toString();
        assertThat(text).doesNotContain("c2VjcmV0LWtleQ==").doesNotContain("topsecret").doesNotContain("AccountKey")
                .contains("<redacted>").contains("dev");
    }

    @Test
    void accountOfEndpointReadsHostOrPath() {
        assertThat(AzureClients.accountOfEndpoint("https://acct.blob.core.windows.net")).hasValue("acct");
        assertThat(AzureClients.accountOfEndpoint("http://127.0.0.1:10000/devstoreaccount1")).hasValue("devstoreaccount1");
        assertThat(AzureClients.accountOfEndpoint("http://localhost:10000")).isEmpty();
    }

    @Test
    void contentRangeTotals() {
        assertThat(io.s3dlio.spi.ContentRange.totalSize("bytes 0-99/12411")).hasValue(12411);
        assertThat(io.s3dlio.spi.ContentRange.totalSize("bytes */500")).hasValue(500);
        assertThat(io.s3dlio.spi.ContentRange.totalSize(null)).isEmpty();
    }

    @Test
    void blockIdsHaveEqualLength() {
        assertThat(BlockUploadTarget.blockId("0123456789abcdef", 1))
                .hasSameSizeAs(BlockUploadTarget.blockId("0123456789abcdef", 50_000));
    }
}
