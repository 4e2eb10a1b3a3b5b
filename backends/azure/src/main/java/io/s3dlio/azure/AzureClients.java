package io.s3dlio.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceAsyncClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.batch.BlobBatchClient;
import com.azure.storage.blob.batch.BlobBatchClientBuilder;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.s3dlio.api.Location;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds and caches the SDK clients for each storage account a store touches. One JDK HttpClient (on
 * virtual threads this object owns) serves every account.
 */
final class AzureClients implements AutoCloseable {
    /** The SDK clients for one account: sync for metadata calls, async where a body streams into our buffer. */
    record AccountClients(BlobServiceClient sync, BlobServiceAsyncClient async, BlobBatchClient batch) {}

    private final AzureConfig config;
    private final ExecutorService httpExecutor;
    private final HttpClient httpClient;
    private final Map<String, AccountClients> accounts = new ConcurrentHashMap<>();
    private volatile TokenCredential entraCredential;

    AzureClients(AzureConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.httpExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3dlio-azure-http-", 0).factory());
        this.httpClient = new JdkHttpClientBuilder().executor(httpExecutor).build();
    }


    /** The clients for the account {@code location} names. */
    AccountClients forLocation(Location location) {
        String account = location.account();
        if (account.isEmpty()) {
            throw new IllegalArgumentException(location + " names no storage account; use az://account/container/key");
        }
        return accounts.computeIfAbsent(account, this::build);
    }

    private AccountClients build(String account) {
        Optional<String> fixedEndpoint = config.endpoint();
        Optional<String> configuredAccount = config.accountName().or(() -> fixedEndpoint.flatMap(AzureClients::accountOfEndpoint));
        AzureConfig.Authentication authentication = config.authentication();
        boolean accountBound = fixedEndpoint.isPresent() || authentication != AzureConfig.Authentication.DEFAULT_AZURE_CREDENTIAL;
        if (accountBound && configuredAccount.isPresent() && !configuredAccount.get().equals(account)) {
            throw new IllegalArgumentException("az://" + account + "/ is not the storage account these settings are for ("
                    + configuredAccount.get() + ", from " + (fixedEndpoint.isPresent() ? "the endpoint " + fixedEndpoint.get()
                            : "AZURE_STORAGE_ACCOUNT") + ")");
        }
        String endpoint = fixedEndpoint.orElse("https://" + account + ".blob.core.windows.net");
        // The SDK caps each delay at maxRetryDelay (default 120 s), which must not be below the base delay.
        Duration delay = config.retryDelay().orElse(null);
        RequestRetryOptions retry = new RequestRetryOptions(RetryPolicyType.EXPONENTIAL, config.maxTries(),
                config.tryTimeout().map(Duration::getSeconds).map(Long::intValue).orElse(null),
                delay == null ? null : delay.toMillis(),
                delay == null ? null : Math.max(delay.toMillis(), Duration.ofMinutes(2).toMillis()), null);
        BlobServiceClientBuilder builder = new BlobServiceClientBuilder().httpClient(httpClient).retryOptions(retry);
        config.serviceVersion().ifPresent(builder::serviceVersion);
        switch (authentication) {
            case CONNECTION_STRING -> builder.connectionString(config.connectionString().orElseThrow());
            case SHARED_KEY -> builder.credential(new StorageSharedKeyCredential(
                    config.accountName().orElse(account), config.accountKey().orElseThrow()));
            case SAS_TOKEN -> builder.credential(new AzureSasCredential(config.sasToken().orElseThrow()));
            case DEFAULT_AZURE_CREDENTIAL -> builder.credential(entraCredential());
        }
        if (fixedEndpoint.isPresent() || authentication != AzureConfig.Authentication.CONNECTION_STRING) {
            // A connection string without BlobEndpoint brings its own (AccountName + EndpointSuffix).
            builder.endpoint(endpoint);
        }
        BlobServiceClient sync = builder.buildClient();
        BlobServiceAsyncClient async = builder.buildAsyncClient();
        BlobBatchClient batch = new BlobBatchClientBuilder(sync).buildClient();
        return new AccountClients(sync, async, batch);
    }

    private TokenCredential entraCredential() {
        TokenCredential credential = entraCredential;
        if (credential == null) {
            synchronized (this) {
                if (entraCredential == null) {
                    entraCredential = new DefaultAzureCredentialBuilder().httpClient(httpClient).build();
                }
                credential = entraCredential;
            }
        }
        return credential;
    }

    /** The account an endpoint names: {@code account.blob.*} hosts, or the first path segment (Azurite style). */
    static Optional<String> accountOfEndpoint(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AZURE_STORAGE_ENDPOINT='" + endpoint + "' is not a URL: " + e.getMessage(), e);
        }
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int blob = host.indexOf(".blob.");
        if (blob > 0) {
            return Optional.of(host.substring(0, blob));
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        return first.isEmpty() ? Optional.empty() : Optional.of(first);
    }

    @Override
    public void close() {
        accounts.clear();
        // Calls in flight have failed or finished by now (the store closes last); do not wait on idle connections.
        httpExecutor.shutdownNow();
    }
}
