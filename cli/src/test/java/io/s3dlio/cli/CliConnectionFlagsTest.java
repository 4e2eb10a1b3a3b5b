package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.server.S3ProxyServer;
import io.s3dlio.testkit.server.ServerProcess;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connection flags (--endpoint-url, repeatable, --region, --ca-bundle, --profile) win over the environment,
 * on two S3Proxy front ends sharing one directory; a summary lists per-endpoint counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliConnectionFlagsTest {
    private static final int OBJECTS = 40;
    private static final int SIZE = 3_000;

    private Path shared;
    private S3ProxyServer first;
    private S3ProxyServer second;
    private CliHarness cli;

    @BeforeAll
    void start() throws Exception {
        shared = ServerProcess.tempDirectory("s3proxy-shared-");
        first = S3ProxyServer.startSharing(shared);
        second = S3ProxyServer.startSharing(shared);
        try (ObjectStores direct = ObjectStores.create(ConfigSource.of(first.storeSettings()))) {
            Location bucket = Location.parse("s3://flags/");
            ObjectStore store = direct.forLocation(bucket);
            store.createContainer(bucket);
            for (int i = 0; i < OBJECTS; i++) {
                store.put(bucket.withKey("data/obj-" + i), ByteBuffer.allocate(SIZE), WriteOptions.DEFAULT);
            }
        }
        // The environment names an endpoint nothing listens on: only the flags can make commands work.
        Map<String, String> environment = new HashMap<>(first.storeSettings());
        environment.put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        environment.put("S3DLIO_S3_MAX_RETRIES", "0");
        cli = new CliHarness(ConfigSource.of(environment));
    }

    @AfterAll
    void stop() throws Exception {
        if (cli != null) {
            cli.close();
        }
        for (S3ProxyServer server : new S3ProxyServer[] {first, second}) {
            if (server != null) {
                server.close();
            }
        }
        ServerProcess.deleteTree(shared);
    }

    @Test
    void endpointFlagsWinOverTheEnvironmentAndSpreadRequests() {
        assertThat(cli.run("ls", "s3://flags/data/").exitCode()).as("the environment's endpoint refuses").isNotZero();

        CliHarness.Result result = cli.run("--json", "get", "-r", "s3://flags/data/", "--endpoint-url", first.endpoint(),
                "--endpoint-url", second.endpoint(), "--region", "us-east-1");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, Object> summary = result.summary();
        assertThat(summary).containsEntry("objects", (long) OBJECTS).containsEntry("bytes", (long) OBJECTS * SIZE);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) summary.get("endpoints");
        assertThat(endpoints).extracting(endpoint -> endpoint.get("endpoint"))
                .containsExactly(first.endpoint(), second.endpoint());
        assertThat(endpoints).allSatisfy(endpoint -> assertThat((Long) endpoint.get("requests")).isPositive());
        assertThat(endpoints.stream().mapToLong(endpoint -> (Long) endpoint.get("bytes")).sum())
                .isEqualTo((long) OBJECTS * SIZE);

        // One --endpoint-url: a plain store, as with AWS_ENDPOINT_URL; global flags go before the command too.
        CliHarness.Result single = cli.run("--endpoint-url", first.endpoint(), "--json", "ls", "s3://flags/data/");
        assertThat(single.exitCode()).as(single.toString()).isZero();
        assertThat(single.summary()).doesNotContainKey("endpoints");

        CliHarness.Result verbose = cli.run("-v", "get", "-r", "s3://flags/data/", "--endpoint-url", first.endpoint(),
                "--endpoint-url", second.endpoint());
        assertThat(verbose.exitCode()).as(verbose.toString()).isZero();
        assertThat(verbose.stderr()).contains("endpoint " + first.endpoint() + ": ", "endpoint " + second.endpoint() + ": ");
    }

    @Test
    void caBundleAndProfileFlagsWinOverTheEnvironment() {
        CliHarness.Result badBundle = cli.run("ls", "s3://flags/data/", "--endpoint-url", first.endpoint(),
                "--ca-bundle", "/no/such/bundle.pem");
        assertThat(badBundle.exitCode()).isNotZero();
        assertThat(badBundle.stderr()).contains("/no/such/bundle.pem");

        // The environment's keys work; a named profile that does not exist replaces them, as with the aws CLI.
        assertThat(cli.run("ls", "s3://flags/data/", "--endpoint-url", first.endpoint()).exitCode()).isZero();
        CliHarness.Result profile = cli.run("ls", "s3://flags/data/", "--endpoint-url", first.endpoint(),
                "--profile", "s3dlio-no-such-profile");
        assertThat(profile.exitCode()).as(profile.toString()).isNotZero();
        assertThat(profile.stderr()).containsIgnoringCase("credentials");
    }
}
