package io.s3dlio.azure;

import static java.util.Objects.requireNonNull;

import com.azure.storage.blob.BlobServiceVersion;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import io.s3dlio.engine.tuning.TuningConfig;
import io.s3dlio.engine.tuning.UploadPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Settings of the az:// store, mapped once from a {@link ConfigSource}. Credentials are tried in the order
 * Azure tools use: connection string, then account name + key, then a SAS token, then
 * {@code DefaultAzureCredential} (Entra ID: environment, workload/managed identity, Azure CLI ...).
 * Secrets never appear in {@link #toString()}.
 *
 * @param connectionString {@code AZURE_STORAGE_CONNECTION_STRING} (secret)
 * @param accountName {@code AZURE_STORAGE_ACCOUNT}
 * @param accountKey {@code AZURE_STORAGE_KEY} (secret; needs an account name)
 * @param sasToken {@code AZURE_STORAGE_SAS_TOKEN} (secret)
 * @param endpoint {@code AZURE_STORAGE_ENDPOINT}: blob endpoint for emulators and sovereign clouds; may carry
 *        the account as its path, as Azurite's {@code http://127.0.0.1:10000/devstoreaccount1} does
 * @param serviceVersion {@code S3DLIO_AZURE_SERVICE_VERSION}: pins the REST API version (emulators lag the SDK)
 * @param blockSize {@code S3DLIO_AZURE_BLOCK_SIZE}: an explicit staged block size for az:// writers; empty lets
 *        the adaptive {@code uploads} policy choose per object
 * @param blocksInFlight {@code S3DLIO_AZURE_BLOCKS_IN_FLIGHT}: explicit blocks uploading at once per writer;
 *        empty uses the policy's {@code S3DLIO_UPLOAD_CONCURRENCY}
 * @param maxTries {@code S3DLIO_AZURE_MAX_TRIES}: attempts per request, in the SDK's retry policy (the only
 *        retry layer of this backend)
 * @param tryTimeout {@code S3DLIO_AZURE_TRY_TIMEOUT}: limit for one attempt; empty leaves the SDK's default
 * @param listPageSize {@code S3DLIO_AZURE_LIST_PAGE_SIZE}: blobs per listing page (service maximum 5,000)
 * @param uploads the adaptive part-size policy shared by every backend
 * @param requestTimeout {@code S3DLIO_AZURE_REQUEST_TIMEOUT}: the most one read may take, all its tries and its
 *        whole body together (default 10 minutes); unlike the try timeout it also cuts a body that stalls or drips
 * @param retryDelay {@code S3DLIO_AZURE_RETRY_DELAY}: the base delay of the SDK's exponential backoff (the n-th
 *        retry waits about {@code (2^n - 1) x} this); empty keeps the SDK's 4 s
 */
public record AzureConfig(
        Optional<String> connectionString,
        Optional<String> accountName,
        Optional<String> accountKey,
        Optional<String> sasToken,
        Optional<String> endpoint,
        Optional<BlobServiceVersion> serviceVersion,
        OptionalLong blockSize,
        OptionalInt blocksInFlight,
        int maxTries,
        Optional<Duration> tryTimeout,
        int listPageSize,
        UploadPolicy uploads,
        Duration requestTimeout,
        Optional<Duration> retryDelay) {

    public static final int DEFAULT_MAX_TRIES = 4;
    public static final int DEFAULT_LIST_PAGE_SIZE = 5_000;
    /** Smallest block we stage: below this the per-request cost dominates. */
    public static final long MIN_BLOCK_SIZE = 64 * DataSize.KIB;
    /** The service's largest block (version 2019-12-12 and later). */
    public static final long MAX_BLOCK_SIZE = 4000 * DataSize.MIB;

    /** How requests are authorized; derived from which settings are present. */
    public enum Authentication { CONNECTION_STRING, SHARED_KEY, SAS_TOKEN, DEFAULT_AZURE_CREDENTIAL }

    public AzureConfig {
        requireNonNull(connectionString, "connectionString is null");
        requireNonNull(accountName, "accountName is null");
        requireNonNull(accountKey, "accountKey is null");
        requireNonNull(sasToken, "sasToken is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(serviceVersion, "serviceVersion is null");
        requireNonNull(tryTimeout, "tryTimeout is null");
        if (accountKey.isPresent() && accountName.isEmpty() && connectionString.isEmpty()) {
            throw new IllegalArgumentException("AZURE_STORAGE_KEY is set but AZURE_STORAGE_ACCOUNT is not: a shared key "
                    + "needs the account name it belongs to");
        }
        requireNonNull(blockSize, "blockSize is null");
        requireNonNull(blocksInFlight, "blocksInFlight is null");
        requireNonNull(uploads, "uploads is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("S3DLIO_AZURE_REQUEST_TIMEOUT must be positive: " + requestTimeout);
        }
        if (blockSize.isPresent() && (blockSize.getAsLong() < MIN_BLOCK_SIZE || blockSize.getAsLong() > MAX_BLOCK_SIZE)) {
            throw new IllegalArgumentException("S3DLIO_AZURE_BLOCK_SIZE must be between " + DataSize.format(MIN_BLOCK_SIZE)
                    + " and " + DataSize.format(MAX_BLOCK_SIZE) + ": " + blockSize.getAsLong());
        }
        if (blocksInFlight.isPresent() && (blocksInFlight.getAsInt() < 1 || blocksInFlight.getAsInt() > 256)) {
            throw new IllegalArgumentException("S3DLIO_AZURE_BLOCKS_IN_FLIGHT must be 1..256: " + blocksInFlight.getAsInt());
        }
        if (maxTries < 1 || maxTries > 20) {
            throw new IllegalArgumentException("S3DLIO_AZURE_MAX_TRIES must be 1..20: " + maxTries);
        }
        if (tryTimeout.isPresent() && (tryTimeout.get().isNegative() || tryTimeout.get().toSeconds() < 1)) {
            throw new IllegalArgumentException("S3DLIO_AZURE_TRY_TIMEOUT must be at least 1s: " + tryTimeout.get());
        }
        requireNonNull(retryDelay, "retryDelay is null");
        if (retryDelay.isPresent() && (retryDelay.get().isNegative() || retryDelay.get().toMillis() < 1)) {
            throw new IllegalArgumentException("S3DLIO_AZURE_RETRY_DELAY must be at least 1ms: " + retryDelay.get());
        }
        if (listPageSize < 1 || listPageSize > 5_000) {
            throw new IllegalArgumentException("S3DLIO_AZURE_LIST_PAGE_SIZE must be 1..5000: " + listPageSize);
        }
        endpoint = endpoint.map(AzureConfig::withoutTrailingSlash);
    }

    /** The settings without a retry delay of their own (the SDK's default), as before that setting existed. */
    public AzureConfig(Optional<String> connectionString, Optional<String> accountName, Optional<String> accountKey,
            Optional<String> sasToken, Optional<String> endpoint, Optional<BlobServiceVersion> serviceVersion,
            OptionalLong blockSize, OptionalInt blocksInFlight, int maxTries, Optional<Duration> tryTimeout,
            int listPageSize, UploadPolicy uploads, Duration requestTimeout) {
        this(connectionString, accountName, accountKey, sasToken, endpoint, serviceVersion, blockSize, blocksInFlight,
                maxTries, tryTimeout, listPageSize, uploads, requestTimeout, Optional.empty());
    }

    /** Defaults everywhere, credentials from {@code DefaultAzureCredential}. */
    public static AzureConfig defaults() {
        return from(ConfigSource.empty());
    }

    /** Maps the settings listed in docs/CONFIGURATION.md ("Azure Blob"). */
    public static AzureConfig from(ConfigSource config) {
        requireNonNull(config, "config is null");
        Optional<String> connectionString = config.get("AZURE_STORAGE_CONNECTION_STRING");
        Optional<String> endpoint = config.get("AZURE_STORAGE_ENDPOINT");
        if (endpoint.isEmpty() && connectionString.isPresent()) {
            endpoint = connectionStringField(connectionString.get(), "BlobEndpoint");
        }
        Optional<String> account = config.get("AZURE_STORAGE_ACCOUNT");
        if (account.isEmpty() && connectionString.isPresent()) {
            account = connectionStringField(connectionString.get(), "AccountName");
        }
        return new AzureConfig(
                connectionString,
                account,
                config.get("AZURE_STORAGE_KEY"),
                config.get("AZURE_STORAGE_SAS_TOKEN").map(token -> token.startsWith("?") ? token.substring(1) : token),
                endpoint,
                config.get("S3DLIO_AZURE_SERVICE_VERSION").map(AzureConfig::serviceVersion),
                config.dataSize("S3DLIO_AZURE_BLOCK_SIZE"),
                config.intValue("S3DLIO_AZURE_BLOCKS_IN_FLIGHT"),
                config.intValue("S3DLIO_AZURE_MAX_TRIES").orElse(DEFAULT_MAX_TRIES),
                config.duration("S3DLIO_AZURE_TRY_TIMEOUT"),
                config.intValue("S3DLIO_AZURE_LIST_PAGE_SIZE").orElse(DEFAULT_LIST_PAGE_SIZE),
                new UploadPolicy(TuningConfig.from(config)),
                config.duration("S3DLIO_AZURE_REQUEST_TIMEOUT").orElse(Duration.ofMinutes(10)),
                config.duration("S3DLIO_AZURE_RETRY_DELAY"));
    }

    /** Which credential the store will use. */
    public Authentication authentication() {
        if (connectionString.isPresent()) {
            return Authentication.CONNECTION_STRING;
        }
        if (accountKey.isPresent()) {
            return Authentication.SHARED_KEY;
        }
        if (sasToken.isPresent()) {
            return Authentication.SAS_TOKEN;
        }
        return Authentication.DEFAULT_AZURE_CREDENTIAL;
    }

    /** The same settings with another block size (tests, tuning). */
    public AzureConfig withBlockSize(long bytes) {
        return new AzureConfig(connectionString, accountName, accountKey, sasToken, endpoint, serviceVersion,
                OptionalLong.of(bytes), blocksInFlight, maxTries, tryTimeout, listPageSize, uploads, requestTimeout, retryDelay);
    }

    static BlobServiceVersion serviceVersion(String text) {
        for (BlobServiceVersion version : BlobServiceVersion.values()) {
            if (version.getVersion().equals(text)) {
                return version;
            }
        }
        throw new IllegalArgumentException("S3DLIO_AZURE_SERVICE_VERSION='" + text + "' is not a version this SDK knows; "
                + "expected one of " + Arrays.stream(BlobServiceVersion.values()).map(BlobServiceVersion::getVersion)
                        .collect(Collectors.joining(", ")));
    }

    /** A {@code Name=value} field of a connection string; names match case-insensitively. */
    static Optional<String> connectionStringField(String connectionString, String name) {
        for (String part : connectionString.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                String value = part.substring(equals + 1).trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "AzureConfig[authentication=" + authentication()
                + ", connectionString=" + connectionString.map(any -> "<redacted>").orElse("<unset>")
                + ", accountName=" + accountName.orElse("<unset>")
                + ", accountKey=" + accountKey.map(any -> "<redacted>").orElse("<unset>")
                + ", sasToken=" + sasToken.map(any -> "<redacted>").orElse("<unset>")
                + ", endpoint=" + endpoint.orElse("<default>")
                + ", serviceVersion=" + serviceVersion.map(BlobServiceVersion::getVersion).orElse("<sdk default>")
                + ", blockSize=" + (blockSize.isPresent() ? DataSize.format(blockSize.getAsLong()) : "<policy>")
                + ", blocksInFlight=" + (blocksInFlight.isPresent() ? Integer.toString(blocksInFlight.getAsInt()) : "<policy>")
                + ", uploads=" + uploads
                + ", maxTries=" + maxTries
                + ", tryTimeout=" + tryTimeout.map(Duration::toString).orElse("<sdk default>")
                + ", retryDelay=" + retryDelay.map(Duration::toString).orElse("<sdk default>")
                + ", listPageSize=" + listPageSize + "]";
    }
}
