package io.s3dlio.bench.s3;

import com.sun.management.OperatingSystemMXBean;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the in-process lean-versus-SDK benches ({@link ReadPathCpu}, {@link UploadPathCpu}) share: the stores of
 * one path, the process CPU clock and the working directory. "sdk" turns every lean request path off, so it
 * measures the SDK for everything.
 */
final class PathCpuSetup {
    private PathCpuSetup() {}

    static String requireEndpoint(String endpoint) {
        if (endpoint.isEmpty()) {
            throw new IllegalArgumentException("the first argument is the S3 endpoint (http://127.0.0.1:PORT)");
        }
        return endpoint;
    }

    static OperatingSystemMXBean processCpu() {
        return (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    }

    /** The given directory (created if missing), or a new temporary one when none is given. */
    static Path directory(String given, String prefix) throws IOException {
        return given.isEmpty() ? Files.createTempDirectory(prefix) : Files.createDirectories(Path.of(given));
    }

    /** Stores for {@code path} ("lean" or "sdk") against the fixture at {@code endpoint}, plus {@code more}. */
    static ObjectStores stores(String endpoint, String path, Map<String, String> more) {
        if (!path.equals("lean") && !path.equals("sdk")) {
            throw new IllegalArgumentException("paths are lean and/or sdk: " + path);
        }
        String lean = Boolean.toString(path.equals("lean"));
        Map<String, String> settings = new HashMap<>(Map.of(
                "AWS_ENDPOINT_URL", endpoint,
                "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "benchbench", "AWS_REGION", "us-east-1",
                "S3DLIO_S3_PATH_STYLE", "true", "S3DLIO_S3_LEAN_GET", lean, "S3DLIO_S3_LEAN_PUT", lean));
        settings.putAll(more);
        return ObjectStores.create(ConfigSource.of(settings));
    }
}
