package io.s3dlio.testkit.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Adobe S3Mock 5.2.0 (Maven Central {@code com.adobe.testing:s3mock:5.2.0:exec}) on a free port, data in a
 * temp dir. It accepts any signature and has listing quirks, so use it for data round-trips only. Its HTTP
 * connector binds every interface (only the HTTPS one honours {@code server.address}).
 */
public final class S3MockServer implements AutoCloseable {
    public static final String VERSION = "5.2.0";

    private final ServerProcess process;
    private final int port;
    private final int httpsPort;

    private S3MockServer(ServerProcess process, int port, int httpsPort) {
        this.process = process;
        this.port = port;
        this.httpsPort = httpsPort;
    }

    public static S3MockServer start() {
        var jar = ServerProcess.serverJar("s3mock-" + VERSION + "-exec.jar");
        var dir = ServerProcess.tempDirectory("s3mock-");
        int port = ServerProcess.freePort();
        int httpsPort = ServerProcess.freePort();
        ServerProcess process = ServerProcess.start("S3Mock " + VERSION, List.of(ServerProcess.currentJava(),
                "-Xmx1g", "-jar", jar.toString(),
                "--com.adobe.testing.s3mock.httpPort=" + port,
                "--server.port=" + httpsPort,
                "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + dir.resolve("data"),
                "--logging.level.root=WARN"), dir);
        process.awaitReady(() -> ServerProcess.answersHttp("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(120));
        return new S3MockServer(process, port, httpsPort);
    }

    /**
     * Its HTTPS connector, as {@code https://localhost:PORT}: its self-signed certificate names localhost
     * (trust it with that certificate as {@code AWS_CA_BUNDLE}).
     */
    public String httpsEndpoint() {
        return "https://localhost:" + httpsPort;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Settings for the s3:// store pointing at this server (any keys work). */
    public Map<String, String> storeSettings() {
        return Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_ACCESS_KEY_ID", "any", "AWS_SECRET_ACCESS_KEY", "any",
                "AWS_REGION", "us-east-1");
    }

    public String description() {
        return "S3Mock " + VERSION + " at 127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
