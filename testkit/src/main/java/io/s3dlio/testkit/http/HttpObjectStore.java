package io.s3dlio.testkit.http;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.spi.AbstractObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * The client side of {@link HttpObjectServer}: mem:// locations read over plain HTTP with the JDK client,
 * one request per call (GET, ranged GET, HEAD for stat, PUT, DELETE). It exists so the range engine can be
 * tested and measured over a real socket (and behind the latency proxy) before an S3 backend is merged.
 * Listing, copy and container operations are not part of this harness and say so.
 */
public final class HttpObjectStore extends AbstractObjectStore {
    private final String host;
    private final int port;
    private final ExecutorService threads;
    private final HttpClient client;

    public HttpObjectStore(String host, int port) {
        super(Set.of("mem"), Set.of());
        this.host = host;
        this.port = port;
        this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("http-object-client-", 0).factory());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build();
    }

    private URI uri(Location location) {
        try {
            return new URI("http", null, host, port, "/" + location.container() + "/" + location.key(), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(location + " cannot be sent over HTTP", e);
        }
    }

    private HttpResponse<InputStream> send(Location location, HttpRequest request) throws IOException {
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() == 404) {
                response.body().close();
                throw new ObjectNotFoundException(location);
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(location + ": interrupted");
        }
    }

    private static StorageException unexpected(Location location, HttpResponse<InputStream> response) throws IOException {
        response.body().close();
        return new StorageException(location, "HTTP " + response.statusCode() + " from " + response.uri());
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        requireObject(location);
        HttpResponse<InputStream> response = send(location, HttpRequest.newBuilder(uri(location)).GET().build());
        if (response.statusCode() != 200) {
            throw unexpected(location, response);
        }
        return body(location, response, (int) response.headers().firstValueAsLong("Content-Length").orElse(0));
    }

    /** Exactly {@code length} bytes of the response body, or a failure naming the location. */
    private static ObjectBytes body(Location location, HttpResponse<InputStream> response, int length) throws IOException {
        try (InputStream in = response.body()) {
            byte[] data = new byte[length];
            int read = in.readNBytes(data, 0, length);
            if (read != length) {
                throw new StorageException(location, "short body: " + read + " of " + length + " bytes");
            }
            return ObjectBytes.wrap(data);
        }
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        requireObject(location);
        checkRange(location, offset, length);
        if (length.isPresent() && length.getAsLong() == 0) {
            rangeLength(location, offset, length, stat(location).size());
            return ObjectBytes.empty();
        }
        Ranged ranged = rangedGet(location, offset, length.isPresent() ? Long.toString(offset + length.getAsLong() - 1) : "");
        HttpResponse<InputStream> response = ranged.response();
        long size = ranged.size();
        if (response.statusCode() == 416) {
            response.body().close();
            rangeLength(location, offset, length, size);
            return ObjectBytes.empty();
        }
        if (response.statusCode() != 206) {
            throw unexpected(location, response);
        }
        return body(location, response, (int) rangeLength(location, offset, length, size));
    }

    private record Ranged(HttpResponse<InputStream> response, long size) {}

    /** One ranged GET up to {@code last} (empty: to the end); the object's size from its Content-Range. */
    private Ranged rangedGet(Location location, long offset, String last) throws IOException {
        HttpResponse<InputStream> response = send(location, HttpRequest.newBuilder(uri(location))
                .header("Range", "bytes=" + offset + "-" + last).GET().build());
        String contentRange = response.headers().firstValue("Content-Range").orElse("");
        return new Ranged(response, Long.parseLong(contentRange.substring(contentRange.lastIndexOf('/') + 1)));
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        requireObject(location);
        checkRange(location, offset, OptionalLong.empty());
        if (!target.hasArray()) {
            throw new IllegalArgumentException("the benchmark HTTP store reads into heap buffers only");
        }
        Ranged ranged = rangedGet(location, offset, Long.toString(offset + Math.max(target.remaining(), 1) - 1));
        HttpResponse<InputStream> response = ranged.response();
        long size = ranged.size();
        if (response.statusCode() == 416) {
            response.body().close();
            return new ReadResult(0, OptionalLong.of(size));
        }
        if (response.statusCode() != 206) {
            throw unexpected(location, response);
        }
        int wanted = (int) Math.min(target.remaining(), Math.max(0, size - offset));
        try (InputStream in = response.body()) {
            int read = in.readNBytes(target.array(), target.arrayOffset() + target.position(), wanted);
            target.position(target.position() + read);
            return new ReadResult(read, OptionalLong.of(size));
        }
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        requireObject(location);
        byte[] body = new byte[data.remaining()];
        data.duplicate().get(body);
        HttpResponse<InputStream> response = send(location, HttpRequest.newBuilder(uri(location))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (response.statusCode() != 200) {
            throw unexpected(location, response);
        }
        response.body().close();
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        return new WriteResult(location, body.length, body.length, (int) crc.getValue(), Optional.empty());
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        requireObject(location);
        HttpResponse<InputStream> response = send(location, HttpRequest.newBuilder(uri(location))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        response.body().close();
        if (response.statusCode() != 200) {
            throw new StorageException(location, "HTTP " + response.statusCode());
        }
        long size = response.headers().firstValueAsLong("Content-Length").orElseThrow();
        return new ObjectInfo(location, size, Optional.empty(), Optional.empty(), Optional.empty(),
                java.util.Map.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    @Override
    public void delete(Location location) throws IOException {
        requireObject(location);
        send(location, HttpRequest.newBuilder(uri(location)).DELETE().build()).body().close();
    }

    private static UnsupportedOperationException notInHarness(String operation) {
        return new UnsupportedOperationException(operation + " is not part of the benchmark HTTP store (get, read, put, stat, delete only)");
    }

    @Override public ObjectWriter newWriter(Location location, WriteOptions options) { throw notInHarness("newWriter"); }
    @Override public Stream<ListEntry> list(Location prefix, ListMode mode) { throw notInHarness("list"); }
    @Override public DeleteResult deletePrefix(Location prefix) { throw notInHarness("deletePrefix"); }
    @Override public void copy(Location source, Location target) { throw notInHarness("copy"); }
    @Override public void rename(Location source, Location target) { throw notInHarness("rename"); }
    @Override public void createContainer(Location container) { throw notInHarness("createContainer"); }
    @Override public void deleteContainer(Location container) { throw notInHarness("deleteContainer"); }
    @Override public Stream<Location> listContainers(Location scope) { throw notInHarness("listContainers"); }

    @Override
    public void close() {
        client.close();
        threads.close();
    }
}
