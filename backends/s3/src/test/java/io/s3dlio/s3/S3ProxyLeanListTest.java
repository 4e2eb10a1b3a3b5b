package io.s3dlio.s3;

import io.s3dlio.testkit.server.S3ProxyServer;
import java.util.List;
import java.util.Map;

/** The lean ListObjectsV2 against S3Proxy (which checks SigV4), side by side with the SDK's. */
class S3ProxyLeanListTest extends LeanListChecks {
    @Override
    Map<String, String> startServer(List<AutoCloseable> toClose) {
        S3ProxyServer server = S3ProxyServer.start();
        toClose.add(server);
        return server.storeSettings();
    }
}
