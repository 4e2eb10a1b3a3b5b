package io.s3dlio.store.local;

import io.s3dlio.api.AccessDeniedException;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.StorageException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.function.Function;

/** The one place that turns the JDK's file-system errors into the project's, always naming the location. */
final class LocalErrors {
    private LocalErrors() {}

    /** For object reads: a missing file is a missing object. */
    static IOException forObject(Location location, IOException e) {
        if (e instanceof StorageException already) {
            return already;
        }
        if (e instanceof NoSuchFileException) {
            return new ObjectNotFoundException(location, e);
        }
        return translate(location, e);
    }

    /** For everything else (writes, listings, containers). */
    static IOException translate(Location location, IOException e) {
        if (e instanceof StorageException already) {
            return already;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new AccessDeniedException(location, AccessDeniedException.Reason.PERMISSION,
                    "permission denied: " + describe(e), e);
        }
        return new StorageException(location, describe(e), e);
    }

    /** One file-system call. */
    @FunctionalInterface
    interface FileCall<T> {
        T call() throws IOException;
    }

    /**
     * {@code call}'s result. A failure that means something particular where it is made (a file where a directory
     * must be, a directory that is not empty) becomes a {@link StorageException} saying what {@code meaning} says
     * of it; {@code meaning} answers null for any other failure, which is {@link #translate translated}.
     */
    static <T> T call(Location location, FileCall<T> call, Function<IOException, String> meaning) throws IOException {
        try {
            return call.call();
        } catch (IOException e) {
            String meant = meaning.apply(e);
            if (meant != null) {
                throw new StorageException(location, meant, e);
            }
            throw translate(location, e);
        }
    }

    /** "what failed on which path" from a JDK exception, without repeating itself. */
    static String describe(IOException e) {
        if (e instanceof FileSystemException fse) {
            StringBuilder out = new StringBuilder();
            out.append(fse.getClass().getSimpleName());
            if (fse.getFile() != null) {
                out.append(" on ").append(fse.getFile());
            }
            if (fse.getOtherFile() != null) {
                out.append(" -> ").append(fse.getOtherFile());
            }
            if (fse.getReason() != null) {
                out.append(": ").append(fse.getReason());
            }
            return out.toString();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
