package io.s3dlio.cli;

import io.s3dlio.api.EndpointStatistics;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The connection flags every command takes, with the AWS CLI's meaning, winning over the environment: they
 * become overrides of the {@link ConfigSource} a registry of their own is built from (the one the process
 * started with is left alone). Also remembers the stores commands opened, for their per-endpoint counts.
 */
final class ConnectionOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "S3 endpoint (as the aws CLI's); repeat it to spread requests over several endpoints "
                    + "(S3DLIO_ENDPOINTS). Wins over AWS_ENDPOINT_URL and S3DLIO_ENDPOINTS.")
    List<String> endpointUrls = new ArrayList<>();

    @Option(names = "--region", paramLabel = "REGION", scope = ScopeType.INHERIT,
            description = "S3 signing region (AWS_REGION).")
    String region;

    @Option(names = "--ca-bundle", paramLabel = "PEM", scope = ScopeType.INHERIT,
            description = "PEM file of certificate authorities to trust for S3 (AWS_CA_BUNDLE).")
    Path caBundle;

    @Option(names = "--profile", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "Profile from the shared AWS files for S3; its credentials win over AWS_ACCESS_KEY_ID (AWS_PROFILE).")
    String profile;

    private CliEnvironment overridden;
    private ObjectStores stores;
    private final Set<ObjectStore> used = new LinkedHashSet<>();

    /** The flags as configuration overrides (empty when none is given). */
    Map<String, String> overrides() {
        Map<String, String> values = new LinkedHashMap<>();
        if (!endpointUrls.isEmpty()) {
            values.put("AWS_ENDPOINT_URL_S3", endpointUrls.get(0));
            values.put("AWS_ENDPOINT_URL", endpointUrls.get(0));
            // Also replaces a list from the environment: the flags are the whole list.
            values.put("S3DLIO_ENDPOINTS", String.join(",", endpointUrls));
            values.put("S3_ENDPOINT_URIS", "");
        }
        if (region != null) {
            values.put("AWS_REGION", region);
        }
        if (caBundle != null) {
            values.put("AWS_CA_BUNDLE", caBundle.toAbsolutePath().toString());
        }
        if (profile != null) {
            values.put("AWS_PROFILE", profile);
            // As with the aws CLI, a named profile's credentials win over the environment's.
            values.put("AWS_ACCESS_KEY_ID", "");
            values.put("AWS_SECRET_ACCESS_KEY", "");
            values.put("AWS_SESSION_TOKEN", "");
        }
        return values;
    }

    synchronized CliEnvironment environment(CliEnvironment base) {
        Map<String, String> overrides = overrides();
        if (overrides.isEmpty()) {
            return base;
        }
        if (overridden == null) {
            ConfigSource config = base.config().withOverrides(overrides);
            stores = ObjectStores.create(config);
            overridden = new CliEnvironment(stores, config, base.out(), base.err(), base.terminal());
        }
        return overridden;
    }

    /** Remembers a store a command uses, for {@link #endpointStatistics()}. */
    synchronized ObjectStore used(ObjectStore store) {
        used.add(store);
        return store;
    }

    /** Per-endpoint counts of the stores used that spread requests over several endpoints. */
    synchronized List<EndpointStatistics.Endpoint> endpointStatistics() {
        List<EndpointStatistics.Endpoint> all = new ArrayList<>();
        for (ObjectStore store : used) {
            EndpointStatistics.of(store).ifPresent(statistics -> all.addAll(statistics.endpoints()));
        }
        return all;
    }

    /** Closes the registry the flags made, if any; a failure to close turns a success into an I/O error. */
    synchronized int close(int code, CliEnvironment base) {
        used.clear();
        if (stores == null) {
            return code;
        }
        try {
            stores.close();
            return code;
        } catch (IOException e) {
            base.err().println("s3-cli: " + ExitCodes.describe(e));
            return code == ExitCodes.OK ? ExitCodes.IO_ERROR : code;
        } finally {
            stores = null;
            overridden = null;
        }
    }
}
