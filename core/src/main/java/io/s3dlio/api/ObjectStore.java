package io.s3dlio.api;

import io.s3dlio.spi.StoreChecks;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One storage backend (S3, Azure Blob, GCS, local files, O_DIRECT files, memory), addressed by {@link Location}.
 * Keep this surface small: engines (range reads, uploads), the loader and the CLI are built on top of it.
 *
 * <h2>Contracts that hold for every method</h2>
 * <ul>
 *   <li><b>Objects vs prefixes.</b> Object methods ({@code get}, {@code getRange}, {@code read}, {@code put},
 *       {@code newWriter}, {@code stat}, {@code delete}, {@code copy}, {@code rename}) need a location for
 *       which {@link Location#isObject()} is true: a key that is empty or ends with '/' is refused with
 *       {@link IllegalArgumentException} naming it.</li>
 *   <li><b>Missing things.</b> Reading or stat-ing an absent object throws {@link ObjectNotFoundException};
 *       an absent bucket/container throws {@link ContainerNotFoundException} where the backend can tell.
 *       Deleting an absent object is not an error.</li>
 *   <li><b>Errors</b> are {@link StorageException}s (or plain {@link IOException}s from the local file system)
 *       whose message names the location as the caller typed it ({@link Location#toString()} keeps the text:
 *       {@code gcs://b/k} is not rewritten to {@code gs://b/k}). Retries happen inside the backend's client
 *       layer only; what reaches the caller has already been retried.</li>
 *   <li><b>Capabilities and schemes</b> are immutable sets: {@link #capabilities()} and {@link #schemes()}
 *       never change over a store's life, and modifying them throws {@link UnsupportedOperationException}.</li>
 *   <li><b>Atomicity.</b> A completed {@code put} or writer {@code finish} replaces the whole object at
 *       once: a concurrent reader sees the old bytes or the new bytes, never a mix, and a failed write
 *       leaves the previous object (or nothing) in place. On blob stores this is the service's guarantee;
 *       on file:// and direct:// it comes from writing a temporary file and renaming it. Concurrent
 *       writers to one key: the last to complete wins.</li>
 *   <li><b>Reads</b> return read-only buffers the data landed in; nothing is copied afterwards.</li>
 *   <li><b>Known sizes.</b> {@link #get(Location, OptionalLong)} and {@link #readInto} take the object's size
 *       when the caller knows it (a listing does), so that no request is spent learning it. Whether and how
 *       a read is split into concurrent ranged requests is decided by the store alone (the range engine
 *       decorator, configured once by {@code S3DLIO_RANGE_*}); callers never split reads themselves, and never
 *       need to know which decorators wrap a store.</li>
 *   <li>Implementations are thread-safe.</li>
 * </ul>
 */
public interface ObjectStore extends AutoCloseable {

    /** Schemes this store serves, e.g. {@code s3}. */
    Set<String> schemes();

    /** The optional abilities of this store. */
    Set<Capability> capabilities();

    /**
     * Reads a whole object into one buffer.
     *
     * @throws ObjectNotFoundException if it does not exist
     * @throws StorageException if the object is larger than one buffer can hold (2 GiB - 1); use
     *         {@link #getRange} for such objects
     */
    ObjectBytes get(Location location) throws IOException;

    /**
     * Reads a whole object whose size the caller may already know (from a listing or an earlier stat).
     * Knowing it costs no request and lets a store plan the read up front: a store that splits large reads
     * (the range engine, see {@code S3DLIO_RANGE_*}) reads an object below its threshold with exactly one
     * request and splits a larger one from the first request on, without probing for the size.
     *
     * <p>{@code size} is a hint, never trusted over the store: the bytes returned are the object's bytes. If the
     * object turns out to have a different size (it was replaced), the read either returns the current bytes
     * or fails with an {@link IOException} naming the location; it never returns a mix or a truncated object.
     * Errors as {@link #get(Location)}. The default ignores the hint, which is correct for every store that
     * does not split reads.
     *
     * @param size the object's size in bytes when known, else empty
     * @throws IllegalArgumentException if {@code size} is negative
     */
    default ObjectBytes get(Location location, OptionalLong size) throws IOException {
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException(location + ": negative size " + size.getAsLong());
        }
        return get(location);
    }

    /**
     * Reads a whole object of any size (also beyond one buffer's 2 GiB) into {@code sink}, which receives each
     * piece at its offset; see {@link ObjectSink} for how pieces arrive. This is how large objects are
     * downloaded to files: a store that splits reads (the range engine, configured by {@code S3DLIO_RANGE_*})
     * reads chunks concurrently and hands each to the sink as it lands, with memory bounded by its
     * configuration; other stores deliver one chunk after another in order. {@code size} is a hint as for
     * {@link #get(Location, OptionalLong)}; a size change seen during the read fails it with an
     * {@link IOException} naming the location.
     *
     * <p>When it returns, no call of the sink is running or will start. On failure or interruption some pieces
     * may already have been delivered: a caller writing a file writes under a temporary name and renames it
     * only on success. The default reads with {@link #read} in chunks of {@value #READ_INTO_CHUNK} bytes, in
     * order, on the calling thread; on a store with {@link Capability#FULL_OBJECT_CRC32C} or
     * {@link Capability#FULL_OBJECT_MD5}, an object read in more than one chunk is checked against the CRC32C
     * {@link #stat} reports, else its MD5 (one more request, once the first chunk shows more follow), and a
     * mismatch throws {@link ChecksumMismatchException} (a single chunk is a whole-object response, which the
     * backend checks itself).
     *
     * @return the object's size: the bytes delivered to the sink
     * @throws ObjectNotFoundException if the object does not exist
     */
    default long readInto(Location location, OptionalLong size, ObjectSink sink) throws IOException {
        if (size.isPresent() && size.getAsLong() < 0) {
            throw new IllegalArgumentException(location + ": negative size " + size.getAsLong());
        }
        if (size.isPresent() && size.getAsLong() <= READ_INTO_CHUNK) {
            ObjectBytes bytes = get(location, size);
            if (bytes.size() > 0) {
                sink.write(0, bytes.buffer());
            }
            return bytes.size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(READ_INTO_CHUNK);
        // Chosen once the first chunk shows more follow: one stat picks the stored CRC32C, else the MD5.
        io.s3dlio.spi.BodyDigest check = null;
        long offset = 0;
        while (true) {
            ReadResult result = read(location, offset, buffer.clear());
            OptionalLong reported = result.objectSize();
            if (size.isPresent() && reported.isPresent() && reported.getAsLong() != size.getAsLong()) {
                throw new StorageException(location, "the object changed size during the read: expected "
                        + size.getAsLong() + " bytes, found " + reported.getAsLong());
            }
            if (result.bytesRead() == 0) {
                break;
            }
            buffer.flip();
            if (offset == 0 && (reported.isPresent() ? reported.getAsLong() > result.bytesRead()
                    : result.bytesRead() == READ_INTO_CHUNK)) {
                check = io.s3dlio.spi.BodyDigest.ofStored(this, location).orElse(null);
            }
            if (check != null) {
                check.update(buffer.duplicate());
            }
            sink.write(offset, buffer);
            offset += result.bytesRead();
            if (reported.isPresent() && offset >= reported.getAsLong()) {
                break;
            }
        }
        if (size.isPresent() && offset != size.getAsLong()) {
            throw new StorageException(location, "the object changed size during the read: expected "
                    + size.getAsLong() + " bytes, read " + offset);
        }
        if (check != null && check.bytes() == offset) {
            check.verify(location);
        }
        return offset;
    }

    /** Bytes per request of the default {@link #readInto}. */
    int READ_INTO_CHUNK = 8 * 1024 * 1024;

    /**
     * Reads {@code [offset, offset + length)}, or from {@code offset} to the end when no length is given.
     * A range reaching past the end is cut at the end; {@code offset == size} yields empty bytes;
     * {@code offset > size} throws {@link java.io.EOFException} naming the location, offset and size.
     */
    ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException;

    /**
     * Positional read, the primitive the range engine builds on: reads up to {@code target.remaining()}
     * bytes starting at {@code offset} into {@code target} (advancing its position), fewer only at the end
     * of the object. One request on HTTP backends. Reports the object's total size when the response
     * carries it. {@code offset >= size} reads 0 bytes (and still reports the size when known).
     */
    ReadResult read(Location location, long offset, ByteBuffer target) throws IOException;

    /** Writes a whole object from the remaining bytes of {@code data} (which is not modified). */
    WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException;

    /** Opens a streaming writer; see {@link ObjectWriter} for its lifecycle. No request is sent until data is. */
    ObjectWriter newWriter(Location location, WriteOptions options) throws IOException;

    /** Metadata of one object. */
    ObjectInfo stat(Location location) throws IOException;

    /** Whether the object exists. Never throws {@link ObjectNotFoundException}. */
    boolean exists(Location location) throws IOException;

    /**
     * Lists objects whose key starts with {@code prefix.key()} (a plain string prefix: {@code data/f}
     * matches {@code data/f1} and {@code data/f/x}). An empty key lists the whole container. The stream is
     * lazy and pages through the listing as it is consumed, so it never holds the whole listing in memory;
     * close it (try-with-resources). Order: lexicographic by key on blob stores; unspecified on file
     * stores.
     *
     * <p>The first page is requested by this call, so a listing that cannot start fails here, checked: a
     * missing bucket/container throws {@link ContainerNotFoundException} from {@code list} itself on every
     * store (file stores have no containers: a missing directory lists nothing). Errors on later pages
     * surface as {@link java.io.UncheckedIOException} while the stream is consumed.
     */
    Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException;

    /** Deletes one object. Absent objects are not an error. */
    void delete(Location location) throws IOException;

    /**
     * Deletes every object under {@code prefix} (string-prefix semantics, as {@link #list}), in batches where
     * the backend has bulk delete ({@link Capability#BULK_DELETE}). It throws only when it cannot start:
     * when the first listing request fails (a missing container: {@link ContainerNotFoundException}). Once
     * started it never throws: per-object failures are returned, and a listing that breaks part-way returns
     * what was deleted plus one failure naming the prefix and the cause.
     */
    DeleteResult deletePrefix(Location prefix) throws IOException;

    /**
     * Deletes each of {@code locations}, an explicit list (any containers of this store), in batches where the
     * backend has bulk delete ({@link Capability#BULK_DELETE}: S3 DeleteObjects of up to 1,000 keys, Azure Blob
     * Batch, GCS batch requests). Absent objects are not an error and count as deleted; a location listed twice
     * is deleted and counted once.
     *
     * <p>It throws only when it cannot start: a null or prefix location, or one of a scheme this store does not
     * serve, is refused with {@link IllegalArgumentException} naming it before anything is deleted. Once started
     * it never throws: each object that could not be deleted is a {@link DeleteResult.Failure} naming it and the
     * cause; a batch refused as a whole makes each of its objects a failure, and later batches still run. Not
     * atomic: on failure some objects may be gone and others not. The default deletes one object after another
     * with {@link #delete}, on the calling thread.
     *
     * @return how many objects were deleted (or already absent), and each failure
     */
    default DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        List<Location> distinct = StoreChecks.requireObjects(locations, schemes());
        long deleted = 0;
        List<DeleteResult.Failure> failures = new ArrayList<>();
        for (Location location : distinct) {
            try {
                delete(location);
                deleted++;
            } catch (IOException | RuntimeException e) {
                failures.add(new DeleteResult.Failure(location, String.valueOf(e.getMessage())));
            }
        }
        return new DeleteResult(deleted, failures);
    }

    /**
     * Copies an object, overwriting the target. Server-side where {@link Capability#SERVER_SIDE_COPY} says
     * so; otherwise the bytes pass through this process. Both locations must belong to this store.
     * The target keeps the source's content type and user metadata on stores that keep them
     * ({@link Capability#USER_METADATA}). {@code copy(x, x)} checks that {@code x} exists
     * ({@link ObjectNotFoundException} otherwise) and then changes nothing.
     */
    void copy(Location source, Location target) throws IOException;

    /**
     * Moves an object, overwriting the target. Atomic on stores with {@link Capability#ATOMIC_RENAME}; on
     * blob stores it is copy-then-delete, and a failure between the two leaves both objects.
     * {@code rename(x, x)} checks that {@code x} exists ({@link ObjectNotFoundException} otherwise) and then
     * changes nothing: it never deletes the source.
     */
    void rename(Location source, Location target) throws IOException;

    /** Creates a bucket/container (a directory on file stores). Succeeds if it already exists and is ours. */
    void createContainer(Location container) throws IOException;

    /** Deletes an empty bucket/container; fails naming it if it is not empty; absent is not an error. */
    void deleteContainer(Location container) throws IOException;

    /**
     * Lists buckets/containers visible to these credentials, as container-root locations. {@code scope}
     * picks the scheme and, for Azure, the account (for example {@code s3://} or {@code az://account}); on
     * file stores it lists the directories inside {@code scope}.
     */
    Stream<Location> listContainers(Location scope) throws IOException;

    /** Releases clients and threads. Idempotent. */
    @Override
    void close() throws IOException;
}
