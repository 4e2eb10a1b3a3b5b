package io.s3dlio.cli;

import io.s3dlio.engine.transfer.GetTarget;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where {@code get -o FILE} writes. A regular file (or a new one) gets the transfer engine's temporary file
 * and rename, so nothing partial appears under its name. A name the user gave that is a symbolic link is
 * followed: the file it points to is written, the link stays. A FIFO or a device ({@code /dev/null}, a tape,
 * a pipe another program reads) is written in place, in order: renaming a temporary file over it would
 * replace the special file with a regular one.
 */
final class OutputFiles {
    /** As the kernel's limit on nested links (ELOOP). */
    private static final int MAX_LINKS = 40;

    private OutputFiles() {}

    /** {@code named}, or what the chain of symbolic links starting there points to (which may not exist yet). */
    static Path followLinks(Path named) throws IOException {
        Path current = named;
        for (int hops = 0; Files.isSymbolicLink(current); hops++) {
            if (hops == MAX_LINKS) {
                throw new java.nio.file.FileSystemException(named.toString(), null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(current);
            current = current.toAbsolutePath().getParent().resolve(link).normalize();
        }
        return current;
    }

    /** Whether {@code path} exists and is neither a regular file nor a directory (a FIFO, a device, a socket). */
    static boolean isSpecial(Path path) {
        return Files.exists(path) && !Files.isRegularFile(path) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Opens the special file {@code path} for writing, never creating or truncating it (as {@code cat > fifo};
     * a FIFO waits here for its reader).
     */
    static FileChannel openInPlace(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.WRITE);
    }

    /** The object's bytes written, in order, into {@code channel}. */
    static GetTarget inOrderTo(FileChannel channel) {
        return GetTarget.inOrder((object, chunk) -> {
            while (chunk.hasRemaining()) {
                channel.write(chunk);
            }
        });
    }
}
