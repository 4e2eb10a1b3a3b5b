package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.store.memory.MemoryObjectStore;
import io.s3dlio.testkit.fault.FaultInjectingStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A bulk delete is logged as warp's DELETE, once per object, and still reaches the store as one call. */
class RecordingDeleteAllTest {

    @Test
    void oneDeleteLinePerObjectWithItsOwnOutcome() throws Exception {
        try (MemoryObjectStore memory = new MemoryObjectStore()) {
            Location bucket = Location.parse("mem://oplog-delete-all");
            memory.createContainer(bucket);
            Location first = bucket.withKey("a");
            Location second = bucket.withKey("b");
            memory.put(first, ByteBuffer.allocate(3), WriteOptions.DEFAULT);
            FaultInjectingStore counted = new FaultInjectingStore(memory).forbid(FaultInjectingStore.Operation.DELETE);
            List<Operation> seen = new ArrayList<>();
            AtomicLong ticks = new AtomicLong();
            RecordingObjectStore recording = new RecordingObjectStore(counted, seen::add, ticks::incrementAndGet);

            DeleteResult result = recording.deleteAll(List.of(first, second, first));

            assertThat(result.deleted()).isEqualTo(2);
            assertThat(counted.calls(FaultInjectingStore.Operation.DELETE_ALL)).isEqualTo(1);
            assertThat(seen).extracting(Operation::type).containsExactly(OpType.DELETE, OpType.DELETE);
            assertThat(seen).extracting(Operation::location).containsExactly(first, second);
            assertThat(seen).allSatisfy(operation -> {
                assertThat(operation.error()).isEmpty();
                assertThat(operation.startNanos()).isEqualTo(1);
                assertThat(operation.endNanos()).isEqualTo(2);
            });

            counted.failAll(FaultInjectingStore.Operation.DELETE_ALL, "refused");
            seen.clear();
            DeleteResult refused = recording.deleteAll(List.of(first));
            assertThat(refused.failures()).hasSize(1);
            assertThat(seen).singleElement().satisfies(operation ->
                    assertThat(operation.error()).hasValueSatisfying(error -> assertThat(error).contains("refused")));
        }
    }
}
