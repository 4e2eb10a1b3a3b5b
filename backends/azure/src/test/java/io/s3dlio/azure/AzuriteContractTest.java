package io.s3dlio.azure;

import io.s3dlio.api.Capability;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContractSuite;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;

/** The whole contract kit against az:// on Azurite (started once for this class). */
class AzuriteContractTest extends ContractSuite {
    static final AzuriteEnvironment ENVIRONMENT = new AzuriteEnvironment();

    @AfterAll
    static void closeEnvironment() {
        ENVIRONMENT.close();
    }

    @Override
    protected StoreEnvironment environment() {
        return ENVIRONMENT;
    }

    @Override
    protected Set<Capability> expectedCapabilities() {
        return Set.of(Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE, Capability.MULTIPART_UPLOAD,
                Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST, Capability.CONDITIONAL_WRITE,
                Capability.FULL_OBJECT_CRC32C);
    }

    /** Past one 8 MiB block, so the contract's streams go through staged blocks and a commit. */
    @Override
    protected int largeObjectSize() {
        return 9 * 1024 * 1024 + 1;
    }
}
