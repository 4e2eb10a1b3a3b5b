package io.s3dlio.azure;

import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContainerContract;
import io.s3dlio.testkit.contract.CopyRenameContract;
import io.s3dlio.testkit.contract.DeleteContract;
import io.s3dlio.testkit.contract.ListContract;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import io.s3dlio.testkit.contract.StreamingWriterContract;
import io.s3dlio.testkit.contract.WriteContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The whole contract kit against az:// on Azurite (started once for this class). */
class AzuriteContractTest {
    static final AzuriteEnvironment ENVIRONMENT = new AzuriteEnvironment();

    @AfterAll
    static void closeEnvironment() {
        ENVIRONMENT.close();
    }

    @Nested class Read extends ReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class RangeRead extends RangeReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Write extends WriteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class StreamingWriter extends StreamingWriterContract {
        @Override protected StoreEnvironment environment() { return ENVIRONMENT; }
        // Past one 8 MiB block, so the contract's streams go through staged blocks and a commit.
        @Override protected int largeObjectSize() { return 9 * 1024 * 1024 + 1; }
    }
    @Nested class List extends ListContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Delete extends DeleteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class CopyRename extends CopyRenameContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Containers extends ContainerContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
}
