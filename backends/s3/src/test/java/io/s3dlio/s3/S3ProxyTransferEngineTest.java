package io.s3dlio.s3;

import io.s3dlio.api.Capability;
import io.s3dlio.engine.transfer.TransferEngineContract;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The transfer engine on s3:// against S3Proxy, started once for this class. */
class S3ProxyTransferEngineTest extends TransferEngineContract {
    private static S3Environment environment;

    @BeforeAll
    static void startServer() throws IOException {
        S3ProxyServer server = S3ProxyServer.start();
        environment = new S3Environment(server.storeSettings(), server.description(), server,
                Set.of(Capability.KEY_AND_PREFIX_COEXIST));
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    protected StoreEnvironment environment() {
        return environment;
    }
}
