package io.s3dlio.s3;

import io.s3dlio.api.EndpointStatistics;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ArrayReads;
import io.s3dlio.spi.BufferReads;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/** The s3:// store over several endpoints: the plain store, plus the pool's per-endpoint counts. */
final class BalancedS3Store extends ForwardingObjectStore implements EndpointStatistics, ArrayReads, BufferReads {
    private final EndpointPool pool;

    BalancedS3Store(ObjectStore store, EndpointPool pool) {
        super(store);
        this.pool = pool;
    }

    /** The store over one endpoint as it is, or over several with their counts. */
    static ObjectStore of(S3ObjectStore store) {
        return BalancedS3Client.pool(store.client()).<ObjectStore>map(pool -> new BalancedS3Store(store, pool))
                .orElse(store);
    }

    /** The plain store's: the pool balances below it, in the client. */
    @Override
    public ObjectBytes get(Location location, OptionalLong size, IntFunction<byte[]> arrays) throws IOException {
        return ArrayReads.get(delegate(), location, size, arrays);
    }

    @Override
    public ObjectBytes getInto(Location location, OptionalLong size, IntFunction<java.nio.ByteBuffer> buffers)
            throws IOException {
        return BufferReads.getInto(delegate(), location, size, buffers);
    }

    @Override
    public List<Endpoint> endpoints() {
        return pool.snapshot();
    }

    @Override
    public String toString() {
        return "S3ObjectStore" + pool.members();
    }
}
