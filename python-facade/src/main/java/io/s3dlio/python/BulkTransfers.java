package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.engine.transfer.ItemFailure;
import io.s3dlio.engine.transfer.PutItem;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferHandle;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
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
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Many-object operations with bounded concurrency. put_many and upload run on the transfer engine
 * ({@code io.s3dlio.engine.transfer}); get_many and download still schedule their own reads here (get_many
 * needs the buffers in order, download the original's file naming), each object read through the core API.
 * Partial failures of put_many/upload/download are returned as data; get_many fails on the first failed item
 * (in order), naming it.
 */
final class BulkTransfers {
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
        List<PutItem> items = new ArrayList<>(uris.size());
        for (int i = 0; i < uris.size(); i++) {
            items.add(PutItem.of(locations.get(i), data.get(i)));
        }
        return transfer(maxInFlight, engine -> engine.put(items, TransferOptions.jobs(maxInFlight), TransferListener.NONE));
    }

    /** Uploads {@code files[i]} to {@code uris[i]} through streaming writers (any size, bounded memory). */
    Failures upload(List<String> files, List<String> uris, int maxInFlight) throws FacadeException {
        List<Location> locations = parseAll(uris);
        List<PutItem> items = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Path file = Path.of(files.get(i));
            long size;
            try {
                size = Files.size(file);
            } catch (IOException | RuntimeException e) {
                throw Errors.translate(files.get(i), e);
            }
            items.add(new PutItem(locations.get(i), size, () -> FileChannel.open(file, StandardOpenOption.READ)));
        }
        return transfer(maxInFlight, engine -> engine.put(items, TransferOptions.jobs(maxInFlight), TransferListener.NONE));
    }

    /** Runs one transfer-engine operation to its end; per-item failures come back as data. */
    private Failures transfer(int maxInFlight, Function<TransferEngine, TransferHandle> operation) throws FacadeException {
        if (maxInFlight < 1) {
            throw new FacadeException(FacadeException.Kind.INVALID, "", "max_in_flight must be at least 1, got "
                    + maxInFlight, null);
        }
        try (TransferEngine engine = TransferEngine.builder(stores::forLocation).build()) {
            TransferResult result = operation.apply(engine).await();
            List<String> failed = new ArrayList<>();
            List<String> causes = new ArrayList<>();
            for (ItemFailure failure : result.failures()) {
                failed.add(failure.item());
                causes.add(Errors.translate(failure.item(), failure.cause()).getMessage());
            }
            return new Failures(result.objects(), failed, causes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.translate("", e);
        }
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
