package io.s3dlio.python;

import io.s3dlio.testkit.server.AzuriteServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Starts the servers python/tests run against (S3Proxy and Azurite, through the test kit's launchers), prints
 * the environment variables that point the library at them (one {@code NAME=value} per line, then {@code READY}),
 * and stops both when its standard input closes: the pytest session that started it owns its lifetime.
 */
public final class TestServers {
    private TestServers() {
    }

    public static void main(String[] args) throws IOException {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (S3ProxyServer s3 = S3ProxyServer.start(); AzuriteServer azurite = AzuriteServer.start()) {
            s3.storeSettings().forEach((name, value) -> out.println(name + "=" + value));
            out.println("S3DLIO_S3_CHECKSUM=when_required");
            out.println("AZURE_STORAGE_CONNECTION_STRING=" + azurite.connectionString());
            out.println("S3DLIO_AZURE_SERVICE_VERSION=" + AzuriteServer.SERVICE_VERSION);
            out.println("S3DLIO_TEST_AZURE_ACCOUNT=" + AzuriteServer.ACCOUNT);
            out.println("READY");
            while (System.in.read() >= 0) {
                // Wait for the parent to close our stdin (or die).
            }
        }
    }
}
