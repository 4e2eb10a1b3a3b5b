package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The fault matrix on S3: S3Proxy behind the proxy; open multipart uploads listed with the AWS SDK. */
class FaultMatrixS3Test extends FaultMatrix {
    private S3ProxyServer server;
    private S3Client admin;

    @Override
    ObjectStores startServer() {
        server = S3ProxyServer.start();
        Map<String, String> settings = server.storeSettings();
        admin = S3Client.builder().endpointOverride(URI.create(server.endpoint())).forcePathStyle(true)
                .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        settings.get("AWS_ACCESS_KEY_ID"), settings.get("AWS_SECRET_ACCESS_KEY")))).build();
        return ObjectStores.create(ConfigSource.of(settings));
    }

    @Override
    void stopServer() throws IOException {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    @Override
    String backend() {
        return "s3";
    }

    @Override
    String container() {
        return "s3://matrix";
    }

    @Override
    FaultProxy startProxy() throws IOException {
        return FaultProxy.startFor(server.endpoint());
    }

    @Override
    Map<String, String> settings(FaultProxy proxy) {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        settings.put("S3DLIO_S3_MAX_RETRIES", String.valueOf(ATTEMPTS - 1));
        settings.put("S3DLIO_S3_READ_TIMEOUT", "1s");
        settings.put("S3DLIO_S3_REQUEST_TIMEOUT", "4s");
        settings.put("S3DLIO_PART_SIZE", "5MiB");
        return settings;
    }

    @Override
    void assertNoOpenUploads() {
        assertThat(admin.listMultipartUploads(b -> b.bucket("matrix")).uploads()).as("open multipart uploads").isEmpty();
    }

    @Override
    Operation operation(WriteStep step) {
        return switch (step) {
            case WHOLE_PUT -> Operation.PUT_OBJECT;
            case PART -> Operation.UPLOAD_PART;
            case COMMIT -> Operation.COMPLETE_MULTIPART_UPLOAD;
            case BULK_DELETE -> Operation.DELETE_OBJECTS;
        };
    }

    @Override
    long transientGets(ReadFault fault) {
        return 2; // the failed request and its retry, or the broken body and one resume for the rest
    }
}
