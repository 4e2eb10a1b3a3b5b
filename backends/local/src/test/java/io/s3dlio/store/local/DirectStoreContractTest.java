package io.s3dlio.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContainerContract;
import io.s3dlio.testkit.contract.CopyRenameContract;
import io.s3dlio.testkit.contract.DeleteContract;
import io.s3dlio.testkit.contract.ListContract;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import io.s3dlio.testkit.contract.StreamingWriterContract;
import io.s3dlio.testkit.contract.WriteContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The whole contract kit against direct:// on the disk file system under target/ (see the log line). */
class DirectStoreContractTest {
    static final LocalEnvironment ENVIRONMENT = LocalEnvironment.direct("DirectStoreContractTest");

    @AfterAll
    static void closeEnvironment() throws IOException {
        ENVIRONMENT.close();
    }

    @Test
    void environmentSaysWhereItRuns() {
        assertThat(ENVIRONMENT.description()).startsWith("direct:// on ").contains(ENVIRONMENT.root().toString());
    }

    @Nested class Read extends ReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class RangeRead extends RangeReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Write extends WriteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class StreamingWriter extends StreamingWriterContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class List extends ListContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Delete extends DeleteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class CopyRename extends CopyRenameContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Containers extends ContainerContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
}
