package io.s3dlio.store.local;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * {@code file:///absolute/path}: local files through the page cache. Reads are positional reads into one
 * direct buffer per object (no copy afterwards, and no temporary buffer inside the JDK as a heap buffer would
 * need); writes follow the atomic protocol of {@link LocalObjectStore}. Copies use {@link Files#copy}, which
 * the kernel performs (copy_file_range/sendfile) but which still reads and writes every byte, so this store
 * does not claim {@link Capability#SERVER_SIDE_COPY}.
 */
final class FileObjectStore extends LocalObjectStore {

    FileObjectStore() {
        super("file", EnumSet.of(Capability.ATOMIC_RENAME));
    }

    @Override
    FileChannel openRead(Location location, Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    ObjectBytes readBytes(Location location, Path path, FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(length);
        readFully(location, channel, buffer, offset);
        buffer.flip();
        return ObjectBytes.wrap(buffer);
    }

    @Override
    void readInto(Location location, Path path, FileChannel channel, long offset, ByteBuffer target, int length)
            throws IOException {
        readFully(location, channel, target.slice(target.position(), length), offset);
        target.position(target.position() + length);
    }

    @Override
    TempSink openTemp(Location location, AtomicReplace replace, WriteOptions options) throws IOException {
        FileChannel channel = replace.createTemp(temp -> FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
        return new PlainSink(channel);
    }

    @Override
    void copyInto(Location source, Path from, Location target, AtomicReplace replace) throws IOException {
        replace.createTemp(temp -> Files.copy(from, temp));
        try (FileChannel channel = FileChannel.open(replace.temp(), StandardOpenOption.WRITE)) {
            channel.force(false);
        }
    }

    /** Writes straight to the channel; finish forces the data to the device before the rename. */
    private static final class PlainSink implements TempSink {
        private final FileChannel channel;

        PlainSink(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void write(ByteBuffer data) throws IOException {
            while (data.hasRemaining()) {
                channel.write(data);
            }
        }

        @Override
        public void finish() throws IOException {
            channel.force(false);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
