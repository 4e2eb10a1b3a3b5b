package io.s3dlio.api;

import static java.util.Objects.requireNonNull;

import io.s3dlio.spi.ForwardingObjectStore;
import java.util.List;
import java.util.Optional;

/**
 * Mix-in of a store that spreads its requests over several endpoints of one service (the s3:// store with
 * {@code S3DLIO_ENDPOINTS}): what each endpoint has done so far. Decorators do not implement it; {@link #of}
 * finds it below them, so callers need not know which decorators wrap a store.
 */
public interface EndpointStatistics {

    /** The statistics of {@code store} or of a store it decorates, if one of them spreads over endpoints. */
    static Optional<EndpointStatistics> of(ObjectStore store) {
        for (ObjectStore layer = requireNonNull(store, "store is null"); layer != null;
                layer = layer instanceof ForwardingObjectStore forwarding ? forwarding.delegate() : null) {
            if (layer instanceof EndpointStatistics statistics) {
                return Optional.of(statistics);
            }
        }
        return Optional.empty();
    }

    /** One snapshot per endpoint, in the configured order. */
    List<Endpoint> endpoints();

    /**
     * What one endpoint has done.
     *
     * @param endpoint the endpoint URL as configured
     * @param requests attempts sent to it (successful or not)
     * @param bytes request and response body bytes it carried
     * @param errors attempts that failed there (connection refused, reset, 5xx, throttling)
     * @param retriedElsewhere failed attempts that were then tried on another endpoint
     * @param setAside times it was set aside for a back-off period
     */
    record Endpoint(String endpoint, long requests, long bytes, long errors, long retriedElsewhere, long setAside) {
        public Endpoint {
            requireNonNull(endpoint, "endpoint is null");
        }
    }
}
