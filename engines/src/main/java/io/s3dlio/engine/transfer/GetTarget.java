package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a many-object get puts each object's bytes. */
public sealed interface GetTarget {

    /** Reads and discards (a read benchmark): through {@link io.s3dlio.api.ObjectStore#readInto}. */
    static GetTarget discard() {
        return new Discard();
    }

    /**
     * Each object whole in memory, handed to {@code consumer} (objects up to 2 GiB - 1; larger ones fail as
     * items). Memory: up to one object per job.
     */
    static GetTarget toMemory(ObjectConsumer consumer) {
        return new ToMemory(consumer);
    }

    /** Each object's bytes in order, window by window (for a stream such as stdout, or a checksum). */
    static GetTarget inOrder(ChunkConsumer consumer) {
        return new InOrder(consumer);
    }

    /**
     * Each object into a file: written under a hidden temporary name beside it, flushed, then renamed over
     * the file, so nothing partial ever appears under the final name. Large objects arrive as concurrent
     * chunks written at their offsets where the store splits reads.
     */
    static GetTarget toFiles(FileNames names) {
        return new ToFiles(names);
    }

    /** Receives one whole object. */
    @FunctionalInterface
    interface ObjectConsumer {
        void accept(ObjectRef object, ObjectBytes bytes) throws IOException;
    }

    /** Receives an object's bytes in order; the buffer is valid only during the call. */
    @FunctionalInterface
    interface ChunkConsumer {
        void accept(Location object, ByteBuffer chunk) throws IOException;
    }

    record Discard() implements GetTarget {}

    record ToMemory(ObjectConsumer consumer) implements GetTarget {
        public ToMemory {
            requireNonNull(consumer, "consumer is null");
        }
    }

    record InOrder(ChunkConsumer consumer) implements GetTarget {
        public InOrder {
            requireNonNull(consumer, "consumer is null");
        }
    }

    record ToFiles(FileNames names) implements GetTarget {
        public ToFiles {
            requireNonNull(names, "names is null");
        }
    }
}
