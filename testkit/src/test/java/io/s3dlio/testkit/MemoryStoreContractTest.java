package io.s3dlio.testkit;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.contract.ContainerContract;
import io.s3dlio.testkit.contract.CopyRenameContract;
import io.s3dlio.testkit.contract.DeleteContract;
import io.s3dlio.testkit.contract.ListContract;
import io.s3dlio.testkit.contract.RangeReadContract;
import io.s3dlio.testkit.contract.ReadContract;
import io.s3dlio.testkit.contract.StreamingWriterContract;
import io.s3dlio.testkit.contract.WriteContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;

/** The whole contract kit against mem://. */
class MemoryStoreContractTest {
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

    @Nested class Read extends ReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class RangeRead extends RangeReadContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Write extends WriteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class StreamingWriter extends StreamingWriterContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class List extends ListContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Delete extends DeleteContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class CopyRename extends CopyRenameContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
    @Nested class Containers extends ContainerContract { @Override protected StoreEnvironment environment() { return ENVIRONMENT; } }
}
