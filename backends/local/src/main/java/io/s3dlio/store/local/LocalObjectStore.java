package io.s3dlio.store.local;

import static io.s3dlio.spi.StoreChecks.checkRange;
import static io.s3dlio.spi.StoreChecks.rangeLength;
import static io.s3dlio.spi.StoreChecks.requireObject;
import static io.s3dlio.spi.StoreChecks.requireScheme;
import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Capability;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.StorageException;
import io.s3dlio.spi.BatchDeletes;
import io.s3dlio.spi.StoreChecks;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * What file:// and direct:// share: key rules, stat, listing, delete, rename, containers and the atomic
 * write protocol. Subclasses decide only how bytes move between files and buffers: through the page cache
 * or around it with O_DIRECT.
 *
 * <p>Local specifics of the {@link ObjectStore} contract: an object is a regular file (or a link to one);
 * a directory is never an object, and object methods on a directory fail naming it. Writes create parent
 * directories. Writes and copies land in a hidden temporary file next to the target, which is forced to
 * the device (fdatasync) and then renamed over the target, so a reader sees the old or the new file and a
 * failed write leaves only the old one. The directory itself is not synced after the rename: after a crash
 * the rename may be lost (the old object remains), but the new name never points at unwritten data.
 */
abstract class LocalObjectStore implements ObjectStore {
    /** The largest object {@link #get} returns in one buffer. */
    static final long MAX_BUFFER = StoreChecks.MAX_BUFFER;

    private final String scheme;
    private final Set<Capability> capabilities;

    LocalObjectStore(String scheme, Set<Capability> capabilities) {
        this.scheme = requireNonNull(scheme, "scheme is null");
        this.capabilities = Set.copyOf(capabilities);
    }

    // ---- what subclasses provide -------------------------------------------------------------------

    /** Opens a regular file for positional reads. */
    abstract FileChannel openRead(Location location, Path path) throws IOException;

    /** Reads exactly {@code length} bytes at {@code offset} into one new buffer. */
    abstract ObjectBytes readBytes(Location location, Path path, FileChannel channel, long offset, int length)
            throws IOException;

    /** Reads exactly {@code length} bytes at {@code offset} into {@code target}, advancing its position. */
    abstract void readInto(Location location, Path path, FileChannel channel, long offset, ByteBuffer target, int length)
            throws IOException;

    /** Creates the temporary file of {@code replace} and opens a sink on it. */
    abstract TempSink openTemp(Location location, AtomicReplace replace, WriteOptions options) throws IOException;

    /** Fills the temporary file of {@code replace} with the bytes of {@code from}, forced to the device. */
    abstract void copyInto(Location source, Path from, Location target, AtomicReplace replace) throws IOException;

    // ---- ObjectStore --------------------------------------------------------------------------------

    @Override
    public final Set<String> schemes() {
        return Set.of(scheme);
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    /** The path of an object location of this store, after the scheme and key checks. */
    final Path objectPath(Location location) {
        requireObject(location);
        requireScheme(location, schemes());
        return LocalPaths.objectPath(location);
    }

    private Path prefixPath(Location location) {
        requireNonNull(location, "location is null");
        requireScheme(location, schemes());
        return LocalPaths.prefixPath(location);
    }

    /** The attributes of an object's file; fails clearly for a missing file or a directory. */
    final BasicFileAttributes objectAttributes(Location location, Path path) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw forObject(location, path, e);
        }
        if (attributes.isDirectory()) {
            throw new StorageException(location, path + " is a directory, not an object");
        }
        if (!attributes.isRegularFile()) {
            throw new StorageException(location, path + " is not a regular file");
        }
        return attributes;
    }

    /** Read-side translation: a missing file, or a parent that is a file, means the object is absent. */
    static IOException forObject(Location location, Path path, IOException e) {
        if (e.getClass() == FileSystemException.class && path.getParent() != null
                && !Files.isDirectory(path.getParent())) {
            return new ObjectNotFoundException(location, e);
        }
        return LocalErrors.forObject(location, e);
    }

    private interface ChannelWork<T> {
        T apply(FileChannel channel, long size) throws IOException;
    }

    private <T> T withReadChannel(Location location, Path path, ChannelWork<T> work) throws IOException {
        objectAttributes(location, path);
        FileChannel channel;
        try {
            channel = openRead(location, path);
        } catch (IOException e) {
            throw forObject(location, path, e);
        }
        try (channel) {
            // The size of the open file, not of the name: a concurrent rename cannot change it under us.
            return work.apply(channel, channel.size());
        } catch (java.io.EOFException e) {
            throw e; // a range past the end: already names the location, offset and size
        } catch (IOException e) {
            throw LocalErrors.forObject(location, e);
        }
    }

    @Override
    public final ObjectBytes get(Location location) throws IOException {
        Path path = objectPath(location);
        return withReadChannel(location, path, (channel, size) -> {
            StoreChecks.requireOneBuffer(location, size);
            return size == 0 ? ObjectBytes.empty() : readBytes(location, path, channel, 0, (int) size);
        });
    }

    @Override
    public final ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        Path path = objectPath(location);
        checkRange(location, offset, length);
        return withReadChannel(location, path, (channel, size) -> {
            int wanted = (int) rangeLength(location, offset, length, size);
            return wanted == 0 ? ObjectBytes.empty() : readBytes(location, path, channel, offset, wanted);
        });
    }

    @Override
    public final ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        Path path = objectPath(location);
        checkRange(location, offset, OptionalLong.empty());
        requireNonNull(target, "target is null");
        return withReadChannel(location, path, (channel, size) -> {
            if (offset >= size || !target.hasRemaining()) {
                return new ReadResult(0, OptionalLong.of(size));
            }
            int n = (int) Math.min(target.remaining(), size - offset);
            readInto(location, path, channel, offset, target, n);
            return new ReadResult(n, OptionalLong.of(size));
        });
    }

    @Override
    public final WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        requireNonNull(data, "data is null");
        requireNonNull(options, "options is null");
        WriteOptions sized = options.withExpectedSizeIfAbsent(data.remaining());
        try (ObjectWriter writer = newWriter(location, sized)) {
            writer.write(data.duplicate());
            return writer.finish();
        }
    }

    @Override
    public final ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        requireNonNull(options, "options is null");
        Path path = objectPath(location);
        return new LocalObjectWriter(location, path, options,
                (where, replace) -> openTemp(where, replace, options));
    }

    @Override
    public final ObjectInfo stat(Location location) throws IOException {
        Path path = objectPath(location);
        BasicFileAttributes attributes = objectAttributes(location, path);
        return ObjectInfo.of(location, attributes.size(), Optional.of(attributes.lastModifiedTime().toInstant()),
                Optional.of(LocalListing.etag(attributes)));
    }

    @Override
    public final boolean exists(Location location) throws IOException {
        Path path = objectPath(location);
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).isRegularFile();
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            IOException translated = forObject(location, path, e);
            if (translated instanceof ObjectNotFoundException) {
                return false;
            }
            throw translated;
        }
    }

    @Override
    public final Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        prefixPath(prefix);
        requireNonNull(mode, "mode is null");
        return LocalListing.stream(prefix, mode);
    }

    @Override
    public final void delete(Location location) throws IOException {
        Path path = objectPath(location);
        try {
            Files.deleteIfExists(path);
        } catch (DirectoryNotEmptyException e) {
            throw new StorageException(location, path + " is a directory, not an object; delete what is under it"
                    + " with deletePrefix", e);
        } catch (IOException e) {
            IOException translated = forObject(location, path, e);
            if (!(translated instanceof ObjectNotFoundException)) {
                throw translated;
            }
        }
    }

    @Override
    public final DeleteResult deletePrefix(Location prefix) throws IOException {
        prefixPath(prefix);
        if (prefix.key().isEmpty()) {
            throw new IllegalArgumentException(prefix + ": refusing to delete every file under '/'; name a prefix");
        }
        Set<Path> touched = new HashSet<>();
        DeleteResult result;
        try (Stream<ListEntry> entries = LocalListing.stream(prefix, ListMode.RECURSIVE)) {
            // One file at a time; the shared helper turns failures, and a listing that breaks, into data.
            result = BatchDeletes.deleteAll(prefix, entries.map(ListEntry::location).iterator(), 1,
                    batch -> List.of(deleteFile(batch.get(0), touched)));
        }
        removeEmptiedDirectories(prefix, touched);
        return result;
    }

    private static BatchDeletes.Outcome deleteFile(Location object, Set<Path> touched) {
        Path path = LocalPaths.prefixPath(object);
        try {
            Files.delete(path);
            touched.add(path.getParent());
        } catch (NoSuchFileException e) {
            // deleted by someone else meanwhile: gone, as asked
        } catch (IOException e) {
            return BatchDeletes.Outcome.failed(object, LocalErrors.describe(e));
        }
        return BatchDeletes.Outcome.deleted(object);
    }

    /** Removes directories the delete emptied, deepest first, never one whose key lies outside the prefix. */
    private static void removeEmptiedDirectories(Location prefix, Set<Path> touched) {
        List<Path> deepestFirst = new ArrayList<>(touched);
        deepestFirst.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path dir : deepestFirst) {
            AtomicReplace.removeEmptyDirectories(dir, candidate -> candidate.getParent() != null
                    && (LocalPaths.keyOf(candidate) + "/").startsWith(prefix.key()));
        }
    }

    /** What a copy or rename does once both files are known: {@code to} made from {@code from} via {@code replace}. */
    @FunctionalInterface
    private interface Replacement {
        void run(Path from, Path to, AtomicReplace replace) throws IOException;
    }

    /**
     * The start every copy and rename shares: the source must be an object; onto itself nothing changes (it
     * exists, so it is already there); otherwise {@code replacement} writes the target atomically.
     */
    private void replace(Location source, Location target, Replacement replacement) throws IOException {
        Path from = objectPath(source);
        Path to = objectPath(target);
        objectAttributes(source, from);
        if (!from.equals(to)) {
            replacement.run(from, to, new AtomicReplace(target, to));
        }
    }

    @Override
    public final void copy(Location source, Location target) throws IOException {
        replace(source, target, (from, to, replace) -> {
            boolean done = false;
            try {
                copyInto(source, from, target, replace);
                replace.commit();
                done = true;
            } finally {
                if (!done) {
                    replace.discard();
                }
            }
        });
    }

    @Override
    public final void rename(Location source, Location target) throws IOException {
        replace(source, target, (from, to, replace) -> {
            replace.createParents();
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                // Different file systems: the target still appears atomically (temp + rename), then the source goes.
                copy(source, target);
                delete(source);
            } catch (NoSuchFileException e) {
                replace.discard();
                throw Files.exists(from) ? LocalErrors.translate(target, e) : new ObjectNotFoundException(source, e);
            } catch (IOException e) {
                replace.discard();
                if (Files.isDirectory(to)) {
                    throw new StorageException(target, "a directory exists at " + to + "; an object cannot replace it", e);
                }
                throw LocalErrors.translate(target, e);
            }
        });
    }

    @Override
    public final void createContainer(Location container) throws IOException {
        Path path = prefixPath(container);
        LocalErrors.call(container, () -> Files.createDirectories(path),
                e -> e instanceof FileAlreadyExistsException ? path + " exists and is not a directory" : null);
    }

    @Override
    public final void deleteContainer(Location container) throws IOException {
        Path path = prefixPath(container);
        if (path.getParent() == null) {
            throw new IllegalArgumentException(container + ": refusing to delete '/'");
        }
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new StorageException(container, path + " is not a directory");
        }
        LocalErrors.call(container, () -> Files.deleteIfExists(path),
                e -> e instanceof DirectoryNotEmptyException ? "directory " + path + " is not empty" : null);
    }

    @Override
    @SuppressWarnings("StreamResourceLeak") // the returned Stream's onClose closes the directory stream
    public final Stream<Location> listContainers(Location scope) throws IOException {
        Path path = prefixPath(scope);
        DirectoryStream<Path> stream = LocalErrors.call(scope, () -> Files.newDirectoryStream(path, Files::isDirectory),
                e -> e instanceof NoSuchFileException || e instanceof NotDirectoryException
                        ? "no directory at " + path + " to list directories in" : null);
        return StreamSupport.stream(stream.spliterator(), false)
                .map(dir -> new Location(scheme, "", "", LocalPaths.keyOf(dir) + "/"))
                .onClose(() -> {
                    try {
                        stream.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(LocalErrors.translate(scope, e));
                    }
                });
    }

    @Override
    public void close() {
        // Local stores hold no clients, threads or open files between calls.
    }

    /** Reads until {@code buffer} is full; fails naming the file if it ends first (it was truncated in place). */
    static void readFully(Location location, FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new StorageException(location, "file ended at byte " + at + " while reading; it was truncated"
                        + " in place by another writer");
            }
            at += n;
        }
    }
}
