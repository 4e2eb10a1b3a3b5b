package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.server.S3MockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lean GET/HEAD path over https, on the store's one Apache client with its trust settings: S3Mock's HTTPS
 * connector, whose self-signed certificate (fetched here) is the store's AWS_CA_BUNDLE. S3Mock accepts any
 * signature, so this checks TLS, addressing and answers; S3LeanGetTest checks signatures on S3Proxy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3LeanGetHttpsTest {
    private S3MockServer server;

    @BeforeAll
    void start() {
        server = S3MockServer.start();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void leanGetsAndHeadsWorkOverHttpsAndAnswerAsTheSdkPath(@TempDir Path directory) throws Exception {
        Path bundle = directory.resolve("s3mock.pem");
        Files.writeString(bundle, pem(URI.create(server.httpsEndpoint())), StandardCharsets.US_ASCII);
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", server.httpsEndpoint());
        settings.put("AWS_CA_BUNDLE", bundle.toString());
        Map<String, String> sdkSettings = new HashMap<>(settings);
        sdkSettings.put(S3Config.LEAN_GET, "false");
        sdkSettings.put(S3Config.LEAN_PUT, "false");
        byte[] data = TestData.bytes(150_000, 31);
        try (S3ObjectStore lean = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings));
                S3ObjectStore sdk = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(sdkSettings))) {
            assertThat(lean.client().toString()).startsWith("LeanS3Client[https://localhost:");
            Location bucket = Location.parse("s3://lean-https");
            sdk.createContainer(bucket);
            Location location = bucket.withKey("dir/over tls.bin");
            sdk.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            // GETs and HEADs alone never build the lean store's SDK clients (issue 16: `s3-cli stat` start-up).
            assertThat(lean.stat(location).size()).isEqualTo(data.length);
            assertThat(lean.get(location).toArray()).isEqualTo(data);
            assertThat(LeanS3Client.of(lean.client()).sdkClientBuilt()).isFalse();
            assertThat(LeanS3Client.of(lean.readClient()).sdkClientBuilt()).isFalse();
            lean.createContainer(Location.parse("s3://lean-https-2"));
            assertThat(LeanS3Client.of(lean.client()).sdkClientBuilt()).isTrue();
            assertThat(lean.get(location).toArray()).isEqualTo(data);
            assertThat(lean.getRange(location, 100, OptionalLong.of(1_000)).toArray())
                    .isEqualTo(Arrays.copyOfRange(data, 100, 1_100));
            assertThat(lean.stat(location)).isEqualTo(sdk.stat(location));
            assertThat(lean.exists(bucket.withKey("dir/absent.bin"))).isFalse();

            // A multipart upload whose parts go the lean way over TLS (UNSIGNED-PAYLOAD there, as the SDK signs
            // over https, with each part's CRC32C) reads back intact and with the stored full-object CRC32C.
            byte[] big = TestData.bytes(11 * 1024 * 1024 + 7, 32);
            Location parted = bucket.withKey("dir/parted over tls.bin");
            try (ObjectWriter writer = lean.newWriter(parted, WriteOptions.DEFAULT.withPartSize(5 * 1024 * 1024))) {
                writer.write(ByteBuffer.wrap(big));
                writer.finish();
            }
            assertThat(sdk.get(parted).toArray()).isEqualTo(big);
            assertThat(lean.stat(parted)).isEqualTo(sdk.stat(parted));
        }
    }

    @Test
    void theTlsSetUpMadeOnFirstUseStillChecksTheServersCertificate(@TempDir Path directory) throws Exception {
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", server.httpsEndpoint());
        settings.remove("AWS_CA_BUNDLE");
        Map<String, String> trusted = new HashMap<>(settings);
        Path bundle = directory.resolve("s3mock.pem");
        Files.writeString(bundle, pem(URI.create(server.httpsEndpoint())), StandardCharsets.US_ASCII);
        trusted.put("AWS_CA_BUNDLE", bundle.toString());
        Location location = Location.parse("s3://lean-https-untrusted/key.bin");
        try (S3ObjectStore store = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(trusted))) {
            store.createContainer(Location.parse("s3://lean-https-untrusted"));
            store.put(location, ByteBuffer.wrap(new byte[] {1, 2, 3}), WriteOptions.DEFAULT);
        }
        // S3Mock's self-signed certificate is in no trust store of the JDK's: without AWS_CA_BUNDLE the
        // handshake must fail, on the lean HEAD and on the SDK path alike.
        settings.put("S3DLIO_S3_MAX_RETRIES", "0");
        try (S3ObjectStore store = (S3ObjectStore) new S3StoreProvider().create(ConfigSource.of(settings))) {
            assertThatThrownBy(() -> store.stat(location)).isInstanceOf(IOException.class)
                    .hasStackTraceContaining("PKIX");
            assertThatThrownBy(() -> store.put(location, ByteBuffer.wrap(new byte[] {4}), WriteOptions.DEFAULT))
                    .isInstanceOf(IOException.class).hasStackTraceContaining("PKIX");
        }
    }

    /** The server's certificate as PEM, taken from a handshake that trusts it once, for this test only. */
    private static String pem(URI endpoint) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptOnce()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", endpoint.getPort())) {
            socket.startHandshake();
            Certificate certificate = socket.getSession().getPeerCertificates()[0];
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        }
    }

    /** Accepts the one certificate it is shown: used only to read S3Mock's self-signed certificate. */
    private static final class AcceptOnce implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // trusted for the one handshake that reads it
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
