package io.s3dlio.engine.range;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The decorated store keeps the read contracts of the store it wraps (mem:// with the engine forced on). */
class RangedMemoryStoreContractTest {
    static final RangedEnvironment ENVIRONMENT = new RangedEnvironment();

    @AfterAll
    static void closeEnvironment() throws Exception {
        ENVIRONMENT.close();
    }

    static final class RangedEnvironment implements StoreEnvironment {
        private final MemoryObjectStore memory = new MemoryObjectStore();
        private final RangedObjectStore store = new RangedObjectStore(memory,
                new RangeEngine(new RangeConfig(true, RangeConfig.MIN_CHUNK, 0, 4, 8 * RangeConfig.MIN_CHUNK), "contract"));
        private final AtomicInteger counter = new AtomicInteger();
        private final Location bucket = Location.parse("mem://ranged-contract");

        RangedEnvironment() {
            memory.createContainer(bucket);
        }

        @Override public ObjectStore store() { return store; }
        @Override public Location newTestPrefix() { return bucket.withKey("test-" + counter.incrementAndGet() + "/"); }
        @Override public Location newContainerLocation() { return Location.parse("mem://ranged-" + counter.incrementAndGet()); }
        @Override public String description() { return "mem:// behind the range engine (64 KiB chunks)"; }
        @Override public void close() throws java.io.IOException { store.close(); }
    }

    @Nested class Read extends ReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class RangeRead extends RangeReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
}
