package io.s3dlio.testkit.fault;

import static io.s3dlio.testkit.fault.FaultInjectingStore.Operation.GET;
import static io.s3dlio.testkit.fault.FaultInjectingStore.Operation.PUT;
import static io.s3dlio.testkit.fault.FaultInjectingStore.Operation.STAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The fault injector over mem://: counts, fails the Nth call, fails by operation, forbids, hooks. */
class FaultInjectingStoreTest {
    private final MemoryObjectStore memory = new MemoryObjectStore();
    private final Location object = Location.parse("mem://faults/a");

    FaultInjectingStoreTest() {
        memory.createContainer(object.containerRoot());
    }

    @Test
    void countsCallsAndFailsTheNthOne() throws Exception {
        FaultInjectingStore store = new FaultInjectingStore(memory).failCall(GET, 2);
        store.put(object, ByteBuffer.wrap(new byte[] {1}), WriteOptions.DEFAULT);
        assertThat(store.get(object).size()).isEqualTo(1);
        assertThatThrownBy(() -> store.get(object)).isInstanceOf(StorageException.class)
                .hasMessageContaining(object.toString()).hasMessageContaining("GET call #2");
        assertThat(store.get(object).size()).isEqualTo(1);
        assertThat(store.calls(GET)).isEqualTo(3);
        assertThat(store.calls(PUT)).isEqualTo(1);
        assertThat(store.reads()).isEqualTo(3);
        assertThat(store.maxReadsInFlight()).isEqualTo(1);
    }

    @Test
    void failsEveryCallOfAnOperationAndForbidsOthers() throws Exception {
        FaultInjectingStore store = new FaultInjectingStore(memory).failAll(PUT, "disk full").forbid(STAT);
        assertThatThrownBy(() -> store.put(object, ByteBuffer.allocate(1), WriteOptions.DEFAULT))
                .isInstanceOf(StorageException.class).hasMessageContaining("disk full");
        assertThat(memory.exists(object)).as("a failed call never reaches the store").isFalse();
        assertThatThrownBy(() -> store.stat(object)).isInstanceOf(AssertionError.class);
        assertThat(store.calls(STAT)).isEqualTo(1);
    }

    @Test
    void theHookSeesEveryCallBeforeItRuns() throws Exception {
        StringBuilder seen = new StringBuilder();
        FaultInjectingStore store = new FaultInjectingStore(memory)
                .beforeEachCall((operation, location, call) -> seen.append(operation).append(call).append(' '));
        store.put(object, ByteBuffer.allocate(2), WriteOptions.DEFAULT);
        store.get(object);
        store.get(object);
        assertThat(seen.toString()).isEqualTo("PUT1 GET1 GET2 ");
    }

    @Test
    void aDelayedCallThatIsInterruptedIsCounted() throws Exception {
        FaultInjectingStore store = new FaultInjectingStore(memory).delay(GET, java.time.Duration.ofMinutes(5));
        store.put(object, ByteBuffer.allocate(2), WriteOptions.DEFAULT);
        Thread.currentThread().interrupt(); // the sleep sees it at once: no timing involved
        assertThatThrownBy(() -> store.get(object)).isInstanceOf(java.io.InterruptedIOException.class);
        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(store.interrupted()).isEqualTo(1);
    }
}
