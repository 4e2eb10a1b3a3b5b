package io.s3dlio.s3;

import io.s3dlio.api.Capability;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContainerContract;
import io.s3dlio.testkit.contract.CopyRenameContract;
import io.s3dlio.testkit.contract.DeleteContract;
import io.s3dlio.testkit.contract.ListContract;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import io.s3dlio.testkit.contract.StreamingWriterContract;
import io.s3dlio.testkit.contract.WriteContract;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;

/** The whole contract kit on S3Proxy 4.1.0, started once for this class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ProxyContractTest {
    static S3Environment environment;

    @BeforeAll
    void startServer() throws IOException {
        S3ProxyServer server = S3ProxyServer.start();
        environment = new S3Environment(server.storeSettings(), server.description(), server,
                Set.of(Capability.KEY_AND_PREFIX_COEXIST)); // S3Proxy stores keys as files
    }

    @AfterAll
    void stopServer() throws IOException {
        if (environment != null) {
            environment.close();
        }
    }

    static StoreEnvironment env() {
        return environment;
    }

    @Nested class Read extends ReadContract { @Override protected StoreEnvironment environment() { return env(); } }
    @Nested class RangeRead extends RangeReadContract { @Override protected StoreEnvironment environment() { return env(); } }
    @Nested class Write extends WriteContract { @Override protected StoreEnvironment environment() { return env(); } }
    @Nested class StreamingWriter extends StreamingWriterContract {
        @Override protected StoreEnvironment environment() { return env(); }
        @Override protected int largeObjectSize() { return 2 * 8 * 1024 * 1024 + 1; } // past one 16 MiB part
    }
    @Nested class List extends ListContract { @Override protected StoreEnvironment environment() { return env(); } }
    @Nested class Delete extends DeleteContract { @Override protected StoreEnvironment environment() { return env(); } }
    @Nested class CopyRename extends CopyRenameContract { @Override protected StoreEnvironment environment() { return env(); } }
    @Nested class Containers extends ContainerContract { @Override protected StoreEnvironment environment() { return env(); } }
}
