package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.testkit.http.HttpObjectServer;
import io.s3dlio.testkit.http.HttpObjectStore;
import io.s3dlio.testkit.proxy.LatencyProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The range engine contract over a real HTTP connection (the JDK HTTP server over mem://), through the
 * latency proxy, which counts every request by method: the proof that no HEAD is sent for objects of
 * unknown size.
 */
class HttpRangeEngineTest extends RangeEngineContract {
    private static HttpObjectServer server;
    private static LatencyProxy proxy;
    private static HttpObjectStore http;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void startServer() throws IOException {
        server = new HttpObjectServer();
        proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.cloudLink(Duration.ofMillis(1), 500_000_000));
        http = new HttpObjectStore("127.0.0.1", proxy.port());
    }

    @AfterAll
    static void stopServer() {
        http.close();
        proxy.close();
        server.close();
    }

    @Override
    protected ObjectStore backend() {
        return http;
    }

    @Override
    protected Location newLocation(String name) {
        return Location.parse("mem://range-http/t" + COUNTER.incrementAndGet() + "/" + name);
    }

    @Test
    void noHeadIsSentForAnObjectOfUnknownSize() throws Exception {
        Location location = newLocation("no-head");
        byte[] data = put(location, 10 * CHUNK + 7, 77);
        proxy.resetCounts();
        assertThat(engine.read(store, location, OptionalLong.empty()).toArray()).isEqualTo(data);
        assertThat(proxy.methodCounts()).isEqualTo(Map.of("GET", 11L));

        Location small = newLocation("small");
        byte[] tiny = put(small, 1000, 78);
        proxy.resetCounts();
        assertThat(engine.read(store, small, OptionalLong.empty()).toArray()).isEqualTo(tiny);
        assertThat(proxy.methodCounts()).isEqualTo(Map.of("GET", 1L));
    }

    @Test
    void theProxyWouldSeeAHead() throws Exception {
        // Control for the test above: a stat through the same path is counted as a HEAD.
        Location location = newLocation("control");
        put(location, 10, 79);
        proxy.resetCounts();
        assertThat(http.stat(location).size()).isEqualTo(10);
        assertThat(proxy.methodCounts()).isEqualTo(Map.of("HEAD", 1L));
    }
}
