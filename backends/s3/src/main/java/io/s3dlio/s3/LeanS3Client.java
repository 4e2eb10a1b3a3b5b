package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * An {@link S3Client} whose GetObject, HeadObject, HeadBucket, UploadPart and PutObject go the {@link LeanRequests}
 * way to one endpoint (ListObjectsV2 the {@link LeanListing} way, retried as a HEAD), and everything else (and any request the lean path does not build) to the SDK client it wraps. GETs
 * are sent once (their retries are {@link S3Reads}' or {@link BalancedS3Client}'s, as with the SDK client, which
 * is built without retries there); HEADs, UploadParts and PutObjects are retried here up to {@code headAttempts} (the SDK
 * client's own number of attempts) with the classification the store's GETs use ({@link
 * BalancedS3Client#retryable}) and {@link S3Reads#backoffNanos}'s back-off, an UploadPart or PutObject re-sending
 * its body from the caller's buffer.
 *
 * <p>The SDK client is built on the first call that needs it, so a process that only HEADs or GETs (as
 * {@code s3-cli stat}) never builds it: its construction (endpoint rules, interceptors, plugins) was a tenth of
 * such a command's start-up (issue 16). Closing this client closes the SDK client only if it was built; a call
 * after the close that would build it throws {@link IllegalStateException} instead. The other operations are
 * forwarded by {@link DeferredS3Client} (a plain class: a {@code Proxy} over {@code S3Client} was a sixth of
 * {@code s3-cli stat}'s CPU, issue 16).
 */
final class LeanS3Client extends DeferredS3Client {
    private final Supplier<S3Client> factory;
    private final ReentrantLock lock = new ReentrantLock();
    /** Null until built; guarded by {@link #lock} for writes. */
    private volatile S3Client delegate;
    private boolean closed;
    private final LeanRequests lean;
    private final URI endpoint;
    private final int headAttempts;
    private final LongConsumer bytes;

    private LeanS3Client(Supplier<S3Client> factory, LeanRequests lean, URI endpoint, int headAttempts,
            LongConsumer bytes) {
        this.factory = requireNonNull(factory, "factory is null");
        this.lean = requireNonNull(lean, "lean is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        if (headAttempts < 1) {
            throw new IllegalArgumentException("headAttempts must be at least 1: " + headAttempts);
        }
        this.headAttempts = headAttempts;
        this.bytes = requireNonNull(bytes, "bytes is null");
    }

    /**
     * The SDK client {@code factory} builds (on first need), with lean GETs and HEADs to {@code endpoint}; HEADs
     * tried at most {@code headAttempts} times; {@code bytes} hears the length of each GET body (the endpoint
     * pool's byte count).
     */
    static S3Client wrap(Supplier<S3Client> factory, LeanRequests lean, URI endpoint, int headAttempts,
            LongConsumer bytes) {
        return new LeanS3Client(factory, lean, endpoint, headAttempts, bytes);
    }

    /** The SDK client, built by the first caller that needs it. */
    @Override
    S3Client client() {
        S3Client built = delegate;
        if (built != null) {
            return built;
        }
        lock.lock();
        try {
            if (delegate == null) {
                if (closed) {
                    throw new IllegalStateException("the S3 client for " + endpoint + " is closed");
                }
                delegate = requireNonNull(factory.get(), "the factory built no S3 client");
            }
            return delegate;
        } finally {
            lock.unlock();
        }
    }

    /** Requests sent on the store's own plain-http sockets (for tests). */
    long plainRequests() {
        return lean.plainRequests();
    }

    /** Whether the SDK client was built (for tests). */
    boolean sdkClientBuilt() {
        return delegate != null;
    }

    /** A client {@link #wrap} made, as this class. */
    static LeanS3Client of(S3Client client) {
        return (LeanS3Client) client;
    }

    /** Closes the SDK client only if it was built. */
    @Override
    public void close() {
        S3Client built;
        lock.lock();
        try {
            closed = true;
            built = delegate;
        } finally {
            lock.unlock();
        }
        if (built != null) {
            built.close();
        }
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
        if (lean.supports(request)) {
            return lean.get(endpoint, request, bytes);
        }
        return super.getObject(request);
    }

    @Override
    public HeadObjectResponse headObject(HeadObjectRequest request) {
        if (lean.supports(request)) {
            return head(request);
        }
        return super.headObject(request);
    }

    @Override
    public ListObjectsV2Response listObjectsV2(ListObjectsV2Request request) {
        if (lean.supports(request)) {
            return retried(() -> LeanListing.list(lean, endpoint, request));
        }
        return super.listObjectsV2(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        if (lean.supports(request)) {
            return retried(() -> lean.headBucket(endpoint, request)); // the CLI's container check
        }
        return super.headBucket(request);
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        if (lean.supports(request, body.contentStreamProvider())) {
            return leanPutObject(request, body);
        }
        return super.putObject(request, body);
    }

    @Override
    public UploadPartResponse uploadPart(UploadPartRequest request, RequestBody body) {
        if (lean.supports(request, body.contentStreamProvider())) {
            return leanUploadPart(request, body);
        }
        return super.uploadPart(request, body);
    }

    @Override
    public String toString() {
        return "LeanS3Client[" + endpoint + "]";
    }

    private HeadObjectResponse head(HeadObjectRequest request) {
        return retried(() -> lean.head(endpoint, request));
    }

    private UploadPartResponse leanUploadPart(UploadPartRequest request, RequestBody body) {
        return retried(() -> lean.uploadPart(endpoint, request, body.contentStreamProvider(), bytes));
    }

    private PutObjectResponse leanPutObject(PutObjectRequest request, RequestBody body) {
        return retried(() -> lean.putObject(endpoint, request, body.contentStreamProvider(), bytes));
    }

    private <T> T retried(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                if (attempt >= headAttempts || !BalancedS3Client.retryable(e)) {
                    throw e;
                }
                try {
                    TimeUnit.NANOSECONDS.sleep(S3Reads.backoffNanos(attempt, OptionalLong.empty()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw AbortedException.builder().message("interrupted while waiting to retry").cause(interrupted)
                            .build();
                }
            }
        }
    }
}
