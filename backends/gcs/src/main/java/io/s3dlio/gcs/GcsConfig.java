package io.s3dlio.gcs;

import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import io.s3dlio.engine.tuning.TuningConfig;
import io.s3dlio.engine.tuning.UploadPolicy;
import io.s3dlio.engine.upload.UploadLimits;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Typed settings of the gs:// store, mapped from a {@link ConfigSource} by {@link #from(ConfigSource)}.
 * Every variable read here is listed in docs/CONFIGURATION.md, section "Google Cloud Storage".
 *
 * @param credentials where credentials come from
 * @param credentialsFile a service-account or user credentials JSON file; when empty, Application Default
 *        Credentials search gcloud's user credentials and the metadata server
 * @param projectId project that owns buckets created by {@code createContainer} and whose buckets are listed
 * @param endpoint a custom endpoint (an emulator, a proxy), as {@code http(s)://host:port}; empty for Google
 * @param pageSize objects per listing page; empty leaves the service default (1,000, also the maximum)
 * @param chunkSize an explicit resumable-upload chunk for gs:// ({@code S3DLIO_GCS_CHUNK_SIZE}, a multiple of 256 KiB);
 *        empty lets the adaptive {@code uploads} policy choose per object
 * @param maxAttempts attempts per request, including the first (the client library's retry layer; the only
 *        place gs:// retries happen)
 * @param deleteBatchSize deletes per batch request in {@code deletePrefix} (GCS allows at most 100)
 * @param uploads the adaptive part-size policy shared by every backend
 */
public record GcsConfig(
        Credentials credentials,
        Optional<Path> credentialsFile,
        Optional<String> projectId,
        Optional<String> endpoint,
        OptionalInt pageSize,
        OptionalLong chunkSize,
        int maxAttempts,
        int deleteBatchSize,
        UploadPolicy uploads) {

    /** Where the store's credentials come from. */
    public enum Credentials {
        /** Application Default Credentials: the credentials file, gcloud user credentials, the metadata server. */
        APPLICATION_DEFAULT,
        /** No credentials (emulators, public buckets). */
        ANONYMOUS
    }

    public static final long MAX_CHUNK_SIZE = UploadLimits.GCS.maxPartSize();
    public static final int MAX_PAGE_SIZE = 1000;
    public static final int MAX_DELETE_BATCH = 100;
    public static final int DEFAULT_MAX_ATTEMPTS = 6;

    public GcsConfig {
        requireNonNull(credentials, "credentials is null");
        requireNonNull(credentialsFile, "credentialsFile is null");
        requireNonNull(projectId, "projectId is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(pageSize, "pageSize is null");
        if (pageSize.isPresent() && (pageSize.getAsInt() < 1 || pageSize.getAsInt() > MAX_PAGE_SIZE)) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE_SIZE + ": " + pageSize.getAsInt());
        }
        requireNonNull(chunkSize, "chunkSize is null");
        requireNonNull(uploads, "uploads is null");
        if (chunkSize.isPresent() && (chunkSize.getAsLong() < UploadLimits.GCS.minPartSize()
                || chunkSize.getAsLong() > MAX_CHUNK_SIZE || chunkSize.getAsLong() % UploadLimits.GCS.partSizeMultiple() != 0)) {
            throw new IllegalArgumentException("chunkSize must be a multiple of 256 KiB between 256 KiB and 1 GiB: "
                    + chunkSize.getAsLong());
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be 1..100: " + maxAttempts);
        }
        if (deleteBatchSize < 1 || deleteBatchSize > MAX_DELETE_BATCH) {
            throw new IllegalArgumentException("deleteBatchSize must be 1.." + MAX_DELETE_BATCH + ": " + deleteBatchSize);
        }
        endpoint.ifPresent(GcsConfig::checkEndpoint);
    }

    /** Google's endpoint, Application Default Credentials, no project, defaults everywhere else. */
    public static GcsConfig defaults() {
        return new GcsConfig(Credentials.APPLICATION_DEFAULT, Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalInt.empty(), OptionalLong.empty(), DEFAULT_MAX_ATTEMPTS, MAX_DELETE_BATCH,
                UploadPolicy.defaults());
    }

    /**
     * Maps the settings. {@code STORAGE_EMULATOR_HOST} (which the Java client itself ignores) selects an
     * emulator endpoint and, unless {@code S3DLIO_GCS_CREDENTIALS} says otherwise, anonymous credentials.
     */
    public static GcsConfig from(ConfigSource config) {
        requireNonNull(config, "config is null");
        Optional<String> explicitEndpoint = config.get("S3DLIO_GCS_ENDPOINT");
        Optional<String> emulator = config.get("STORAGE_EMULATOR_HOST");
        Optional<String> endpoint = explicitEndpoint.or(() -> emulator).map(GcsConfig::withScheme);
        Credentials credentials = config.get("S3DLIO_GCS_CREDENTIALS")
                .map(value -> parseCredentials(value))
                .orElse(explicitEndpoint.isEmpty() && emulator.isPresent() ? Credentials.ANONYMOUS
                        : Credentials.APPLICATION_DEFAULT);
        OptionalLong explicitChunk = config.dataSize("S3DLIO_GCS_CHUNK_SIZE");
        long chunk = explicitChunk.orElse(UploadLimits.GCS.minPartSize());
        if (chunk < 1 || chunk > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("S3DLIO_GCS_CHUNK_SIZE='" + chunk
                    + "' is not valid: expected 256KiB..1GiB (rounded up to a multiple of 256 KiB)");
        }
        int pageSize = config.intValue("S3DLIO_GCS_PAGE_SIZE").orElse(0);
        if (config.get("S3DLIO_GCS_PAGE_SIZE").isPresent() && (pageSize < 1 || pageSize > MAX_PAGE_SIZE)) {
            throw new IllegalArgumentException("S3DLIO_GCS_PAGE_SIZE='" + pageSize + "' is not valid: expected 1.."
                    + MAX_PAGE_SIZE);
        }
        int attempts = config.intValue("S3DLIO_GCS_MAX_ATTEMPTS").orElse(DEFAULT_MAX_ATTEMPTS);
        if (attempts < 1 || attempts > 100) {
            throw new IllegalArgumentException("S3DLIO_GCS_MAX_ATTEMPTS='" + attempts + "' is not valid: expected 1..100");
        }
        int batch = config.intValue("S3DLIO_GCS_DELETE_BATCH_SIZE").orElse(MAX_DELETE_BATCH);
        if (batch < 1 || batch > MAX_DELETE_BATCH) {
            throw new IllegalArgumentException("S3DLIO_GCS_DELETE_BATCH_SIZE='" + batch + "' is not valid: expected 1.."
                    + MAX_DELETE_BATCH);
        }
        return new GcsConfig(
                credentials,
                config.get("GOOGLE_APPLICATION_CREDENTIALS").map(Path::of),
                config.first("S3DLIO_GCS_PROJECT", "GOOGLE_CLOUD_PROJECT"),
                endpoint,
                pageSize == 0 ? OptionalInt.empty() : OptionalInt.of(pageSize),
                explicitChunk.isPresent() ? OptionalLong.of(UploadLimits.GCS.clamp(chunk)) : OptionalLong.empty(),
                attempts,
                batch,
                new UploadPolicy(TuningConfig.from(config)));
    }

    public GcsConfig withEndpoint(String newEndpoint) {
        return new GcsConfig(credentials, credentialsFile, projectId, Optional.of(withScheme(newEndpoint)), pageSize,
                chunkSize, maxAttempts, deleteBatchSize, uploads);
    }

    public GcsConfig withCredentials(Credentials newCredentials) {
        return new GcsConfig(newCredentials, credentialsFile, projectId, endpoint, pageSize, chunkSize, maxAttempts,
                deleteBatchSize, uploads);
    }

    public GcsConfig withProjectId(String newProjectId) {
        return new GcsConfig(credentials, credentialsFile, Optional.of(newProjectId), endpoint, pageSize, chunkSize,
                maxAttempts, deleteBatchSize, uploads);
    }

    public GcsConfig withPageSize(int newPageSize) {
        return new GcsConfig(credentials, credentialsFile, projectId, endpoint, OptionalInt.of(newPageSize), chunkSize,
                maxAttempts, deleteBatchSize, uploads);
    }

    public GcsConfig withChunkSize(long newChunkSize) {
        return new GcsConfig(credentials, credentialsFile, projectId, endpoint, pageSize, OptionalLong.of(newChunkSize), maxAttempts,
                deleteBatchSize, uploads);
    }

    public GcsConfig withDeleteBatchSize(int newBatchSize) {
        return new GcsConfig(credentials, credentialsFile, projectId, endpoint, pageSize, chunkSize, maxAttempts,
                newBatchSize, uploads);
    }

    private static Credentials parseCredentials(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "adc", "default", "application-default" -> Credentials.APPLICATION_DEFAULT;
            case "none", "anonymous" -> Credentials.ANONYMOUS;
            default -> throw new IllegalArgumentException("S3DLIO_GCS_CREDENTIALS='" + value
                    + "' is not valid: expected adc or none");
        };
    }

    /** STORAGE_EMULATOR_HOST is conventionally {@code host:port}; the client wants a URL. */
    private static String withScheme(String endpoint) {
        String trimmed = endpoint.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.contains("://") ? trimmed : "http://" + trimmed;
    }

    private static void checkEndpoint(String endpoint) {
        if (!endpoint.startsWith("http://") && !endpoint.startsWith("https://")) {
            throw new IllegalArgumentException("GCS endpoint must be an http(s) URL such as http://127.0.0.1:4443: "
                    + endpoint);
        }
    }
}
