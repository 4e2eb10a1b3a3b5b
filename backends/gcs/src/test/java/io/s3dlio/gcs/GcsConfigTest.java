package io.s3dlio.gcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.config.ConfigSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping from settings to GcsConfig, and from GcsConfig to the client's options. */
class GcsConfigTest {

    private static GcsConfig from(Map<String, String> variables) {
        return GcsConfig.from(ConfigSource.of(variables));
    }

    @Test
    void defaultsUseGoogleWithApplicationDefaultCredentials() {
        GcsConfig config = from(Map.of());
        assertThat(config).isEqualTo(GcsConfig.defaults());
        assertThat(config.credentials()).isEqualTo(GcsConfig.Credentials.APPLICATION_DEFAULT);
        assertThat(config.endpoint()).isEmpty();
        assertThat(config.pageSize()).isEmpty();
        assertThat(config.chunkSize()).as("the adaptive policy decides").isEmpty();
        assertThat(config.uploads().speedTier()).isEqualTo(16L * 1024 * 1024);
        assertThat(config.deleteBatchSize()).isEqualTo(100);
    }

    @Test
    void storageEmulatorHostSelectsTheEndpointAndAnonymousCredentials() {
        GcsConfig config = from(Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:4443"));
        assertThat(config.endpoint()).hasValue("http://127.0.0.1:4443");
        assertThat(config.credentials()).isEqualTo(GcsConfig.Credentials.ANONYMOUS);
        assertThat(from(Map.of("STORAGE_EMULATOR_HOST", "http://localhost:9023/")).endpoint())
                .hasValue("http://localhost:9023");
    }

    @Test
    void anExplicitEndpointKeepsRealCredentialsUnlessToldOtherwise() {
        GcsConfig proxy = from(Map.of("S3DLIO_GCS_ENDPOINT", "https://storage.internal.example:8443",
                "STORAGE_EMULATOR_HOST", "127.0.0.1:1"));
        assertThat(proxy.endpoint()).hasValue("https://storage.internal.example:8443");
        assertThat(proxy.credentials()).isEqualTo(GcsConfig.Credentials.APPLICATION_DEFAULT);
        assertThat(from(Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:1", "S3DLIO_GCS_CREDENTIALS", "adc")).credentials())
                .isEqualTo(GcsConfig.Credentials.APPLICATION_DEFAULT);
        assertThat(from(Map.of("S3DLIO_GCS_CREDENTIALS", "none")).credentials()).isEqualTo(GcsConfig.Credentials.ANONYMOUS);
    }

    @Test
    void projectIdPrefersOurVariable() {
        assertThat(from(Map.of("GOOGLE_CLOUD_PROJECT", "theirs")).projectId()).hasValue("theirs");
        assertThat(from(Map.of("GOOGLE_CLOUD_PROJECT", "theirs", "S3DLIO_GCS_PROJECT", "ours")).projectId()).hasValue("ours");
    }

    @Test
    void sizesAndCountsAreMappedAndBounded() {
        GcsConfig config = from(Map.of("S3DLIO_GCS_PAGE_SIZE", "250", "S3DLIO_GCS_CHUNK_SIZE", "300KiB",
                "S3DLIO_GCS_MAX_ATTEMPTS", "3", "S3DLIO_GCS_DELETE_BATCH_SIZE", "50",
                "GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json"));
        assertThat(config.pageSize()).isEqualTo(OptionalInt.of(250));
        assertThat(config.chunkSize()).as("rounded up to a multiple of 256 KiB").hasValue(512L * 1024);
        assertThat(config.maxAttempts()).isEqualTo(3);
        assertThat(config.deleteBatchSize()).isEqualTo(50);
        assertThat(config.credentialsFile()).isEqualTo(Optional.of(Path.of("/keys/sa.json")));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_PAGE_SIZE", "5000"))).hasMessageContaining("S3DLIO_GCS_PAGE_SIZE");
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_PAGE_SIZE", "many"))).hasMessageContaining("S3DLIO_GCS_PAGE_SIZE");
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_DELETE_BATCH_SIZE", "101")))
                .hasMessageContaining("S3DLIO_GCS_DELETE_BATCH_SIZE");
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_CHUNK_SIZE", "2GiB"))).hasMessageContaining("S3DLIO_GCS_CHUNK_SIZE");
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_MAX_ATTEMPTS", "0"))).hasMessageContaining("S3DLIO_GCS_MAX_ATTEMPTS");
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_CREDENTIALS", "maybe"))).hasMessageContaining("S3DLIO_GCS_CREDENTIALS");
        assertThatThrownBy(() -> from(Map.of("S3DLIO_GCS_ENDPOINT", "ftp://x"))).hasMessageContaining("http");
        assertThatThrownBy(() -> GcsConfig.defaults().withChunkSize(300 * 1024)).hasMessageContaining("256 KiB");
    }

    @Test
    void clientOptionsCarryProjectEndpointRetriesAndCredentials() throws Exception {
        GcsConfig config = from(Map.of("STORAGE_EMULATOR_HOST", "127.0.0.1:4443", "S3DLIO_GCS_PROJECT", "proj-1",
                "S3DLIO_GCS_MAX_ATTEMPTS", "2"));
        StorageOptions options = GcsStoreProvider.storageOptions(config);
        assertThat(options.getHost()).isEqualTo("http://127.0.0.1:4443");
        assertThat(options.getProjectId()).isEqualTo("proj-1");
        assertThat(options.getCredentials()).isSameAs(NoCredentials.getInstance());
        assertThat(options.getRetrySettings().getMaxAttempts()).isEqualTo(2);
    }

    @Test
    void anUnreadableCredentialsFileIsMissingCredentialsWithWhatToDo(@TempDir Path dir) {
        GcsConfig config = from(Map.of("GOOGLE_APPLICATION_CREDENTIALS", dir.resolve("absent.json").toString()));
        assertThatThrownBy(() -> GcsStoreProvider.storageOptions(config))
                .isInstanceOfSatisfying(AccessDeniedException.class,
                        e -> assertThat(e.reason()).isEqualTo(AccessDeniedException.Reason.MISSING_CREDENTIALS))
                .hasMessageContaining("gs://").hasMessageContaining("GOOGLE_APPLICATION_CREDENTIALS")
                .hasMessageContaining("absent.json");
    }
}
