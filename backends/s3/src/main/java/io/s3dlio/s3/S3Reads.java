package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ChecksumMismatchException;
import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;
import io.s3dlio.spi.BodyDigest;
import io.s3dlio.spi.ContentRange;
import io.s3dlio.spi.ETags;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The retry layer of S3 reads, over the whole request, body included: a GET whose body fails part way (a
 * reset, a truncated body, a stall past the socket timeout) resumes with a ranged GET for the bytes still
 * missing, conditional on the ETag of the first response ({@code If-Match}), so a replaced object is never
 * stitched together. Failures before the body (5xx, throttling, resets) are retried here too, with backoff
 * that honours {@code Retry-After}: the client it is given has the SDK's retries turned off, so attempts
 * count here only, at most {@code maxAttempts} per read, opening and resuming together. (With several
 * endpoints the balanced client retries the opening on another endpoint and this layer only resumes.)
 *
 * <p>Every read has an overall deadline that covers all its attempts: a watchdog aborts the body when it
 * passes, so a server dripping a byte at a time cannot hold a read forever.
 *
 * <p>When a response covers a whole object its bytes are checked as they arrive, against a stored
 * {@code x-amz-checksum-*} (CRC32C, CRC32, CRC64NVME, SHA-256, SHA-1, in that order; composite multipart checksums
 * are skipped) or else
 * the MD5 ETag of a single-part object that is not KMS or customer-key encrypted;
 * a mismatch is a {@link ChecksumMismatchException}.
 */
final class S3Reads {
    private static final long BASE_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final S3Client client;
    private final int maxAttempts;
    private final boolean retryOpen;
    private final Duration deadline;
    private final boolean verify;
    private final ScheduledExecutorService watchdog;
    private final LongSupplier nanoClock;
    /** Body bytes read straight from a socket channel by {@link Body#read(ByteBuffer)}, all stores (tests). */
    static final java.util.concurrent.atomic.LongAdder CHANNEL_BYTES = new java.util.concurrent.atomic.LongAdder();

    /**
     * @param client the client the GETs go through (without retries when {@code retryOpen})
     * @param maxAttempts requests per read at most, the first included
     * @param retryOpen whether this layer retries failures before the body (false when the client retries them)
     * @param deadline the most one read may take, all attempts together
     * @param verify whether whole-object responses are checked against the store's checksum
     * @param watchdog runs the deadline aborts; owned by the store
     */
    S3Reads(S3Client client, int maxAttempts, boolean retryOpen, Duration deadline, boolean verify,
            ScheduledExecutorService watchdog, LongSupplier nanoClock) {
        this.client = requireNonNull(client, "client is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.retryOpen = retryOpen;
        this.deadline = requireNonNull(deadline, "deadline is null");
        this.verify = verify;
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
    }

    /**
     * Opens {@code request} (a whole-object or ranged GET). SDK failures that are final for this read (404,
     * 403, 416 ...) are thrown as the SDK's exceptions for the caller to translate; running out of attempts or
     * time throws the last failure, or a {@link StorageException} for the deadline.
     */
    Body open(Location location, GetObjectRequest request) throws IOException {
        requireNonNull(location, "location is null");
        GetObjectRequest asked = verify ? withChecksumMode(request) : request;
        Body body = new Body(location, asked, nanoClock.getAsLong() + deadline.toNanos());
        body.first();
        return body;
    }

    /**
     * {@code request} asking for the stored checksums ({@code x-amz-checksum-mode: ENABLED}) as a plain header,
     * not the SDK's {@code checksumMode} field: the field also makes the SDK validate the body itself, a second
     * pass over every byte beside {@link Body}'s own check (measured: the SDK reports VALIDATED for a CRC32C and
     * skips a CRC64NVME it cannot compute without the CRT, CHECKSUM_ALGORITHM_NOT_FOUND). With the header the
     * SDK still parses the checksum headers into the response and validates nothing.
     */
    static GetObjectRequest withChecksumMode(GetObjectRequest request) {
        return request.toBuilder().overrideConfiguration(o -> o.putHeader("x-amz-checksum-mode",
                ChecksumMode.ENABLED.toString())).build();
    }

    /**
     * {@code request} with an attempt timeout, keeping its other overrides (the checksum-mode header): the SDK's
     * {@code overrideConfiguration(Consumer)} starts from an empty configuration.
     */
    private static GetObjectRequest within(GetObjectRequest request, Duration timeout) {
        AwsRequestOverrideConfiguration.Builder override = request.overrideConfiguration()
                .map(AwsRequestOverrideConfiguration::toBuilder).orElseGet(AwsRequestOverrideConfiguration::builder);
        return request.toBuilder().overrideConfiguration(override.apiCallAttemptTimeout(timeout).build()).build();
    }

    /** A response body that resumes itself; one reader at a time. */
    final class Body extends InputStream {
        private final Location location;
        private final GetObjectRequest request;
        private final long deadlineNanos;
        private final ScheduledFuture<?> timer;
        private volatile ResponseInputStream<GetObjectResponse> current;
        /** {@code current}'s body as a channel (a plain-http answer; {@link #read(ByteBuffer)}), or null. */
        private java.nio.channels.ReadableByteChannel channel;
        private volatile boolean timedOut;
        private GetObjectResponse response;
        private int attempts;
        /** Absolute offset of the body's first byte, its length, and bytes delivered so far. */
        private long start;
        private long length;
        private long received;
        private String etag;
        private BodyDigest digest;
        private boolean verified;

        private Body(Location location, GetObjectRequest request, long deadlineNanos) {
            this.location = location;
            this.request = request;
            this.deadlineNanos = deadlineNanos;
            long delay = Math.max(0, deadlineNanos - nanoClock.getAsLong());
            this.timer = watchdog.schedule(this::expire, delay, TimeUnit.NANOSECONDS);
        }

        /** The first response (size, ETag, Content-Range). */
        GetObjectResponse response() {
            return response;
        }

        /** Requests sent so far for this read. */
        int attempts() {
            return attempts;
        }

        private void first() throws IOException {
            try {
                current = openWithRetries(request);
            } catch (IOException | SdkException e) {
                timer.cancel(false);
                throw e;
            }
            channel = LeanRequests.channel(current);
            response = current.response();
            etag = response.eTag();
            Long contentLength = response.contentLength();
            length = contentLength == null ? -1 : contentLength;
            OptionalLong total;
            if (response.contentRange() != null) {
                start = ContentRange.firstByte(response.contentRange()).orElse(0);
                total = ContentRange.totalSize(response.contentRange());
            } else {
                start = 0;
                total = OptionalLong.of(length);
            }
            if (verify && start == 0 && length >= 0 && total.isPresent() && total.getAsLong() == length) {
                digest = digestFor(response).orElse(null);
            }
        }

        private ResponseInputStream<GetObjectResponse> openWithRetries(GetObjectRequest attempt) throws IOException {
            while (true) {
                attempts++;
                long left = deadlineNanos - nanoClock.getAsLong();
                if (left <= 0) {
                    throw deadlineExceeded(null);
                }
                try {
                    return client.getObject(within(attempt, Duration.ofNanos(left)));
                } catch (SdkException e) {
                    if (!retryOpen || isUnsatisfiable(e) || attempts >= maxAttempts || !retryable(location, e)) {
                        throw e;
                    }
                    backOff(e);
                }
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int count) throws IOException {
            if (count == 0) {
                return 0;
            }
            return counted(count, want -> current.read(into, offset, want), n -> digest.update(into, offset, n), () -> { });
        }

        /**
         * Reads into {@code into} from its position as {@link #read(byte[], int, int)} reads into an array
         * (resumed, counted and digested alike): on the plain-http connections straight from the socket, so into a
         * direct buffer with no copy in Java; otherwise through the stream (a heap buffer's array, or a bounce
         * array for a direct one).
         */
        int read(ByteBuffer into) throws IOException {
            if (!into.hasRemaining()) {
                return 0;
            }
            int at = into.position();
            // A failed read's bytes, if any, are read again by the resumed one.
            return counted(into.remaining(), want -> readSome(into, at, want), n -> digest.update(into.slice(at, n)),
                    () -> into.position(at));
        }

        /** One read of at most {@code want} bytes from the current answer into the caller's array or buffer. */
        private interface Attempt {
            int read(int want) throws IOException;
        }

        /**
         * Both reads: at most {@code count} bytes through {@code attempt}, counted and digested; a failed or short
         * read undone by {@code undo} and resumed from where the body stands; the checksum verified once the last
         * byte is in (outside the attempt: a mismatch is final, never resumed).
         */
        private int counted(int count, Attempt attempt, java.util.function.IntConsumer digested, Runnable undo)
                throws IOException {
            while (true) {
                if (length >= 0 && received >= length) {
                    verifyOnce();
                    return -1;
                }
                int want = length >= 0 ? (int) Math.min(count, length - received) : count;
                Exception failure;
                int n = 0;
                try {
                    n = attempt.read(want);
                    failure = n > 0 || (n < 0 && length < 0) ? null
                            : new IOException("connection ended after " + received + " of " + length + " bytes");
                } catch (IOException | SdkException e) {
                    failure = e;
                }
                if (failure == null) {
                    if (n < 0) {
                        return -1;
                    }
                    received += n;
                    if (digest != null) {
                        digested.accept(n);
                    }
                    if (received == length) {
                        verifyOnce();
                    }
                    return n;
                }
                undo.run();
                resume(failure);
            }
        }

        private int readSome(ByteBuffer into, int at, int want) throws IOException {
            java.nio.channels.ReadableByteChannel direct = channel;
            if (direct != null) {
                int limit = into.limit();
                into.limit(at + want);
                try {
                    int n = direct.read(into);
                    if (n > 0) {
                        CHANNEL_BYTES.add(n);
                    }
                    return n;
                } finally {
                    into.limit(limit);
                }
            }
            if (into.hasArray()) {
                int n = current.read(into.array(), into.arrayOffset() + at, want);
                if (n > 0) {
                    into.position(at + n);
                }
                return n;
            }
            byte[] bounce = new byte[Math.min(want, 256 * 1024)];
            int n = current.read(bounce, 0, bounce.length);
            if (n > 0) {
                into.put(bounce, 0, n);
            }
            return n;
        }

        @Override
        public long skip(long count) throws IOException {
            // Through read(), so skipped bytes are counted (and digested) like the rest.
            byte[] scratch = new byte[(int) Math.min(Math.max(count, 1), 64 * 1024)];
            long left = count;
            while (left > 0) {
                int n = read(scratch, 0, (int) Math.min(left, scratch.length));
                if (n < 0) {
                    break;
                }
                left -= n;
            }
            return count - left;
        }

        private void verifyOnce() throws ChecksumMismatchException {
            if (digest != null && !verified) {
                verified = true;
                digest.verify(location);
            }
        }

        /** Replaces the failed response with a ranged GET for the rest, or throws. */
        private void resume(Exception failure) throws IOException {
            abortQuietly(current);
            if (timedOut || nanoClock.getAsLong() >= deadlineNanos) {
                throw deadlineExceeded(failure);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw (IOException) new InterruptedIOException(location + ": GET interrupted").initCause(failure);
            }
            if (failure instanceof SdkClientException sdk && isChecksumFailure(sdk)) {
                throw new StorageException(location, "GET failed: " + sdk.getMessage(), sdk);
            }
            if (!retryable(location, failure) || length < 0 || etag == null || attempts >= maxAttempts) {
                throw failed(failure);
            }
            backOff(failure);
            long from = start + received;
            GetObjectRequest rest = request.toBuilder().range("bytes=" + from + "-" + (start + length - 1))
                    .ifMatch(etag).build();
            ResponseInputStream<GetObjectResponse> resumed;
            try {
                resumed = openWithRetries(rest);
            } catch (SdkException e) {
                if (S3Errors.statusCode(e) == 412) {
                    throw new StorageException(location, "the object was replaced while it was read (its ETag is no "
                            + "longer " + etag + "); read it again", e);
                }
                throw S3Errors.translate(location, "GET (resume at byte " + from + ")", e);
            }
            OptionalLong resumedAt = ContentRange.firstByte(resumed.response().contentRange());
            if (resumedAt.isEmpty() || resumedAt.getAsLong() != from) {
                abortQuietly(resumed);
                throw new StorageException(location, "cannot resume at byte " + from + ": the server answered "
                        + resumed.response().contentRange());
            }
            current = resumed;
            channel = LeanRequests.channel(resumed);
        }

        private IOException failed(Exception failure) {
            if (failure instanceof IOException io && !(failure instanceof SocketTimeoutException)) {
                return new StorageException(location, "GET failed after " + attempts + " attempt(s) at byte "
                        + (start + received) + ": " + io.getMessage(), io, StorageException.Retry.RETRYABLE);
            }
            if (failure instanceof SdkException sdk) {
                return S3Errors.translate(location, "GET", sdk);
            }
            return new StorageException(location, "GET failed after " + attempts + " attempt(s) at byte "
                    + (start + received) + ": " + failure.getMessage(), failure, StorageException.Retry.RETRYABLE);
        }

        private StorageException deadlineExceeded(Exception failure) {
            return new StorageException(location, "GET gave up after " + deadline.toMillis() + " ms (the request "
                    + "deadline, S3DLIO_S3_REQUEST_TIMEOUT) and " + attempts + " attempt(s), at byte "
                    + (start + received), failure, StorageException.Retry.RETRYABLE);
        }

        private void backOff(Exception failure) throws IOException {
            long wait = backoffNanos(attempts, retryAfter(failure));
            long left = deadlineNanos - nanoClock.getAsLong();
            if (wait >= left) {
                throw deadlineExceeded(failure);
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw (IOException) new InterruptedIOException(location + ": GET interrupted").initCause(failure);
            }
        }

        private void expire() {
            timedOut = true;
            abortQuietly(current);
        }

        /** Aborts the connection: the rest of the body is not wanted. */
        void abort() {
            timer.cancel(false);
            abortQuietly(current);
        }

        @Override
        public void close() throws IOException {
            timer.cancel(false);
            ResponseInputStream<GetObjectResponse> in = current;
            if (in != null) {
                if (length >= 0 && received < length) {
                    in.abort(); // do not drain what the caller did not want
                }
                in.close();
            }
        }
    }

    /**
     * The stored checksum a whole-object response can be checked against, if any: the cheapest full-object one
     * it carries (CRC32C and CRC32 are JDK intrinsics, CRC64NVME pure Java, the SHAs dearer), else the MD5 ETag.
     */
    private static Optional<BodyDigest> digestFor(GetObjectResponse response) {
        String[][] stored = response.checksumType() == software.amazon.awssdk.services.s3.model.ChecksumType.COMPOSITE
                ? new String[0][] // of the parts' checksums, not of the bytes
                : storedChecksums(response);
        for (String[] candidate : stored) {
            // A composite checksum of a multipart upload ("...-3") is of the parts, not the bytes.
            if (candidate[0] != null && !candidate[0].isBlank() && !candidate[0].contains("-")) {
                return Optional.of(BodyDigest.expecting(BodyDigest.Algorithm.valueOf(candidate[1]), candidate[0],
                        BodyDigest.Encoding.BASE64));
            }
        }
        return md5ETag(response.eTag(), response.serverSideEncryptionAsString(), response.sseCustomerAlgorithm())
                .flatMap(BodyDigest::ofMd5ETag);
    }

    /** The {@code x-amz-checksum-*} values of a response with their algorithms, cheapest to check first. */
    private static String[][] storedChecksums(GetObjectResponse response) {
        return new String[][] {
                {response.checksumCRC32C(), "CRC32C"},
                {response.checksumCRC32(), "CRC32"},
                {response.checksumCRC64NVME(), "CRC64NVME"},
                {response.checksumSHA256(), "SHA256"},
                {response.checksumSHA1(), "SHA1"}};
    }

    /**
     * The ETag as the lower-case hex MD5 of the object's bytes: a single-part ETag (32 hex digits, no "-N") of
     * an object not encrypted with SSE-KMS or SSE-C, whose ETags are not the MD5 of their bytes.
     */
    static Optional<String> md5ETag(String etag, String serverSideEncryption, String sseCustomerAlgorithm) {
        boolean kms = serverSideEncryption != null && serverSideEncryption.toLowerCase(Locale.ROOT).startsWith("aws:kms");
        if (kms || sseCustomerAlgorithm != null || BodyDigest.ofMd5ETag(etag).isEmpty()) {
            return Optional.empty();
        }
        return ETags.unquote(etag).map(hex -> hex.toLowerCase(Locale.ROOT));
    }

    private static boolean isUnsatisfiable(SdkException e) {
        return S3Errors.statusCode(e) == 416 || S3Errors.errorCode(e).equals("InvalidRange");
    }

    private static boolean isChecksumFailure(SdkClientException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        return message.contains("checksum");
    }

    /** Whether a later attempt may succeed: transient service errors, resets, timeouts, truncation. */
    static boolean retryable(Location location, Exception failure) {
        if (failure instanceof AbortedException) {
            return false;
        }
        if (failure instanceof SdkException sdk) {
            IOException translated = S3Errors.translate(location, "GET", sdk);
            return translated instanceof StorageException storage && storage.isRetryable();
        }
        if (failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException)) {
            return false; // the caller was interrupted
        }
        return failure instanceof IOException;
    }

    /** A Retry-After the server sent with an error, if any. */
    private static OptionalLong retryAfter(Exception failure) {
        if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().sdkHttpResponse() != null) {
            Optional<String> header = service.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After");
            if (header.isPresent()) {
                try {
                    return OptionalLong.of(TimeUnit.SECONDS.toNanos(Long.parseLong(header.get().trim())));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty(); // an HTTP date: fall back to our own backoff
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Exponential backoff with equal jitter after {@code attempts} tries, or the server's Retry-After. */
    static long backoffNanos(int attempts, OptionalLong retryAfter) {
        if (retryAfter.isPresent()) {
            return Math.min(retryAfter.getAsLong(), MAX_BACKOFF_NANOS);
        }
        long ceiling = Math.min(MAX_BACKOFF_NANOS, BASE_BACKOFF_NANOS << Math.min(attempts - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    private static void abortQuietly(ResponseInputStream<GetObjectResponse> in) {
        if (in != null) {
            try {
                in.abort();
            } catch (RuntimeException ignored) {
                // already broken
            }
        }
    }
}
