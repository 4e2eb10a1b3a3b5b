package io.s3dlio.s3;

import io.s3dlio.api.Capability;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** The whole contract kit on S3Proxy 4.1.0, started once for this class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ProxyContractTest extends S3ContractSuite {
    static S3Environment environment;

    @BeforeAll
    void startServer() throws IOException {
        S3ProxyServer server = S3ProxyServer.start();
        environment = new S3Environment(server.storeSettings(), server.description(), server, serverLacks());
    }

    @AfterAll
    void stopServer() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    protected StoreEnvironment environment() {
        return environment;
    }

    /** S3Proxy stores keys as files, so a key cannot also be a prefix. */
    @Override
    protected Set<Capability> serverLacks() {
        return Set.of(Capability.KEY_AND_PREFIX_COEXIST);
    }
}
