package io.s3dlio.format;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/** Counts whole-object reads, range reads and the bytes they return. */
final class CountingStore extends ForwardingObjectStore {
    final AtomicLong wholeReads = new AtomicLong();
    final AtomicLong rangeReads = new AtomicLong();
    final AtomicLong bytesRead = new AtomicLong();

    CountingStore(ObjectStore delegate) {
        super(delegate);
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        wholeReads.incrementAndGet();
        ObjectBytes bytes = delegate().get(location);
        bytesRead.addAndGet(bytes.size());
        return bytes;
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        rangeReads.incrementAndGet();
        ObjectBytes bytes = delegate().getRange(location, offset, length);
        bytesRead.addAndGet(bytes.size());
        return bytes;
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        rangeReads.incrementAndGet();
        int before = target.position();
        ReadResult result = delegate().read(location, offset, target);
        bytesRead.addAndGet(target.position() - before);
        return result;
    }

    @Override
    public void close() {
        // The test owns the delegate.
    }
}
