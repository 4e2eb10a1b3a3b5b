package io.s3dlio.testkit.proxy;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What {@link LatencyProxy} and {@link FaultProxy} share, whatever they do with the bytes: a listener on a free
 * loopback port accepted in a loop, virtual threads (named, owned here) for each connection, the open sockets,
 * and a close that ends every socket and joins the threads. The proxies differ in their socket API (channels for
 * the latency proxy's direct buffers, streams for the fault proxy's HTTP parsing), so sockets are
 * {@link Closeable}.
 *
 * @param <S> the accepted socket type
 */
public abstract sealed class LoopbackProxy<S extends Closeable> implements AutoCloseable
        permits FaultProxy, LatencyProxy {
    /** The listener's accept: {@code ServerSocket::accept} or {@code ServerSocketChannel::accept}. */
    @FunctionalInterface
    interface Acceptor<S> {
        S accept() throws IOException;
    }

    private final Closeable listener;
    private final InetSocketAddress address;
    private final ExecutorService executor;
    private final Set<Closeable> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param listener the bound listener, closed by {@link #close()}
     * @param address where it listens
     * @param threadPrefix the virtual threads' name prefix
     */
    LoopbackProxy(Closeable listener, InetSocketAddress address, String threadPrefix) {
        this.listener = listener;
        this.address = address;
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(threadPrefix, 0).factory());
    }

    /**
     * Starts accepting: each accepted socket is tracked and handed to {@code serve} on a thread of its own.
     * Called at the end of the subclass's constructor, once {@code serve} can run.
     */
    final void listen(Acceptor<S> acceptor, Consumer<S> serve) {
        executor.execute(() -> acceptLoop(acceptor, serve));
    }

    private void acceptLoop(Acceptor<S> acceptor, Consumer<S> serve) {
        while (!closed.get()) {
            S client;
            try {
                client = acceptor.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    System.err.println(name() + ": accept failed: " + e);
                }
                return;
            }
            connections.incrementAndGet();
            track(client);
            executor.execute(() -> serve.accept(client));
        }
    }

    /** The port clients connect to. */
    public final int port() {
        return address.getPort();
    }

    /** {@code http://127.0.0.1:PORT}, to use as an endpoint. */
    public final String endpoint() {
        return "http://" + address.getAddress().getHostAddress() + ":" + port();
    }

    /** How messages name the proxy: {@code FaultProxy http://127.0.0.1:PORT}. */
    final String name() {
        return getClass().getSimpleName() + " " + endpoint();
    }

    /** Runs {@code task} on a proxy thread (the second direction of a connection). */
    final void execute(Runnable task) {
        executor.execute(task);
    }

    /** Closes {@code socket} when the proxy closes, unless {@link #release}d first. */
    final void track(Closeable socket) {
        sockets.add(socket);
    }

    /** Closes {@code socket} now and forgets it. */
    final void release(Closeable socket) {
        closeQuietly(socket);
        sockets.remove(socket);
    }

    /** Whether {@link #close()} has begun. */
    final boolean closed() {
        return closed.get();
    }

    /** Client connections accepted so far. */
    public final long connectionCount() {
        return connections.get();
    }

    /** Whether every thread of the proxy has ended (after {@link #close()}). */
    final boolean terminated() {
        return executor.isTerminated();
    }

    /** Closes the listener and every connection and joins the proxy's threads. Idempotent. */
    @Override
    public final void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(listener);
        for (Closeable socket : sockets) {
            closeQuietly(socket);
        }
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                System.err.println(name() + ": threads still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sockets.clear();
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
