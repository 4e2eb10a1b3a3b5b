package io.s3dlio.bench.peers;

import io.s3dlio.bench.fixture.BenchS3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Every harness command at tiny sizes against the fixture, in process: keeps the peer harness working. */
class TransferManagerPeerSmokeTest {

    private static BenchS3Server server;

    @BeforeAll
    static void start() throws Exception {
        server = BenchS3Server.start(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String run(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(List.of("--endpoint", server.endpoint().toString(), "--jobs", "4"));
        all.addAll(List.of(args));
        return TransferManagerPeer.run(all);
    }

    @Test
    void everyCommandRoundTripsAgainstTheFixture(@TempDir Path dir) throws Exception {
        assertThat(run("seed", "s3://smoke/small/", "20", "4096")).isEqualTo("ok seed objects=20 bytes=81920");
        assertThat(run("ls", "s3://smoke/small/")).isEqualTo("ok ls objects=20 bytes=81920");
        assertThat(run("get-dir", "s3://smoke/small/", dir.resolve("down").toString()))
                .isEqualTo("ok get-dir objects=20 bytes=81920");

        // 20 MiB: above the CRT's 8 MiB part size, so both directions go multipart/ranged.
        byte[] big = new byte[20 << 20];
        new Random(7).nextBytes(big);
        Path source = dir.resolve("big.bin");
        Files.write(source, big);
        assertThat(run("put-one", source.toString(), "s3://smoke/big.bin")).isEqualTo("ok put-one objects=1 bytes=" + big.length);
        Path copy = dir.resolve("big.copy");
        assertThat(run("get-one", "s3://smoke/big.bin", copy.toString())).isEqualTo("ok get-one objects=1 bytes=" + big.length);
        assertThat(Files.readAllBytes(copy)).isEqualTo(big);

        assertThat(run("put-dir", dir.resolve("down").toString(), "s3://smoke/up/"))
                .isEqualTo("ok put-dir objects=20 bytes=81920");
        assertThat(run("ls", "s3://smoke/up/")).isEqualTo("ok ls objects=20 bytes=81920");
        assertThat(run("purge", "s3://smoke/up/")).isEqualTo("ok purge objects=20 bytes=0");
        assertThat(run("ls", "s3://smoke/up/")).isEqualTo("ok ls objects=0 bytes=0");
    }
}
