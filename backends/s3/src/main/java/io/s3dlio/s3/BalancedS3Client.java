package io.s3dlio.s3;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * One {@link S3Client} over several endpoints: an SDK client per endpoint (each signs for its own host, so
 * SigV4 holds), and for each call an endpoint from the {@link EndpointPool}. In this mode the per-endpoint
 * clients do not retry; this class is the one retry layer ({@link S3Config#maxRetries()} retries), and a
 * retryable failure (refused or reset connection, timeout, 5xx, throttling) is retried on another endpoint,
 * waiting first (exponential back-off with jitter, as the SDK would) only when it must go back to one that was
 * already tried. Methods that send no request (close, utilities) go to every or the first client.
 */
final class BalancedS3Client implements InvocationHandler {
    private static final Set<String> LOCAL_METHODS = Set.of("close", "serviceName", "serviceClientConfiguration",
            "utilities", "waiter");
    private static final long BASE_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_DELAY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EndpointPool pool;
    private final List<S3Client> clients;
    private final int maxAttempts;

    private BalancedS3Client(EndpointPool pool, List<S3Client> clients, int maxAttempts) {
        this.pool = pool;
        this.clients = clients;
        this.maxAttempts = maxAttempts;
    }

    /**
     * A client over {@code config.endpoints()}; {@code build} makes the SDK client for one endpoint given the
     * interceptor that counts its bytes (it must not retry).
     */
    static S3Client create(S3Config config, LongSupplier nanoTime, Function<Endpoint, S3Client> build) {
        EndpointPool pool = new EndpointPool(config.endpoints(), nanoTime);
        List<S3Client> clients = new ArrayList<>();
        try {
            for (EndpointPool.Member member : pool.members()) {
                clients.add(requireNonNull(build.apply(new Endpoint(member.uri, new ByteCounter(member),
                        member.bytes::add)),
                        "no client built"));
            }
        } catch (RuntimeException e) {
            clients.forEach(S3Client::close);
            throw e;
        }
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                new BalancedS3Client(pool, List.copyOf(clients), config.maxRetries() + 1));
    }

    /** The pool behind {@code client} when it is a balanced one. */
    static Optional<EndpointPool> pool(S3Client client) {
        if (Proxy.isProxyClass(client.getClass()) && Proxy.getInvocationHandler(client) instanceof BalancedS3Client balanced) {
            return Optional.of(balanced.pool);
        }
        return Optional.empty();
    }

    /**
     * What the per-endpoint client builder gets: the endpoint, the interceptor to install, and where a client
     * that bypasses interceptors ({@link LeanS3Client}) counts the body bytes it receives.
     */
    record Endpoint(URI uri, ExecutionInterceptor counter, java.util.function.LongConsumer bytes) {}

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return ProxyObjectMethods.answer(proxy, method, args, () -> "BalancedS3Client" + pool.members());
        }
        if (LOCAL_METHODS.contains(method.getName())) {
            if (method.getName().equals("close")) {
                clients.forEach(S3Client::close);
                return null;
            }
            return call(method, clients.get(0), args);
        }
        List<EndpointPool.Member> tried = new ArrayList<>();
        SdkException last = null;
        for (int attempt = 0; attempt < maxAttempts; attempt++) {
            EndpointPool.Member member = pool.choose(tried);
            if (last != null) {
                EndpointPool.Member previous = tried.get(tried.size() - 1);
                if (member != previous) {
                    previous.retriedElsewhere.increment();
                }
                if (tried.contains(member)) {
                    pause(attempt);
                }
            }
            member.requests.increment();
            member.inFlight.incrementAndGet();
            try {
                Object result = call(method, clients.get(member.index), args);
                pool.succeeded(member);
                return result;
            } catch (SdkException e) {
                if (!retryable(e)) {
                    if (e instanceof AwsServiceException) {
                        pool.succeeded(member); // the endpoint answered: 404, 403 and the like are the request's
                    }
                    throw e;
                }
                pool.failed(member, refused(e), e);
                tried.add(member);
                last = e;
            } finally {
                member.inFlight.decrementAndGet();
            }
        }
        throw last;
    }

    private static Object call(Method method, S3Client client, Object[] args) throws Throwable {
        try {
            return method.invoke(client, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void pause(int attempt) {
        long ceiling = Math.min(MAX_DELAY_NANOS, BASE_DELAY_NANOS << Math.min(attempt - 1, 10));
        try {
            TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.builder().message("interrupted while waiting to retry").cause(e).build();
        }
    }

    /** What another endpoint (or a later try) might succeed at; the same classes S3Errors calls retryable. */
    static boolean retryable(SdkException error) {
        if (error instanceof AwsServiceException service) {
            int status = service.statusCode();
            return status == 408 || status == 429 || status >= 500 || service.isThrottlingException();
        }
        if (error instanceof AbortedException || !(error instanceof SdkClientException)) {
            return false;
        }
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof InterruptedIOException && !(t instanceof java.net.SocketTimeoutException)) {
                return false;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static boolean refused(SdkException error) {
        for (Throwable t = error.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }

    /** Counts the body bytes each attempt carries to and from one endpoint. */
    private static final class ByteCounter implements ExecutionInterceptor {
        private final EndpointPool.Member member;

        ByteCounter(EndpointPool.Member member) {
            this.member = member;
        }

        @Override
        public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
            long sent = context.requestBody().flatMap(RequestBody::optionalContentLength).orElse(0L);
            long received = context.httpRequest().method() == SdkHttpMethod.HEAD ? 0L
                    : context.httpResponse().firstMatchingHeader("Content-Length").map(value -> {
                try {
                    return Long.parseLong(value.trim());
                } catch (NumberFormatException e) {
                    return 0L;
                }
            }).orElse(0L);
            member.bytes.add(sent + received);
        }
    }
}
