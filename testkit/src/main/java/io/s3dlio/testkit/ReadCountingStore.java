package io.s3dlio.testkit;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ReadResult;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A decorator over a real store that counts whole-object reads ({@code get}), range reads ({@code getRange} and
 * positional {@code read}) and the bytes they return: how a test proves that a record was fetched with a range
 * read and not by downloading its file. It does not own the delegate: {@link #close()} leaves it open.
 */
public final class ReadCountingStore extends ForwardingObjectStore {
    public final AtomicLong wholeReads = new AtomicLong();
    public final AtomicLong rangeReads = new AtomicLong();
    public final AtomicLong bytesRead = new AtomicLong();

    public ReadCountingStore(ObjectStore delegate) {
        super(delegate);
    }

    /** Sets every count back to zero. */
    public void reset() {
        wholeReads.set(0);
        rangeReads.set(0);
        bytesRead.set(0);
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
