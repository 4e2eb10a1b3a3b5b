package io.s3dlio.testkit;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.Capability;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.contract.ContractSuite;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;

/** The whole contract kit against mem://. */
class MemoryStoreContractTest extends ContractSuite {
    static final MemoryEnvironment ENVIRONMENT = new MemoryEnvironment();

    @AfterAll
    static void closeEnvironment() {
        ENVIRONMENT.close();
    }

    static final class MemoryEnvironment implements StoreEnvironment {
        private final MemoryObjectStore store = new MemoryObjectStore();
        private final AtomicInteger counter = new AtomicInteger();
        private final Location bucket = Location.parse("mem://contract");

        MemoryEnvironment() {
            store.createContainer(bucket);
        }

        @Override
        public ObjectStore store() {
            return store;
        }

        @Override
        public Location newTestPrefix() {
            return bucket.withKey("test-" + counter.incrementAndGet() + "/");
        }

        @Override
        public Location newContainerLocation() {
            return Location.parse("mem://container-" + counter.incrementAndGet());
        }

        @Override
        public String description() {
            return "mem:// (in-process)";
        }

        @Override
        public void close() {
            store.close();
        }
    }

    @Override
    protected StoreEnvironment environment() {
        return ENVIRONMENT;
    }

    @Override
    protected Set<Capability> expectedCapabilities() {
        return Set.of(Capability.SERVER_SIDE_COPY, Capability.BULK_DELETE, Capability.ATOMIC_RENAME,
                Capability.USER_METADATA, Capability.KEY_AND_PREFIX_COEXIST, Capability.CONDITIONAL_WRITE);
    }
}
