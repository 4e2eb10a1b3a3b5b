package io.s3dlio.cli;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.AzuriteServer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The fault matrix on Azure: Azurite behind the proxy. The Azure SDK's retry policy is this backend's one
 * retry layer ({@code S3DLIO_AZURE_MAX_TRIES}); it resumes a broken body itself with the ETag as a condition.
 */
class FaultMatrixAzureTest extends FaultMatrix {
    private AzuriteServer server;

    @Override
    ObjectStores startServer() {
        server = AzuriteServer.start();
        return ObjectStores.create(ConfigSource.of(server.settings()));
    }

    @Override
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    String backend() {
        return "azure";
    }

    @Override
    String container() {
        return "az://" + AzuriteServer.ACCOUNT + "/matrix";
    }

    @Override
    FaultProxy startProxy() throws IOException {
        return FaultProxy.start("127.0.0.1", server.port());
    }

    @Override
    Map<String, String> settings(FaultProxy proxy) {
        Map<String, String> settings = new HashMap<>();
        settings.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName="
                + AzuriteServer.ACCOUNT + ";AccountKey=" + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint="
                + proxy.endpoint() + "/" + AzuriteServer.ACCOUNT + ";");
        settings.put("S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
        settings.put("S3DLIO_AZURE_MAX_TRIES", String.valueOf(ATTEMPTS));
        // The SDK's default base delay of 4 s would let the 4 s deadline cut every read's first retry.
        settings.put("S3DLIO_AZURE_RETRY_DELAY", "200ms");
        settings.put("S3DLIO_AZURE_REQUEST_TIMEOUT", "4s");
        settings.put("S3DLIO_PART_SIZE", "5MiB");
        return settings;
    }

    @Override
    void assertNoOpenUploads() {
        // Azure has no upload to leave open: staged blocks are invisible, never billed as an object, and the
        // service drops them at the blob's next commit or after a week (BlockUploadTarget.abort). The cells
        // check what can be seen: nothing under a final name after a failed write.
    }

    @Override
    Operation operation(WriteStep step) {
        return switch (step) {
            case WHOLE_PUT -> Operation.PUT_OBJECT;
            case PART -> Operation.PUT_BLOCK;
            case COMMIT -> Operation.PUT_BLOCK_LIST;
            case BULK_DELETE -> Operation.DELETE_OBJECTS;
        };
    }

    @Override
    long transientGets(ReadFault fault) {
        // A 3 s stall is waited out: the SDK's HTTP client has no per-read socket timeout (and the try timeout,
        // S3DLIO_AZURE_TRY_TIMEOUT, does not cover a body already streaming); the request deadline bounds it.
        return fault == ReadFault.STALL_MID_BODY ? 1 : 2;
    }

    @Override
    boolean persistentSucceeds(ReadFault fault) {
        return fault == ReadFault.STALL_MID_BODY;
    }
}
