package io.s3dlio.store.local;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;

/**
 * {@code file:///absolute/path}: local files through the page cache. Reads are positional reads into one
 * buffer per object, wrapped without a copy afterwards: a heap buffer by default, or a direct one
 * ({@link LocalStoreConfig#fileReads()}); writes follow the atomic protocol of {@link LocalObjectStore}. Copies use {@link Files#copy}, which
 * the kernel performs (copy_file_range/sendfile) but which still reads and writes every byte, so this store
 * does not claim {@link Capability#SERVER_SIDE_COPY}.
 */
final class FileObjectStore extends LocalObjectStore {

    /** Largest single read or write call with a heap buffer: the JDK's per-thread native copy stays this small. */
    static final int HEAP_SLICE = 1024 * 1024;

    private final LocalStoreConfig.ReadBuffers buffers;

    FileObjectStore() {
        this(LocalStoreConfig.DEFAULT);
    }

    FileObjectStore(LocalStoreConfig config) {
        super("file", EnumSet.of(Capability.ATOMIC_RENAME, Capability.CONDITIONAL_WRITE));
        this.buffers = config.fileReads();
    }

    @Override
    FileChannel openRead(Location location, Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    @Override
    ObjectBytes readBytes(Location location, Path path, FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = buffers == LocalStoreConfig.ReadBuffers.HEAP
                ? ByteBuffer.allocate(length) : ByteBuffer.allocateDirect(length);
        readSliced(location, channel, buffer, offset);
        buffer.flip();
        return ObjectBytes.wrap(buffer);
    }

    @Override
    void readInto(Location location, Path path, FileChannel channel, long offset, ByteBuffer target, int length)
            throws IOException {
        readSliced(location, channel, target.slice(target.position(), length), offset);
        target.position(target.position() + length);
    }

    /**
     * Fills {@code buffer}. A heap buffer is filled in {@link #HEAP_SLICE} pieces, because the JDK reads into
     * a native buffer as large as the request and keeps it cached per thread.
     */
    private static void readSliced(Location location, FileChannel channel, ByteBuffer buffer, long offset)
            throws IOException {
        if (buffer.isDirect()) {
            readFully(location, channel, buffer, offset);
            return;
        }
        int begin = buffer.position();
        while (buffer.hasRemaining()) {
            int n = Math.min(buffer.remaining(), HEAP_SLICE);
            readFully(location, channel, buffer.slice(buffer.position(), n), offset + buffer.position() - begin);
            buffer.position(buffer.position() + n);
        }
    }

    @Override
    TempSink openTemp(Location location, AtomicReplace replace, WriteOptions options) throws IOException {
        FileChannel channel = replace.createTemp(temp -> FileChannel.open(temp, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));
        return new PlainSink(channel);
    }

    @Override
    void copyInto(Location source, Path from, Location target, AtomicReplace replace) throws IOException {
        replace.createTemp(temp -> {
            try {
                return Files.copy(from, temp);
            } catch (NoSuchFileException e) {
                if (from.toString().equals(e.getFile())) {
                    throw new ObjectNotFoundException(source, e); // the source went away, not the target's directory
                }
                throw e;
            }
        });
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
                if (data.isDirect() || data.remaining() <= HEAP_SLICE) {
                    channel.write(data);
                } else {
                    // Same reason as readSliced: keep the JDK's per-thread native copy small.
                    ByteBuffer slice = data.slice(data.position(), HEAP_SLICE);
                    while (slice.hasRemaining()) {
                        channel.write(slice);
                    }
                    data.position(data.position() + HEAP_SLICE);
                }
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
