package io.s3dlio.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.EndpointStatistics;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.server.S3ProxyServer;
import io.s3dlio.testkit.server.ServerProcess;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three S3Proxy processes serving one directory (one "cluster" with three front ends) behind one store with
 * {@code S3DLIO_ENDPOINTS}: requests spread evenly, a killed front end's requests go to the others.
 */
class MultiEndpointS3ProxyTest {
    private static final int OBJECTS = 300;
    private static final int SIZE = 8 * 1024;

    private Path shared;
    private final List<S3ProxyServer> servers = new ArrayList<>();

    @BeforeEach
    void start() {
        shared = ServerProcess.tempDirectory("s3proxy-shared-");
        for (int i = 0; i < 3; i++) {
            servers.add(S3ProxyServer.startSharing(shared));
        }
    }

    @AfterEach
    void stop() {
        servers.forEach(S3ProxyServer::close);
        ServerProcess.deleteTree(shared);
    }

    private ObjectStore store(String balancing) {
        Map<String, String> settings = new HashMap<>(servers.get(0).storeSettings());
        settings.remove("AWS_ENDPOINT_URL");
        settings.put("S3DLIO_ENDPOINTS", servers.stream().map(S3ProxyServer::endpoint).collect(Collectors.joining(",")));
        settings.put("S3DLIO_ENDPOINT_BALANCING", balancing);
        settings.put("S3DLIO_S3_MAX_RETRIES", "5");
        return new S3StoreProvider().create(ConfigSource.of(settings));
    }

    private static byte[] content(int i) {
        byte[] data = new byte[SIZE];
        Arrays.fill(data, (byte) i);
        data[0] = (byte) (i >>> 8);
        return data;
    }

    private static List<EndpointStatistics.Endpoint> endpoints(ObjectStore store) {
        return ((EndpointStatistics) store).endpoints();
    }

    private static long sum(List<EndpointStatistics.Endpoint> list, java.util.function.ToLongFunction<EndpointStatistics.Endpoint> field) {
        return list.stream().mapToLong(field).sum();
    }

    /** Creates the bucket and OBJECTS objects through the balanced store; returns the bucket root. */
    private Location fill(ObjectStore store) throws IOException {
        Location bucket = Location.parse("s3://cluster-" + System.nanoTime() + "/");
        store.createContainer(bucket);
        for (int i = 0; i < OBJECTS; i++) {
            store.put(bucket.withKey("obj-" + i), ByteBuffer.wrap(content(i)), io.s3dlio.api.WriteOptions.DEFAULT);
        }
        return bucket;
    }

    @Test
    void roundRobinSpreadsRequestsEvenlyAndCountsAddUp() throws Exception {
        try (ObjectStore store = store("round-robin")) {
            assertThat(store).isInstanceOf(EndpointStatistics.class);
            Location bucket = fill(store);
            List<EndpointStatistics.Endpoint> before = endpoints(store);
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<byte[]>> reads = new ArrayList<>();
                for (int i = 0; i < OBJECTS; i++) {
                    Location object = bucket.withKey("obj-" + i);
                    reads.add(pool.submit(() -> store.get(object).toArray()));
                }
                for (int i = 0; i < OBJECTS; i++) {
                    assertThat(reads.get(i).get()).isEqualTo(content(i));
                }
            }
            List<EndpointStatistics.Endpoint> after = endpoints(store);
            long total = 0;
            for (int i = 0; i < 3; i++) {
                long gets = after.get(i).requests() - before.get(i).requests();
                assertThat(gets).as("GETs on %s", after.get(i).endpoint()).isBetween(90L, 110L);
                total += gets;
            }
            assertThat(total).isEqualTo(OBJECTS);
            assertThat(sum(after, EndpointStatistics.Endpoint::errors)).isZero();
            // Every byte read went through one of the three.
            assertThat(sum(after, EndpointStatistics.Endpoint::bytes) - sum(before, EndpointStatistics.Endpoint::bytes))
                    .isEqualTo((long) OBJECTS * SIZE);
        }
    }

    @Test
    void aKilledEndpointsRequestsAreRetriedOnTheOthers() throws Exception {
        try (ObjectStore store = store("least-connections")) {
            Location bucket = fill(store);
            long requestsBefore = sum(endpoints(store), EndpointStatistics.Endpoint::requests);
            AtomicInteger done = new AtomicInteger();
            S3ProxyServer victim = servers.get(1);
            List<byte[]> read = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
                List<Future<byte[]>> reads = new ArrayList<>();
                for (int i = 0; i < OBJECTS; i++) {
                    Location object = bucket.withKey("obj-" + i);
                    reads.add(pool.submit(() -> {
                        byte[] bytes = store.get(object).toArray();
                        if (done.incrementAndGet() == OBJECTS / 3) {
                            victim.kill(); // mid-run: a third read, two thirds to go
                        }
                        return bytes;
                    }));
                }
                for (Future<byte[]> future : reads) {
                    read.add(future.get());
                }
            }
            for (int i = 0; i < OBJECTS; i++) {
                assertThat(read.get(i)).as("obj-%d", i).isEqualTo(content(i));
            }
            List<EndpointStatistics.Endpoint> after = endpoints(store);
            EndpointStatistics.Endpoint dead = after.get(1);
            assertThat(dead.errors()).as("the killed endpoint failed at least once").isPositive();
            assertThat(dead.retriedElsewhere()).as("and its failures went elsewhere").isEqualTo(dead.errors());
            assertThat(dead.setAside()).isPositive();
            assertThat(after.get(0).errors() + after.get(2).errors()).isZero();
            // Every attempt is counted once: one per object, plus one per failed attempt that was retried.
            long attempts = sum(after, EndpointStatistics.Endpoint::requests) - requestsBefore;
            assertThat(attempts).isEqualTo(OBJECTS + sum(after, EndpointStatistics.Endpoint::retriedElsewhere));
        }
    }
}
