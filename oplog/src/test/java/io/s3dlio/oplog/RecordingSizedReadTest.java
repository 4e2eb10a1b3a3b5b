package io.s3dlio.oplog;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.spi.ForwardingObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sized reads pass through the recorder whole, so a store below it that splits them (the range engine, which the
 * registry puts under the op-log) still gets to: the default would have read 8 MiB ranges in order through the
 * recorder's own calls, and every CLI download went that way.
 */
class RecordingSizedReadTest {

    /** Stands in for the range engine's place in the stack: counts the sized reads that reach it. */
    private static final class SizedReadsSeen extends ForwardingObjectStore {
        final AtomicInteger readInto = new AtomicInteger();
        final AtomicInteger sizedGet = new AtomicInteger();

        SizedReadsSeen(ObjectStore delegate) {
            super(delegate);
        }

        @Override
        public long readInto(Location location, OptionalLong size, ObjectSink sink) throws IOException {
            readInto.incrementAndGet();
            return delegate().readInto(location, size, sink);
        }

        @Override
        public ObjectBytes get(Location location, OptionalLong size) throws IOException {
            sizedGet.incrementAndGet();
            return delegate().get(location, size);
        }
    }

    @Test
    void readIntoAndSizedGetReachTheStoreBelowAsOneCallAndLogOneGet() throws Exception {
        try (MemoryObjectStore memory = new MemoryObjectStore()) {
            Location bucket = Location.parse("mem://oplog-sized");
            memory.createContainer(bucket);
            Location object = bucket.withKey("big");
            byte[] data = new byte[20 << 20];
            new Random(7).nextBytes(data);
            memory.put(object, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            SizedReadsSeen below = new SizedReadsSeen(memory);
            List<Operation> seen = new ArrayList<>();
            RecordingObjectStore recording = new RecordingObjectStore(below, seen::add, OpClock.system());

            ByteArrayOutputStream landed = new ByteArrayOutputStream();
            long read = recording.readInto(object, OptionalLong.of(data.length), (offset, bytes) -> {
                assertThat(offset).isEqualTo(landed.size());
                byte[] chunk = new byte[bytes.remaining()];
                bytes.get(chunk);
                landed.write(chunk);
            });
            ObjectBytes whole = recording.get(object, OptionalLong.of(data.length));

            assertThat(read).isEqualTo(data.length);
            assertThat(landed.toByteArray()).isEqualTo(data);
            assertThat(whole.size()).isEqualTo(data.length);
            assertThat(below.readInto).hasValue(1);
            assertThat(below.sizedGet).hasValue(1);
            assertThat(seen).extracting(Operation::type).containsExactly(OpType.GET, OpType.GET);
            assertThat(seen).extracting(Operation::bytes).containsExactly((long) data.length, (long) data.length);
        }
    }
}
