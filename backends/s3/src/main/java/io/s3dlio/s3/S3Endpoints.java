package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The endpoints one s3:// store spreads its requests over, and how. With one endpoint (or none: AWS itself)
 * the store talks to it directly, exactly as without this setting; with several, {@link EndpointPool} picks
 * one per attempt and sets failing ones aside.
 *
 * @param uris the endpoints, in the configured order; empty for AWS itself
 * @param balancing how an endpoint is picked for each attempt
 * @param backoff how long an endpoint that refused a connection or kept failing is set aside at first (each
 *        further setting-aside in a row doubles it, up to 16 times)
 * @param failuresBeforeBackoff failed attempts in a row (other than refused connections, which count at once)
 *        after which an endpoint is set aside
 */
public record S3Endpoints(List<URI> uris, Balancing balancing, Duration backoff, int failuresBeforeBackoff) {

    /** How an endpoint is picked. */
    public enum Balancing {
        /** Each in turn. */
        ROUND_ROBIN,
        /** The one with the fewest requests in flight (ties go to the next in turn). */
        LEAST_CONNECTIONS
    }

    public S3Endpoints {
        uris = List.copyOf(requireNonNull(uris, "uris is null"));
        requireNonNull(balancing, "balancing is null");
        requireNonNull(backoff, "backoff is null");
        if (backoff.isNegative() || backoff.isZero()) {
            throw new IllegalArgumentException("S3DLIO_ENDPOINT_BACKOFF (backoff) must be positive: " + backoff);
        }
        if (failuresBeforeBackoff < 1 || failuresBeforeBackoff > 1000) {
            throw new IllegalArgumentException("S3DLIO_ENDPOINT_FAILURES (failuresBeforeBackoff) must be between 1 and 1000: " + failuresBeforeBackoff);
        }
    }

    /** One endpoint (or none), talked to directly. */
    static S3Endpoints single(java.util.Optional<URI> endpoint) {
        return new S3Endpoints(endpoint.map(List::of).orElse(List.of()), Balancing.ROUND_ROBIN, Duration.ofSeconds(5), 3);
    }

    /** Whether requests are spread over several endpoints. */
    public boolean balanced() {
        return uris.size() > 1;
    }

    /**
     * Maps {@code S3DLIO_ENDPOINTS} (or the original s3dlio's {@code S3_ENDPOINT_URIS}): URLs separated by
     * commas or white space; {@code S3DLIO_ENDPOINT_BALANCING}, {@code S3DLIO_ENDPOINT_BACKOFF},
     * {@code S3DLIO_ENDPOINT_FAILURES}. {@code single} is the one endpoint used when no list is set.
     */
    static S3Endpoints from(ConfigSource config, java.util.Optional<URI> single) {
        List<URI> uris = new ArrayList<>();
        String variable = config.get("S3DLIO_ENDPOINTS").isPresent() ? "S3DLIO_ENDPOINTS" : "S3_ENDPOINT_URIS";
        java.util.Optional<String> list = config.get(variable);
        if (list.isPresent()) {
            for (String text : list.get().split("[,\\s]+")) {
                if (!text.isEmpty()) {
                    URI uri = S3Config.endpointUri(variable, text);
                    if (uris.contains(uri)) {
                        throw new IllegalArgumentException(variable + " lists " + uri + " twice");
                    }
                    uris.add(uri);
                }
            }
        } else {
            single.ifPresent(uris::add);
        }
        Balancing balancing = config.get("S3DLIO_ENDPOINT_BALANCING").map(S3Endpoints::balancing)
                .orElse(Balancing.ROUND_ROBIN);
        return new S3Endpoints(uris, balancing,
                config.duration("S3DLIO_ENDPOINT_BACKOFF").orElse(Duration.ofSeconds(5)),
                config.intValue("S3DLIO_ENDPOINT_FAILURES").orElse(3));
    }

    private static Balancing balancing(String value) {
        return switch (value.toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "round-robin", "roundrobin", "rr" -> Balancing.ROUND_ROBIN;
            case "least-connections", "leastconnections", "least-conn", "lc" -> Balancing.LEAST_CONNECTIONS;
            default -> throw new IllegalArgumentException("S3DLIO_ENDPOINT_BALANCING='" + value
                    + "' is not valid: expected round-robin or least-connections");
        };
    }
}
