package io.s3dlio.azure;

import io.s3dlio.engine.transfer.TransferEngineContract;
import io.s3dlio.testkit.StoreEnvironment;
import org.junit.jupiter.api.AfterAll;

/** The transfer engine on az:// against Azurite, started once for this class. */
class AzuriteTransferEngineTest extends TransferEngineContract {
    static final AzuriteEnvironment ENVIRONMENT = new AzuriteEnvironment();

    @AfterAll
    static void closeEnvironment() {
        ENVIRONMENT.close();
    }

    @Override
    protected StoreEnvironment environment() {
        return ENVIRONMENT;
    }
}
