package io.s3dlio.s3;

import io.s3dlio.api.EndpointStatistics;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import java.util.List;

/** The s3:// store over several endpoints: the plain store, plus the pool's per-endpoint counts. */
final class BalancedS3Store extends ForwardingObjectStore implements EndpointStatistics {
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

    @Override
    public List<Endpoint> endpoints() {
        return pool.snapshot();
    }

    @Override
    public String toString() {
        return "S3ObjectStore" + pool.members();
    }
}
