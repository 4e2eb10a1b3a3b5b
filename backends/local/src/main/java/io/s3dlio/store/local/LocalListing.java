package io.s3dlio.store.local;

import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.spi.LookAheadIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The lazy listing behind file:// and direct:// {@code list} and {@code deletePrefix}: a depth-first walk
 * holding one open directory stream per level, never the whole listing. Objects are regular files (and
 * symbolic links to regular files); temporary files of unfinished writes are skipped; links to directories
 * are not followed. A directory shows up as a prefix in a one-level listing only when it holds an object
 * somewhere below it, as a common prefix on a blob store would.
 */
final class LocalListing extends LookAheadIterator<ListEntry> {
    private final Location prefix;
    private final ListMode mode;
    private final String namePrefix;
    private final Deque<Level> levels = new ArrayDeque<>();

    private record Level(DirectoryStream<Path> stream, Iterator<Path> entries, boolean top) {}

    private LocalListing(Location prefix, ListMode mode, String namePrefix) {
        this.prefix = prefix;
        this.mode = mode;
        this.namePrefix = namePrefix;
    }

    /** The listing as a lazy stream; closing the stream closes every open directory. */
    static Stream<ListEntry> stream(Location prefix, ListMode mode) throws IOException {
        LocalPaths.checkKey(prefix);
        String key = prefix.key();
        int slash = key.lastIndexOf('/');
        Path base = LocalPaths.prefixPath(prefix.withKey(key.substring(0, slash + 1)));
        LocalListing listing = new LocalListing(prefix, mode, key.substring(slash + 1));
        listing.descend(base, true);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(listing, Spliterator.NONNULL), false)
                .onClose(listing::closeAll);
    }

    /** Opens a directory level; a directory that is absent (or not a directory) lists nothing. */
    @SuppressWarnings("StreamResourceLeak") // each level's stream is closed when it is exhausted or by closeAll()
    private void descend(Path directory, boolean top) throws IOException {
        DirectoryStream<Path> stream;
        try {
            stream = Files.newDirectoryStream(directory);
        } catch (NoSuchFileException | NotDirectoryException e) {
            return;
        } catch (IOException e) {
            closeAll();
            throw LocalErrors.translate(prefix, e);
        }
        levels.push(new Level(stream, stream.iterator(), top));
    }

    @Override
    protected ListEntry advance() {
        try {
            while (!levels.isEmpty()) {
                Level level = levels.peek();
                if (!level.entries().hasNext()) {
                    levels.pop().stream().close();
                    continue;
                }
                Path path = level.entries().next();
                String name = path.getFileName().toString();
                if (LocalPaths.isTempName(name) || (level.top() && !name.startsWith(namePrefix))) {
                    continue;
                }
                ListEntry entry = visit(path);
                if (entry != null) {
                    return entry;
                }
            }
            return null;
        } catch (IOException e) {
            closeAll();
            throw new UncheckedIOException(LocalErrors.translate(prefix, e));
        } catch (java.nio.file.DirectoryIteratorException e) {
            closeAll();
            throw new UncheckedIOException(LocalErrors.translate(prefix, e.getCause()));
        }
    }

    /** The entry for one path, or null when it is not listed (or descended into instead). */
    private ListEntry visit(Path path) throws IOException {
        BasicFileAttributes attributes = listable(path);
        if (attributes == null) {
            return null;
        }
        if (attributes.isRegularFile()) {
            return objectEntry(prefix.withKey(LocalPaths.keyOf(path)), attributes);
        }
        if (attributes.isDirectory()) {
            if (mode == ListMode.RECURSIVE) {
                descend(path, false);
            } else if (holdsAnObject(path)) {
                return new ListEntry.PrefixEntry(prefix.withKey(LocalPaths.keyOf(path) + "/"));
            }
        }
        return null;
    }

    /**
     * The attributes of a path a listing may show, or null: links are followed only to regular files (a link
     * to a directory could lead outside the prefix), and a path deleted meanwhile (or a dangling link) is
     * skipped.
     */
    private static BasicFileAttributes listable(Path path) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                attributes = Files.readAttributes(path, BasicFileAttributes.class);
                return attributes.isRegularFile() ? attributes : null;
            }
            return attributes;
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Whether an object lies anywhere below {@code directory}; stops at the first one. */
    static boolean holdsAnObject(Path directory) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path path : stream) {
                if (LocalPaths.isTempName(path.getFileName().toString())) {
                    continue;
                }
                BasicFileAttributes attributes = listable(path);
                if (attributes == null) {
                    continue;
                }
                if (attributes.isRegularFile() || (attributes.isDirectory() && holdsAnObject(path))) {
                    return true;
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return false;
        }
        return false;
    }

    private void closeAll() {
        while (!levels.isEmpty()) {
            try {
                levels.pop().stream().close();
            } catch (IOException e) {
                // Closing a directory stream only releases a descriptor; nothing to report.
            }
        }
    }

    static ListEntry.ObjectEntry objectEntry(Location location, BasicFileAttributes attributes) {
        return new ListEntry.ObjectEntry(location, attributes.size(),
                Optional.of(attributes.lastModifiedTime().toInstant()), Optional.of(etag(attributes)));
    }

    /**
     * Local files have no ETag, so one is derived from size and modification time (nanoseconds where the
     * file system keeps them): it changes whenever a write replaces the file, but it is not a content hash.
     */
    static String etag(BasicFileAttributes attributes) {
        return Long.toHexString(attributes.size()) + "-"
                + Long.toHexString(attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }
}
