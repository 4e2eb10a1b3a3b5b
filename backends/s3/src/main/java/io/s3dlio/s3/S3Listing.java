package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.spi.ETags;
import io.s3dlio.spi.PagedListing;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * ListObjectsV2 as a lazy stream, one page fetched ahead. A profile of {@code s3-cli ls -r} of 100,000 keys
 * showed the listing thread busy for its whole length, most of it in the SDK's XML unmarshalling of each page
 * and the rest in the caller's handling of the entries (printing them): done in turn, each waits for the other.
 * So while the caller works through page N, page N+1 is requested and unmarshalled on a virtual thread of its
 * own: at most two pages are in memory (the one being read and the next), and at most one request is ahead
 * of the caller (so a caller that stops early, {@code ls | head}, costs at most one page it never reads).
 * Closing the stream interrupts the page being fetched ahead.
 */
final class S3Listing {
    /** One page as the caller gets it: the response (for its continuation token) and its entries, built ahead. */
    private record Page(ListObjectsV2Response response, List<ListEntry> entries) {}

    private final S3Client s3;
    private final Location prefix;
    private final ListMode mode;
    /** The page being fetched ahead of the caller, or null; guarded by this. */
    private CompletableFuture<Optional<Page>> ahead;
    private Thread fetcher;
    private boolean closed;

    private S3Listing(S3Client s3, Location prefix, ListMode mode) {
        this.s3 = requireNonNull(s3, "s3 is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
        this.mode = requireNonNull(mode, "mode is null");
    }

    /**
     * The listing of {@code prefix}. The first page is fetched here, on the caller's thread, so a missing bucket
     * or refused credentials fail on this call; the later pages fail as {@link java.io.UncheckedIOException}
     * while the stream is consumed.
     */
    static Stream<ListEntry> stream(S3Client s3, Location prefix, ListMode mode) throws IOException {
        S3Listing listing = new S3Listing(s3, prefix, mode);
        Page first;
        try {
            first = listing.fetch(null);
        } catch (SdkException e) {
            throw S3Errors.translate(prefix, "LIST", e);
        }
        listing.fetchAhead(first);
        return PagedListing.stream(first, new PagedListing.Pages<Page, ListEntry>() {
            @Override
            public List<ListEntry> values(Page page) {
                return page.entries();
            }

            @Override
            public Optional<Page> next(Page page) throws IOException {
                Optional<Page> next = listing.awaitAhead();
                next.ifPresent(listing::fetchAhead);
                return next;
            }
        }, entry -> entry.location().key()).onClose(listing::close);
    }

    /** Starts fetching the page after {@code page}, if there is one, on a virtual thread. */
    private synchronized void fetchAhead(Page page) {
        String token = page.response().nextContinuationToken();
        if (closed || !Boolean.TRUE.equals(page.response().isTruncated()) || token == null) {
            ahead = CompletableFuture.completedFuture(Optional.empty());
            fetcher = null;
            return;
        }
        CompletableFuture<Optional<Page>> result = new CompletableFuture<>();
        ahead = result;
        fetcher = Thread.ofVirtual().name("s3dlio-list-ahead").start(() -> {
            try {
                result.complete(Optional.of(fetch(token)));
            } catch (SdkException e) {
                result.completeExceptionally(S3Errors.translate(prefix, "LIST (next page)", e));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        });
    }

    /** The page fetched ahead, waited for; empty after the last page. */
    private Optional<Page> awaitAhead() throws IOException {
        CompletableFuture<Optional<Page>> pending;
        synchronized (this) {
            pending = ahead;
        }
        if (pending == null) {
            return Optional.empty();
        }
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(prefix + ": interrupted while waiting for the next listing page");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(prefix + ": listing the next page failed: " + cause, cause);
        }
    }

    /** Stops the page being fetched ahead (the stream was closed before its end). */
    private void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = fetcher;
            fetcher = null;
        }
        if (running != null && running.isAlive()) {
            running.interrupt();
        }
    }

    private Page fetch(String continuation) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(prefix.container());
        if (!prefix.key().isEmpty()) {
            request.prefix(prefix.key());
        }
        if (mode == ListMode.ONE_LEVEL) {
            request.delimiter("/");
        }
        if (continuation != null) {
            request.continuationToken(continuation);
        }
        ListObjectsV2Response response = s3.listObjectsV2(request.build());
        return new Page(response, entries(response));
    }

    private List<ListEntry> entries(ListObjectsV2Response page) {
        List<ListEntry> entries = new ArrayList<>(page.contents().size() + page.commonPrefixes().size());
        for (S3Object object : page.contents()) {
            entries.add(new ListEntry.ObjectEntry(prefix.withKey(object.key()), object.size() == null ? 0 : object.size(),
                    Optional.ofNullable(object.lastModified()), ETags.unquote(object.eTag())));
        }
        for (CommonPrefix common : page.commonPrefixes()) {
            entries.add(new ListEntry.PrefixEntry(prefix.withKey(common.prefix())));
        }
        return entries;
    }
}
