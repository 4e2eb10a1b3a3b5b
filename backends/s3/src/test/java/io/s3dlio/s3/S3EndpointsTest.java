package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The endpoint list's mapping and the pool's choices, with the pool's clock moved by hand. */
class S3EndpointsTest {
    private static final String THREE = "http://a:1, http://b:2,http://c:3";

    @Test
    void theListWinsOverTheSingleEndpointAndTheFirstIsTheEndpoint() {
        S3Config config = S3Config.from(ConfigSource.of(Map.of("AWS_ENDPOINT_URL", "http://single:9", "S3DLIO_ENDPOINTS", THREE)));
        assertThat(config.endpoints().uris()).containsExactly(URI.create("http://a:1"), URI.create("http://b:2"),
                URI.create("http://c:3"));
        assertThat(config.endpoints().balanced()).isTrue();
        assertThat(config.endpoint()).contains(URI.create("http://a:1"));
        assertThat(config.addressing()).isEqualTo(S3Config.Addressing.PATH);
        assertThat(config.endpoints().balancing()).isEqualTo(S3Endpoints.Balancing.ROUND_ROBIN);

        S3Config original = S3Config.from(ConfigSource.of(Map.of("S3_ENDPOINT_URIS", "http://x:1,http://y:2",
                "S3DLIO_ENDPOINT_BALANCING", "least-connections", "S3DLIO_ENDPOINT_BACKOFF", "30s",
                "S3DLIO_ENDPOINT_FAILURES", "5")));
        assertThat(original.endpoints().uris()).hasSize(2);
        assertThat(original.endpoints().balancing()).isEqualTo(S3Endpoints.Balancing.LEAST_CONNECTIONS);
        assertThat(original.endpoints().backoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(original.endpoints().failuresBeforeBackoff()).isEqualTo(5);
    }

    @Test
    void oneEndpointIsNotBalanced() {
        S3Config single = S3Config.from(ConfigSource.of(Map.of("AWS_ENDPOINT_URL", "http://single:9")));
        assertThat(single.endpoints().uris()).containsExactly(URI.create("http://single:9"));
        assertThat(single.endpoints().balanced()).isFalse();
        assertThat(S3Config.defaults().endpoints().uris()).isEmpty();
    }

    @Test
    void badListsFailNamingTheVariable() {
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("S3DLIO_ENDPOINTS", "http://a:1,ftp://b"))))
                .hasMessageContaining("S3DLIO_ENDPOINTS='ftp://b'");
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("S3_ENDPOINT_URIS", "http://a:1,http://a:1"))))
                .hasMessageContaining("S3_ENDPOINT_URIS lists http://a:1 twice");
        assertThatThrownBy(() -> S3Config.from(ConfigSource.of(Map.of("S3DLIO_ENDPOINTS", THREE,
                "S3DLIO_ENDPOINT_BALANCING", "random")))).hasMessageContaining("S3DLIO_ENDPOINT_BALANCING='random'");
    }

    private static EndpointPool pool(AtomicLong clock, String balancing) {
        Map<String, String> settings = new HashMap<>(Map.of("S3DLIO_ENDPOINTS", THREE, "S3DLIO_ENDPOINT_BACKOFF", "10s",
                "S3DLIO_ENDPOINT_FAILURES", "2", "S3DLIO_ENDPOINT_BALANCING", balancing));
        return new EndpointPool(S3Config.from(ConfigSource.of(settings)).endpoints(), clock::get);
    }

    @Test
    void roundRobinTakesEachInTurnAndSkipsOneSetAsideUntilItsBackoffEnds() {
        AtomicLong clock = new AtomicLong();
        EndpointPool pool = pool(clock, "round-robin");
        List<EndpointPool.Member> members = pool.members();
        assertThat(List.of(pool.choose(List.of()), pool.choose(List.of()), pool.choose(List.of()), pool.choose(List.of())))
                .containsExactly(members.get(0), members.get(1), members.get(2), members.get(0));

        pool.failed(members.get(1), true, new java.net.ConnectException("refused"));
        for (int i = 0; i < 30; i++) {
            assertThat(pool.choose(List.of())).isNotSameAs(members.get(1));
        }
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(List.of(pool.choose(List.of()), pool.choose(List.of()), pool.choose(List.of()))).contains(members.get(1));

        // Failing again right away: set aside for twice as long.
        pool.failed(members.get(1), true, new java.net.ConnectException("refused"));
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        for (int i = 0; i < 30; i++) {
            assertThat(pool.choose(List.of())).isNotSameAs(members.get(1));
        }
        assertThat(members.get(1).setAside.sum()).isEqualTo(2);
        assertThat(members.get(1).errors.sum()).isEqualTo(2);
    }

    @Test
    void failuresInARowSetAnEndpointAsideAndASuccessForgivesThem() {
        AtomicLong clock = new AtomicLong();
        EndpointPool pool = pool(clock, "round-robin");
        EndpointPool.Member flaky = pool.members().get(2);
        pool.failed(flaky, false, new RuntimeException("503"));
        pool.succeeded(flaky);
        pool.failed(flaky, false, new RuntimeException("503"));
        assertThat(flaky.setAside.sum()).isZero();
        pool.failed(flaky, false, new RuntimeException("503"));
        assertThat(flaky.setAside.sum()).isEqualTo(1);
        for (int i = 0; i < 30; i++) {
            assertThat(pool.choose(List.of())).isNotSameAs(flaky);
        }
    }

    @Test
    void aRetryAvoidsEndpointsAlreadyTriedAndAllSetAsideMeansTheFirstBack() {
        AtomicLong clock = new AtomicLong();
        EndpointPool pool = pool(clock, "round-robin");
        List<EndpointPool.Member> members = pool.members();
        for (int i = 0; i < 10; i++) {
            assertThat(pool.choose(List.of(members.get(0), members.get(2)))).isSameAs(members.get(1));
        }
        pool.failed(members.get(0), true, new java.net.ConnectException("refused"));
        clock.addAndGet(1);
        pool.failed(members.get(1), true, new java.net.ConnectException("refused"));
        clock.addAndGet(1);
        pool.failed(members.get(2), true, new java.net.ConnectException("refused"));
        assertThat(pool.choose(List.of())).isSameAs(members.get(0));
    }

    @Test
    void leastConnectionsPicksTheEndpointWithFewestInFlight() {
        EndpointPool pool = pool(new AtomicLong(), "least-connections");
        List<EndpointPool.Member> members = pool.members();
        members.get(0).inFlight.set(5);
        members.get(1).inFlight.set(1);
        members.get(2).inFlight.set(3);
        for (int i = 0; i < 6; i++) {
            assertThat(pool.choose(List.of())).isSameAs(members.get(1));
        }
        members.get(1).inFlight.set(9);
        assertThat(pool.choose(List.of())).isSameAs(members.get(2));
    }
}
