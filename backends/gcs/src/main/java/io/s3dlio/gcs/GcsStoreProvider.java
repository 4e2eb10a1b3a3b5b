package io.s3dlio.gcs;

import static java.util.Objects.requireNonNull;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Set;

/**
 * Provides {@code gs://} (and {@code gcs://}, which {@link Location} maps to {@code gs}) on the official
 * Google Cloud Storage Java client, configured by {@link GcsConfig}.
 */
public final class GcsStoreProvider implements ObjectStoreProvider {
    private static final Location ROOT = new Location("gs", "", "", "");

    @Override
    public Set<String> schemes() {
        return Set.of("gs");
    }

    @Override
    public ObjectStore create(ConfigSource config) throws IOException {
        return create(GcsConfig.from(config));
    }

    /** A store for an explicit configuration. */
    public static ObjectStore create(GcsConfig config) throws IOException {
        requireNonNull(config, "config is null");
        return new GcsObjectStore(storageOptions(config).getService(), config);
    }

    /**
     * A store on a client the caller built, for example one on {@code LocalStorageHelper}'s in-process fake.
     * The store takes ownership and closes the client.
     */
    public static ObjectStore create(Storage storage, GcsConfig config) {
        return new GcsObjectStore(requireNonNull(storage, "storage is null"), requireNonNull(config, "config is null"));
    }

    /** The client settings {@code config} maps to. */
    public static StorageOptions storageOptions(GcsConfig config) throws IOException {
        StorageOptions.Builder builder = StorageOptions.http();
        config.projectId().ifPresent(builder::setProjectId);
        // The Java client ignores STORAGE_EMULATOR_HOST; GcsConfig maps it and we set the host ourselves.
        config.endpoint().ifPresent(builder::setHost);
        builder.setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder()
                .setMaxAttempts(config.maxAttempts()).build());
        builder.setCredentials(switch (config.credentials()) {
            case ANONYMOUS -> NoCredentials.getInstance();
            case APPLICATION_DEFAULT -> applicationDefault(config);
        });
        return builder.build();
    }

    private static GoogleCredentials applicationDefault(GcsConfig config) throws IOException {
        try {
            if (config.credentialsFile().isPresent()) {
                try (InputStream in = Files.newInputStream(config.credentialsFile().get())) {
                    return GoogleCredentials.fromStream(in).createScoped(
                            "https://www.googleapis.com/auth/devstorage.full_control");
                }
            }
            return GoogleCredentials.getApplicationDefault();
        } catch (IOException e) {
            throw new AccessDeniedException(ROOT, AccessDeniedException.Reason.MISSING_CREDENTIALS,
                    "no Google credentials: " + e.getMessage() + " (set GOOGLE_APPLICATION_CREDENTIALS to a key file,"
                            + " run 'gcloud auth application-default login', run on GCP with a service account, or set"
                            + " S3DLIO_GCS_CREDENTIALS=none for public buckets and emulators)", e);
        }
    }
}
