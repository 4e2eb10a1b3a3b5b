package io.s3dlio.store.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Capability;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContractSuite;
import java.util.Set;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The whole contract kit against file:// on the disk file system under target/ (see the log line). */
class FileStoreContractTest extends ContractSuite {
    static final LocalEnvironment ENVIRONMENT = LocalEnvironment.file("FileStoreContractTest");

    @AfterAll
    static void closeEnvironment() throws IOException {
        ENVIRONMENT.close();
    }

    @Test
    void environmentSaysWhereItRuns() {
        assertThat(ENVIRONMENT.description()).startsWith("file:// on ").contains(ENVIRONMENT.root().toString());
    }

    @Override
    protected StoreEnvironment environment() {
        return ENVIRONMENT;
    }

    @Override
    protected Set<Capability> expectedCapabilities() {
        return Set.of(Capability.ATOMIC_RENAME, Capability.CONDITIONAL_WRITE);
    }
}
