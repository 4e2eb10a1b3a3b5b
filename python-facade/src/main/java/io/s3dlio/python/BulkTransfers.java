package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;

/**
 * Many-object operations with bounded concurrency, on the core API only. Kept small and in one place on purpose:
 * when the transfer engine ({@code io.s3dlio.engine.transfer}) lands, these four methods are the ones to switch
 * over to it. Partial failures of put_many/upload/download are returned as data; get_many fails on the first
 * failed item (in order), naming it.
 */
final class BulkTransfers {
    private static final int CHUNK = 8 * 1024 * 1024;

    private final ObjectStores stores;
    private final ExecutorService executor;

    BulkTransfers(ObjectStores stores, ExecutorService executor) {
        this.stores = requireNonNull(stores, "stores is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Reads every object, at most {@code maxInFlight} at once; the result keeps the order of {@code uris}. */
    Blob getMany(List<String> uris, int maxInFlight) throws FacadeException {
        List<Location> locations = parseAll(uris);
        List<Future<ObjectBytes>> futures = runBounded(locations.size(), maxInFlight, index -> {
            Location location = locations.get(index);
            return stores.forLocation(location).get(location);
        });
        List<ObjectBytes> parts = new ArrayList<>(futures.size());
        for (int i = 0; i < futures.size(); i++) {
            parts.add(await(uris.get(i), futures.get(i)));
        }
        return new Blob(uris, parts);
    }

    /** Writes {@code data[i]} to {@code uris[i]}, at most {@code maxInFlight} at once. */
    Failures putMany(List<String> uris, List<ByteBuffer> data, int maxInFlight) throws FacadeException {
        if (uris.size() != data.size()) {
            throw new FacadeException(FacadeException.Kind.INVALID, "", uris.size() + " URIs but " + data.size()
                    + " buffers", null);
        }
        List<Location> locations = parseAll(uris);
        return collect(uris, runBounded(uris.size(), maxInFlight, index -> {
            Location location = locations.get(index);
            stores.forLocation(location).put(location, data.get(index), WriteOptions.DEFAULT);
            return Boolean.TRUE;
        }));
    }

    /** Uploads {@code files[i]} to {@code uris[i]} through streaming writers (any size, bounded memory). */
    Failures upload(List<String> files, List<String> uris, int maxInFlight) throws FacadeException {
        List<Location> locations = parseAll(uris);
        return collect(files, runBounded(files.size(), maxInFlight, index -> {
            Location location = locations.get(index);
            Path file = Path.of(files.get(index));
            ObjectStore store = stores.forLocation(location);
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                    ObjectWriter writer = store.newWriter(location, WriteOptions.DEFAULT.withExpectedSize(channel.size()))) {
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, channel.size())));
                while (channel.read(buffer.clear()) > 0) {
                    writer.write(buffer.flip());
                }
                writer.finish();
            }
            return Boolean.TRUE;
        }));
    }

    /**
     * Downloads one object, or every object under a prefix (keeping the key structure below it), into
     * {@code directory}: each file is written under a temporary name and renamed when complete; a key that would
     * land outside the directory is refused and reported, never written.
     */
    Failures download(String uri, String directory, int maxInFlight) throws FacadeException {
        Location source = parse(uri);
        Path root = Path.of(directory).toAbsolutePath().normalize();
        List<Location> objects = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            ObjectStore store = stores.forLocation(source);
            Files.createDirectories(root);
            if (source.isObject() && store.exists(source)) {
                objects.add(source);
                names.add(source.key().substring(source.key().lastIndexOf('/') + 1));
            } else {
                int base = source.key().lastIndexOf('/') + 1;
                try (Stream<ListEntry> listing = store.list(source, ListMode.RECURSIVE)) {
                    listing.forEach(entry -> {
                        if (entry instanceof ListEntry.ObjectEntry object) {
                            objects.add(object.location());
                            names.add(object.location().key().substring(base));
                        }
                    });
                }
            }
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
        List<String> labels = objects.stream().map(Location::toString).toList();
        return collect(labels, runBounded(objects.size(), maxInFlight, index -> {
            Location object = objects.get(index);
            Path target = root.resolve(names.get(index)).normalize();
            if (!target.startsWith(root) || target.equals(root)) {
                throw new IllegalArgumentException(object + ": key would land outside " + root + ", refused");
            }
            fetchToFile(stores.forLocation(object), object, target);
            return Boolean.TRUE;
        }));
    }

    private static void fetchToFile(ObjectStore store, Location object, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                // readInto: the range engine decides whether to split the object into concurrent ranged reads.
                var unused = store.readInto(object, OptionalLong.empty(), (offset, bytes) -> {
                    long at = offset;
                    while (bytes.hasRemaining()) {
                        at += out.write(bytes, at);
                    }
                });
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private interface Task<T> {
        T run(int index) throws IOException;
    }

    /** Runs {@code count} tasks on the facade's executor, at most {@code maxInFlight} at a time. */
    private <T> List<Future<T>> runBounded(int count, int maxInFlight, Task<T> task) throws FacadeException {
        if (maxInFlight < 1) {
            throw new FacadeException(FacadeException.Kind.INVALID, "", "max_in_flight must be at least 1, got "
                    + maxInFlight, null);
        }
        Semaphore permits = new Semaphore(maxInFlight);
        List<Future<T>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            futures.add(executor.submit(() -> {
                permits.acquire();
                try {
                    return task.run(index);
                } finally {
                    permits.release();
                }
            }));
        }
        return futures;
    }

    private static <T> T await(String uri, Future<T> future) throws FacadeException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw Errors.translate(uri, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.translate(uri, e);
        }
    }

    private static Failures collect(List<String> labels, List<? extends Future<?>> futures) {
        long done = 0;
        List<String> failed = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                await(labels.get(i), futures.get(i));
                done++;
            } catch (FacadeException e) {
                failed.add(labels.get(i));
                causes.add(e.getMessage());
            }
        }
        return new Failures(done, failed, causes);
    }

    private static List<Location> parseAll(List<String> uris) throws FacadeException {
        List<Location> locations = new ArrayList<>(uris.size());
        for (String uri : uris) {
            locations.add(parse(uri));
        }
        return locations;
    }

    static Location parse(String uri) throws FacadeException {
        try {
            return Location.parse(uri);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw Errors.translate(uri, e);
        }
    }
}
