package io.s3dlio.python;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.engine.transfer.FileNames;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.ItemFailure;
import io.s3dlio.engine.transfer.ObjectRef;
import io.s3dlio.engine.transfer.PutItem;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferHandle;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Many-object operations with bounded concurrency, all on the library's transfer engine
 * ({@code io.s3dlio.engine.transfer}): one engine per call, {@code maxInFlight} jobs. Partial failures of
 * put_many/upload/download are returned as data; get_many fails on the first failed item (in order), naming it.
 */
final class BulkTransfers {
    private final ObjectStores stores;

    BulkTransfers(ObjectStores stores) {
        this.stores = requireNonNull(stores, "stores is null");
    }

    /**
     * Reads every object, at most {@code maxInFlight} at once; the result keeps the order of {@code uris}. A URI
     * given twice is read once.
     */
    Blob getMany(List<String> uris, int maxInFlight) throws FacadeException {
        List<Location> locations = parseAll(uris);
        Map<Location, List<Integer>> positions = new LinkedHashMap<>();
        for (int i = 0; i < locations.size(); i++) {
            positions.computeIfAbsent(locations.get(i), unused -> new ArrayList<>()).add(i);
        }
        ObjectBytes[] parts = new ObjectBytes[locations.size()];
        List<ObjectRef> refs = positions.keySet().stream().map(ObjectRef::of).toList();
        // Each object is written to its own slots by one job; the engine's completion orders those writes before
        // await() returns.
        List<ItemFailure> failures = run(maxInFlight, engine -> engine.get(refs, GetTarget.toMemory((ref, bytes) -> {
            for (int index : positions.get(ref.location())) {
                parts[index] = bytes;
            }
        }), TransferOptions.jobs(maxInFlight), TransferListener.NONE)).failures();
        if (!failures.isEmpty()) {
            // The engine names each item by its URI (Location.toString()): report the failure earliest in `uris`.
            Map<String, Integer> firstIndex = new LinkedHashMap<>();
            positions.forEach((location, indexes) -> firstIndex.put(location.toString(), indexes.get(0)));
            ItemFailure first = failures.stream()
                    .min(Comparator.comparingInt(failure -> firstIndex.getOrDefault(failure.item(), Integer.MAX_VALUE)))
                    .orElseThrow();
            throw Errors.translate(first.item(), first.cause());
        }
        return new Blob(uris, Arrays.asList(parts));
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
        TransferResult result = run(maxInFlight, operation);
        List<String> failed = new ArrayList<>();
        List<String> causes = new ArrayList<>();
        for (ItemFailure failure : result.failures()) {
            failed.add(failure.item());
            causes.add(Errors.translate(failure.item(), failure.cause()).getMessage());
        }
        return new Failures(result.objects(), failed, causes);
    }

    /** Runs one operation on an engine of its own (closed when it ends) and waits for its result. */
    private TransferResult run(int maxInFlight, Function<TransferEngine, TransferHandle> operation) throws FacadeException {
        if (maxInFlight < 1 || maxInFlight > TransferOptions.MAX_JOBS) {
            throw new FacadeException(FacadeException.Kind.INVALID, "", "max_in_flight must be between 1 and "
                    + TransferOptions.MAX_JOBS + ", got " + maxInFlight, null);
        }
        try (TransferEngine engine = TransferEngine.builder(stores::forLocation).build()) {
            return operation.apply(engine).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.translate("", e);
        }
    }

    /**
     * Downloads one object, or every object under a prefix (keeping the key structure below the prefix's last
     * '/'), into {@code directory} through the transfer engine: each file is written under a temporary name and
     * renamed when complete; a key that would land outside the directory is refused and reported, never written.
     */
    Failures download(String uri, String directory, int maxInFlight) throws FacadeException {
        Location source = parse(uri);
        Path root = Path.of(directory).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            // The original's semantics: the object itself when it exists, else everything under the name as a prefix.
            boolean single = source.isObject() && stores.forLocation(source).exists(source);
            GetTarget target = GetTarget.toFiles(FileNames.under(root, TransferEngine.keyBase(source)));
            return transfer(maxInFlight, engine -> {
                if (single) {
                    return engine.get(List.of(ObjectRef.of(source)), target, TransferOptions.jobs(maxInFlight),
                            TransferListener.NONE);
                }
                try {
                    return engine.getAll(source, ListMode.RECURSIVE, target, TransferOptions.jobs(maxInFlight),
                            TransferListener.NONE);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | RuntimeException e) {
            throw Errors.translate(uri, e);
        }
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
