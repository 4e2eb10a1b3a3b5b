package io.s3dlio.s3;

import io.s3dlio.testkit.server.S3MockServer;
import java.util.List;
import java.util.Map;

/** The lean ListObjectsV2 against Adobe S3Mock, a second server implementation, side by side with the SDK's. */
class S3MockLeanListTest extends LeanListChecks {
    @Override
    Map<String, String> startServer(List<AutoCloseable> toClose) {
        S3MockServer server = S3MockServer.start();
        toClose.add(server);
        return server.storeSettings();
    }
}
