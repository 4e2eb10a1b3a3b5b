package io.s3dlio.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * S3Proxy 4.1.0 (Maven Central {@code org.gaul:s3proxy:4.1.0:jar-with-dependencies}) on a free loopback
 * port, in-memory storage ({@code transient-nio2}), SigV4 checked. Start it once per test class; it fails
 * loudly when it cannot start.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String VERSION = "4.1.0";
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "testtest";

    private final ServerProcess process;
    private final int port;

    private S3ProxyServer(ServerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3ProxyServer start() {
        return start(null);
    }

    /**
     * A server keeping its objects as files under {@code basedir} ({@code filesystem-nio2}): several servers
     * started on one directory serve the same objects, like the front ends of one storage cluster. The caller
     * owns (and deletes) the directory.
     */
    public static S3ProxyServer startSharing(Path basedir) {
        return start(java.util.Objects.requireNonNull(basedir, "basedir is null"));
    }

    private static S3ProxyServer start(Path basedir) {
        Path jar = ServerProcess.serverJar("s3proxy-" + VERSION + "-jar-with-dependencies.jar");
        Path dir = ServerProcess.tempDirectory("s3proxy-");
        int port = ServerProcess.freePort();
        String properties = String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                // The SDK sends headers S3Proxy does not know (x-amz-mp-object-size); it answers 501 otherwise.
                "s3proxy.ignore-unknown-headers=true",
                // In memory: a key and a longer key below it ("a", "a/b") can coexist, unlike the filesystem provider.
                basedir == null ? "jclouds.provider=transient" : "jclouds.provider=filesystem-nio2",
                basedir == null ? "" : "jclouds.filesystem.basedir=" + basedir.toAbsolutePath(),
                "");
        try {
            Files.writeString(dir.resolve("s3proxy.conf"), properties, StandardCharsets.UTF_8);
        } catch (IOException e) {
            ServerProcess.deleteTree(dir);
            throw new UncheckedIOException("cannot write the S3Proxy config in " + dir, e);
        }
        ServerProcess process = ServerProcess.start("S3Proxy " + VERSION, List.of(ServerProcess.currentJava(),
                "-Xmx1g", "-jar", jar.toString(), "--properties", dir.resolve("s3proxy.conf").toString()), dir);
        process.awaitReady(() -> ServerProcess.answersHttp("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(60));
        return new S3ProxyServer(process, port);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Settings for the s3:// store pointing at this server (as a ConfigSource map). */
    public Map<String, String> storeSettings() {
        return Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    /** Kills the server at once (SIGKILL), as a crashed front end; {@link #close()} still cleans up. */
    public void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    public String description() {
        return "S3Proxy " + VERSION + " (transient) at 127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
