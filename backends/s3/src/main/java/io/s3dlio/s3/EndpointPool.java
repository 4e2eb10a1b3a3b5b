package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.EndpointStatistics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which endpoint gets the next attempt, and the per-endpoint counts. An endpoint that refused a connection,
 * or failed {@link S3Endpoints#failuresBeforeBackoff()} attempts in a row, is set aside for
 * {@link S3Endpoints#backoff()} (doubling each time in a row, up to 16 times); when every endpoint is set
 * aside the one that comes back first is used, so a request never fails for want of an endpoint. Time comes
 * from an injected clock so tests can move it.
 */
final class EndpointPool {
    private static final Logger LOG = Logger.getLogger(EndpointPool.class.getName());
    private static final int MAX_DOUBLINGS = 4;

    /** One endpoint: counters (lock-free) and health (guarded by the member itself). */
    static final class Member {
        final URI uri;
        final int index;
        final LongAdder requests = new LongAdder();
        final LongAdder bytes = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder retriedElsewhere = new LongAdder();
        final LongAdder setAside = new LongAdder();
        final AtomicInteger inFlight = new AtomicInteger();
        private int failuresInRow;
        private int setAsideInRow;
        private long availableAtNanos;
        private boolean away;

        Member(URI uri, int index) {
            this.uri = uri;
            this.index = index;
        }

        synchronized boolean available(long now) {
            return !away || now - availableAtNanos >= 0;
        }

        synchronized long availableAt() {
            return availableAtNanos;
        }

        @Override
        public String toString() {
            return uri.toString();
        }
    }

    private final List<Member> members;
    private final S3Endpoints.Balancing balancing;
    private final Duration backoff;
    private final int failuresBeforeBackoff;
    private final LongSupplier nanoTime;
    private final AtomicLong turn = new AtomicLong();

    EndpointPool(S3Endpoints endpoints, LongSupplier nanoTime) {
        requireNonNull(endpoints, "endpoints is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        List<Member> list = new ArrayList<>();
        for (URI uri : endpoints.uris()) {
            list.add(new Member(uri, list.size()));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no endpoints");
        }
        this.members = List.copyOf(list);
        this.balancing = endpoints.balancing();
        this.backoff = endpoints.backoff();
        this.failuresBeforeBackoff = endpoints.failuresBeforeBackoff();
    }

    List<Member> members() {
        return members;
    }

    /**
     * The endpoint for the next attempt: an available one not in {@code tried} if there is one, else any
     * available one, else the one set aside that comes back first.
     */
    Member choose(Collection<Member> tried) {
        long now = nanoTime.getAsLong();
        int n = members.size();
        int start = (int) Math.floorMod(turn.getAndIncrement(), (long) n);
        Member best = null;
        for (int pass = 0; pass < 2 && best == null; pass++) {
            for (int i = 0; i < n; i++) {
                Member member = members.get((start + i) % n);
                if (!member.available(now) || (pass == 0 && tried.contains(member))) {
                    continue;
                }
                if (balancing == S3Endpoints.Balancing.ROUND_ROBIN) {
                    best = member;
                    break;
                }
                if (best == null || member.inFlight.get() < best.inFlight.get()) {
                    best = member;
                }
            }
        }
        if (best == null) {
            for (Member member : members) {
                if (best == null || member.availableAt() - best.availableAt() < 0) {
                    best = member;
                }
            }
        }
        return best;
    }

    /** An attempt there succeeded (or failed for a reason that is not the endpoint's: 404, 403). */
    void succeeded(Member member) {
        synchronized (member) {
            member.failuresInRow = 0;
            member.setAsideInRow = 0;
            member.away = false;
        }
    }

    /** An attempt there failed in a way another endpoint might not; {@code refused}: no connection at all. */
    void failed(Member member, boolean refused, Throwable cause) {
        member.errors.increment();
        long until;
        synchronized (member) {
            member.failuresInRow++;
            if (!refused && member.failuresInRow < failuresBeforeBackoff) {
                return;
            }
            member.failuresInRow = 0;
            long nanos = backoff.toNanos() << Math.min(member.setAsideInRow, MAX_DOUBLINGS);
            member.setAsideInRow++;
            member.away = true;
            member.availableAtNanos = nanoTime.getAsLong() + nanos;
            until = nanos;
        }
        member.setAside.increment();
        LOG.fine(() -> "endpoint " + member.uri + " set aside for " + Duration.ofNanos(until).toMillis() + " ms after: "
                + cause);
        if (LOG.isLoggable(Level.FINEST)) {
            LOG.log(Level.FINEST, "endpoint failure", cause);
        }
    }

    /** Snapshots, in the configured order. */
    List<EndpointStatistics.Endpoint> snapshot() {
        List<EndpointStatistics.Endpoint> list = new ArrayList<>();
        for (Member member : members) {
            list.add(new EndpointStatistics.Endpoint(member.uri.toString(), member.requests.sum(), member.bytes.sum(),
                    member.errors.sum(), member.retriedElsewhere.sum(), member.setAside.sum()));
        }
        return List.copyOf(list);
    }
}
