package io.s3dlio.engine.transfer;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.StoreEnvironment;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;

/** The transfer engine on mem://. */
class MemoryTransferEngineTest extends TransferEngineContract {
    static final MemoryEnvironment ENVIRONMENT = new MemoryEnvironment();

    @AfterAll
    static void closeEnvironment() throws IOException {
        ENVIRONMENT.close();
    }

    @Override
    protected StoreEnvironment environment() {
        return ENVIRONMENT;
    }

    static final class MemoryEnvironment implements StoreEnvironment {
        private final MemoryObjectStore store = new MemoryObjectStore();
        private final AtomicInteger counter = new AtomicInteger();
        private final Location container = Location.parse("mem://transfers");

        MemoryEnvironment() {
            store.createContainer(container);
        }

        @Override
        public ObjectStore store() {
            return store;
        }

        @Override
        public Location newTestPrefix() {
            return container.withKey("t" + counter.incrementAndGet() + "/");
        }

        @Override
        public Location newContainerLocation() {
            return Location.parse("mem://new-" + counter.incrementAndGet());
        }

        @Override
        public String description() {
            return "mem://";
        }

        @Override
        public void close() throws IOException {
            store.close();
        }
    }
}
