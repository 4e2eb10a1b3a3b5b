package io.s3dlio.testkit.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small real HTTP object server for engine tests and benchmarks while no S3 emulator is merged: the
 * JDK's HTTP server over a {@link MemoryObjectStore}, answering {@code GET} (whole, or one
 * {@code Range: bytes=a-b} with 206 and {@code Content-Range}), {@code HEAD}, {@code PUT} and
 * {@code DELETE} on {@code /bucket/key}. Binds a free loopback port; {@link #close()} stops it.
 */
public final class HttpObjectServer implements AutoCloseable {
    private final MemoryObjectStore store = new MemoryObjectStore();
    private final HttpServer server;
    private final ExecutorService threads;

    public HttpObjectServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-object-server-", 0).factory());
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The backing store, to create buckets and objects without going through HTTP. */
    public MemoryObjectStore store() {
        return store;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            Location location = Location.parse("mem:/" + path);
            switch (exchange.getRequestMethod()) {
                case "GET", "HEAD" -> get(exchange, location);
                case "PUT" -> {
                    byte[] body;
                    try (InputStream in = exchange.getRequestBody()) {
                        body = in.readAllBytes();
                    }
                    store.createContainer(location.containerRoot());
                    store.put(location, ByteBuffer.wrap(body), WriteOptions.DEFAULT);
                    exchange.sendResponseHeaders(200, -1);
                }
                case "DELETE" -> {
                    store.delete(location);
                    exchange.sendResponseHeaders(204, -1);
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
        } catch (ObjectNotFoundException | io.s3dlio.api.ContainerNotFoundException e) {
            exchange.sendResponseHeaders(404, -1);
        } catch (IOException | RuntimeException e) {
            exchange.sendResponseHeaders(500, -1);
        } finally {
            exchange.close();
        }
    }

    private void get(HttpExchange exchange, Location location) throws IOException {
        ObjectBytes object = store.get(location);
        long size = object.size();
        boolean head = exchange.getRequestMethod().equals("HEAD");
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range == null) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, head ? -1 : (size == 0 ? -1 : size));
            if (!head) {
                write(exchange, object);
            }
            return;
        }
        if (!range.startsWith("bytes=") || range.contains(",")) {
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        String[] bounds = range.substring(6).split("-", 2);
        long first = Long.parseLong(bounds[0]);
        long last = bounds[1].isEmpty() ? size - 1 : Math.min(Long.parseLong(bounds[1]), size - 1);
        if (first >= size) {
            exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
            exchange.sendResponseHeaders(416, -1);
            return;
        }
        ObjectBytes part = store.getRange(location, first, OptionalLong.of(last - first + 1));
        exchange.getResponseHeaders().set("Content-Range", "bytes " + first + "-" + last + "/" + size);
        exchange.sendResponseHeaders(206, head ? -1 : part.size());
        if (!head) {
            write(exchange, part);
        }
    }

    private static void write(HttpExchange exchange, ObjectBytes bytes) throws IOException {
        ByteBuffer buffer = bytes.buffer();
        byte[] chunk = new byte[256 * 1024];
        try (OutputStream out = exchange.getResponseBody()) {
            while (buffer.hasRemaining()) {
                int n = Math.min(chunk.length, buffer.remaining());
                buffer.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
