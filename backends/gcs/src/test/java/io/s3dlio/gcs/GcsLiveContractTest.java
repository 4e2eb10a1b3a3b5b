package io.s3dlio.gcs;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.api.Capability;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.ContractSuite;
import java.util.Set;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/**
 * The whole contract kit against real Google Cloud Storage, with no fake and no overrides. It runs when
 * {@code S3DLIO_TEST_GCS_BUCKET} names a bucket (credentials: Application Default Credentials as configured
 * in docs/CONFIGURATION.md; {@code S3DLIO_GCS_PROJECT} too for the bucket test). Without that variable
 * every test is skipped, saying so; that is the only skip in this module. With the variable set, missing
 * credentials fail the tests loudly.
 *
 * <pre>S3DLIO_TEST_GCS_BUCKET=my-bucket S3DLIO_GCS_PROJECT=my-project ./mvnw -pl backends/gcs test -Dtest=GcsLiveContractTest</pre>
 */
class GcsLiveContractTest extends ContractSuite {
    static final String BUCKET_VARIABLE = "S3DLIO_TEST_GCS_BUCKET";
    private static LiveEnvironment environment;

    static synchronized LiveEnvironment live() {
        ConfigSource config = ConfigSource.fromEnvironment();
        Assumptions.assumeTrue(config.get(BUCKET_VARIABLE).isPresent(), () -> "skipped: " + BUCKET_VARIABLE
                + " is not set, so there is no real GCS bucket to test against (set it, with credentials, to run"
                + " the contract kit on real GCS)");
        if (environment == null) {
            try {
                environment = new LiveEnvironment(config);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot reach gs://" + config.get(BUCKET_VARIABLE).get(), e);
            }
        }
        return environment;
    }

    @AfterAll
    static synchronized void cleanUp() throws IOException {
        if (environment != null) {
            environment.close();
            environment = null;
        }
    }

    static final class LiveEnvironment implements StoreEnvironment {
        private final ObjectStore store;
        private final Location runRoot;
        private final String runId = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
        private final AtomicInteger counter = new AtomicInteger();

        LiveEnvironment(ConfigSource config) throws IOException {
            // Small chunks, so the streaming-writer contracts cross several resumable-upload chunks.
            this.store = GcsStoreProvider.create(GcsConfig.from(config).withChunkSize(256 * 1024));
            this.runRoot = Location.parse("gs://" + config.get(BUCKET_VARIABLE).get() + "/s3dlio-contract-" + runId + "/");
        }

        @Override
        public ObjectStore store() {
            return store;
        }

        @Override
        public Location newTestPrefix() {
            return runRoot.resolve("test-" + counter.incrementAndGet() + "/");
        }

        @Override
        public Location newContainerLocation() {
            return Location.parse("gs://s3dlio-contract-" + runId + "-" + counter.incrementAndGet());
        }

        @Override
        public String description() {
            return "gs:// on real Google Cloud Storage at " + runRoot;
        }

        @Override
        public void close() throws IOException {
            try {
                store.deletePrefix(runRoot);
            } finally {
                store.close();
            }
        }
    }

    @Override
    protected StoreEnvironment environment() {
        return live();
    }

    @Override
    protected Set<Capability> expectedCapabilities() {
        return GcsFakeContractTest.GCS_CAPABILITIES;
    }

    /**
     * Generation preconditions on real GCS: create-only and if-match, one request and streamed, and a
     * compare-and-set counter raced by 8 threads that must count every successful write exactly once.
     */
    @org.junit.jupiter.api.Test
    void conditionalWritesHoldOnRealGcs() throws Exception {
        ObjectStore store = live().store();
        Location prefix = live().newTestPrefix();
        Location pointer = prefix.resolve("latest.json");
        io.s3dlio.api.WriteOptions absent = io.s3dlio.api.WriteOptions.DEFAULT
                .withCondition(io.s3dlio.api.WriteCondition.IF_ABSENT);
        String first = store.put(pointer, java.nio.ByteBuffer.wrap(new byte[] {1}), absent).etag().orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put(pointer, java.nio.ByteBuffer.wrap(new byte[] {2}),
                absent)).isInstanceOf(io.s3dlio.api.PreconditionFailedException.class);
        store.put(pointer, java.nio.ByteBuffer.wrap(new byte[] {3}), io.s3dlio.api.WriteOptions.DEFAULT
                .withCondition(io.s3dlio.api.WriteCondition.ifMatch(first)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put(pointer, java.nio.ByteBuffer.wrap(new byte[] {4}),
                io.s3dlio.api.WriteOptions.DEFAULT.withCondition(io.s3dlio.api.WriteCondition.ifMatch(first))))
                .isInstanceOf(io.s3dlio.api.PreconditionFailedException.class);
        org.assertj.core.api.Assertions.assertThat(store.get(pointer).buffer().get(0)).isEqualTo((byte) 3);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> {
            try (var writer = store.newWriter(pointer, absent.withPartSize(256 * 1024))) {
                writer.write(java.nio.ByteBuffer.wrap(new byte[600 * 1024]));
                writer.finish();
            }
        }).isInstanceOf(io.s3dlio.api.PreconditionFailedException.class);

        Location counter = prefix.resolve("counter");
        store.put(counter, java.nio.ByteBuffer.wrap("0".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                io.s3dlio.api.WriteOptions.DEFAULT);
        java.util.concurrent.atomic.AtomicInteger successes = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<java.util.concurrent.Future<Object>> racers = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("gcs-live-race-", 0).factory())) {
            for (int t = 0; t < 8; t++) {
                racers.add(threads.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        String etag = store.stat(counter).etag().orElseThrow();
                        int value = Integer.parseInt(store.get(counter).toUtf8String());
                        try {
                            store.put(counter, java.nio.ByteBuffer.wrap(Integer.toString(value + 1)
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)), io.s3dlio.api.WriteOptions.DEFAULT
                                    .withCondition(io.s3dlio.api.WriteCondition.ifMatch(etag)));
                            successes.incrementAndGet();
                        } catch (io.s3dlio.api.PreconditionFailedException lost) {
                            // another thread won this round
                        }
                    }
                    return null;
                }));
            }
            for (var racer : racers) {
                racer.get(); // a failure other than a lost race fails the test
            }
        }
        org.assertj.core.api.Assertions.assertThat(successes.get()).isPositive();
        org.assertj.core.api.Assertions.assertThat(Integer.parseInt(store.get(counter).toUtf8String()))
                .as("every successful compare-and-set counted once").isEqualTo(successes.get());
    }
}
