package io.s3dlio.store.local;

import io.s3dlio.api.Location;
import io.s3dlio.api.PreconditionFailedException;
import io.s3dlio.api.StorageException;
import io.s3dlio.api.WriteCondition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes one object appear at once: bytes go to a hidden temporary file in the target's own directory
 * (same file system, so the final rename is atomic), which is renamed over the target on commit and deleted
 * on discard. Parent directories are created on demand and removed again on discard when this write created
 * them and they are still empty.
 */
final class AtomicReplace {
    /** Orders conditional writers inside this JVM; file locks only order processes. */
    private static final ReentrantLock[] LOCAL_LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < LOCAL_LOCKS.length; i++) {
            LOCAL_LOCKS[i] = new ReentrantLock();
        }
    }

    /** How often to recreate parents that a concurrent cleanup removed between mkdir and create. */
    private static final int CREATE_ATTEMPTS = 5;

    private final Location location;
    private final Path target;
    private final Path temp;
    private Path existingAncestor;

    AtomicReplace(Location location, Path target) {
        this.location = location;
        this.target = target;
        this.temp = LocalPaths.tempPathFor(target);
    }

    Path temp() {
        return temp;
    }

    Path target() {
        return target;
    }

    /** Something that creates the temporary file (and may fail because its directory just vanished). */
    interface Creator<T> {
        T create(Path temp) throws IOException;
    }

    /** Creates parents, then the temporary file through {@code creator}, retrying if a parent vanished. */
    <T> T createTemp(Creator<T> creator) throws IOException {
        for (int attempt = 1; ; attempt++) {
            createParents();
            try {
                return creator.create(temp);
            } catch (NoSuchFileException e) {
                if (attempt >= CREATE_ATTEMPTS) {
                    throw LocalErrors.translate(location, e);
                }
            }
        }
    }

    void createParents() throws IOException {
        Path parent = target.getParent();
        if (existingAncestor == null) {
            Path ancestor = parent;
            while (ancestor != null && !Files.isDirectory(ancestor)) {
                ancestor = ancestor.getParent();
            }
            existingAncestor = ancestor;
            if (parent != null && parent.equals(ancestor)) {
                return; // the parent was just seen to exist: createDirectories would only stat it again
            }
        }
        LocalErrors.call(location, () -> Files.createDirectories(parent),
                e -> e instanceof FileAlreadyExistsException file ? "cannot create the parent directories of " + target
                        + ": " + file.getFile() + " exists and is not a directory" : null);
    }

    /** Renames the temporary file over the target in one step. */
    void commit() throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileSystemException e) {
            if (Files.isDirectory(target)) {
                throw new StorageException(location, "a directory exists at " + target
                        + "; an object cannot replace it", e);
            }
            throw LocalErrors.translate(location, e);
        }
    }

    /**
     * Renames the temporary file over the target if {@code condition} holds, checked under a lock that every
     * conditional writer of this target takes (a file lock across processes, a striped lock within this JVM,
     * since file locks are per process). Unconditional writers do not take it: on files, as on S3, only
     * conditional writers are ordered against each other.
     */
    void commit(WriteCondition condition) throws IOException {
        if (condition.isNone()) {
            commit();
            return;
        }
        ReentrantLock local = LOCAL_LOCKS[Math.floorMod(target.hashCode(), LOCAL_LOCKS.length)];
        local.lock();
        try (FileChannel lockChannel = FileChannel.open(LocalPaths.lockPathFor(target), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            FileLock held = lockChannel.lock();
            try {
                commitLocked(condition);
            } finally {
                held.release();
            }
        } catch (IOException e) {
            if (e instanceof StorageException) {
                throw e;
            }
            throw LocalErrors.translate(location, e);
        } finally {
            local.unlock();
        }
    }

    private void commitLocked(WriteCondition condition) throws IOException {
        BasicFileAttributes current;
        try {
            current = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            current = null;
        }
        boolean holds = switch (condition.kind()) {
            case NONE -> true;
            case IF_ABSENT -> current == null;
            case IF_MATCH -> current != null && current.isRegularFile()
                    && LocalListing.etag(current).equals(condition.etag().orElseThrow());
        };
        if (!holds) {
            throw new PreconditionFailedException(location, condition, null);
        }
        if (current != null) {
            advanceModifiedTime(current.lastModifiedTime());
        }
        commit();
    }

    /**
     * The ETag of a file is its size and modification time; the clock's granularity (often milliseconds) could
     * give a replacement the ETag of the file it replaces, and an If-Match holder would then overwrite a newer
     * object. Conditional replacements therefore always move the time forward.
     */
    private void advanceModifiedTime(FileTime previous) throws IOException {
        long previousNanos = previous.to(TimeUnit.NANOSECONDS);
        long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        long wanted = Math.max(now, previousNanos + TimeUnit.MILLISECONDS.toNanos(1));
        Files.setLastModifiedTime(temp, FileTime.from(wanted, TimeUnit.NANOSECONDS));
        if (Files.getLastModifiedTime(temp).to(TimeUnit.NANOSECONDS) <= previousNanos) {
            // A file system with coarse times (seconds): step a whole second.
            Files.setLastModifiedTime(temp, FileTime.from(previousNanos + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS));
        }
    }

    /** Deletes the temporary file and the parent directories this write created, if still empty. */
    void discard() throws IOException {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new StorageException(location, "could not delete the temporary file " + temp, e);
        }
        if (existingAncestor != null) {
            removeEmptyDirectories(target.getParent(), dir -> !dir.equals(existingAncestor) && dir.startsWith(existingAncestor));
        }
    }

    /**
     * Removes {@code directory} and then its parents while they are empty and {@code mayRemove} allows it.
     * Stops quietly at the first one that is not empty (or cannot be removed): this is cleanup, and a
     * concurrent writer may just have put something there.
     */
    static void removeEmptyDirectories(Path directory, java.util.function.Predicate<Path> mayRemove) {
        for (Path dir = directory; dir != null && mayRemove.test(dir); dir = dir.getParent()) {
            try {
                Files.delete(dir);
            } catch (NoSuchFileException e) {
                // already gone: keep going up
            } catch (DirectoryNotEmptyException e) {
                return;
            } catch (IOException e) {
                return;
            }
        }
    }
}
