package io.s3dlio.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.format.TfRecords;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Reads items that are a range of an object (records): one positional read each, never the whole object. */
final class RangeItems {
    private RangeItems() {
    }

    /** Items with a range are read here; whole-object items go to {@code whole}. */
    static ItemReader reader(ObjectStore store, ItemReader whole) {
        return entry -> entry.range().isPresent() ? read(store, entry) : whole.read(entry);
    }

    static ObjectBytes read(ObjectStore store, DatasetEntry entry) throws IOException {
        ItemRange range = entry.range().orElseThrow();
        Location location = entry.location();
        ByteBuffer target = ByteBuffer.allocate((int) range.length());
        // One request on HTTP stores (the positional read is the primitive the range engine builds on).
        store.read(location, range.offset(), target);
        if (target.hasRemaining()) {
            throw new EOFException(location + ": item at offset " + range.offset() + " needs " + range.length()
                    + " bytes, the object ends after " + target.position());
        }
        ObjectBytes bytes = ObjectBytes.wrap(target.flip());
        return switch (range.framing()) {
            case NONE -> bytes;
            case TFRECORD -> TfRecords.decode(bytes, location.toString(), range.offset());
        };
    }
}
