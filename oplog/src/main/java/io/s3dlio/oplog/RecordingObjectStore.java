package io.s3dlio.oplog;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectSink;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.ReadResult;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.api.WriteResult;
import io.s3dlio.spi.ArrayReads;
import io.s3dlio.spi.BufferReads;
import io.s3dlio.spi.FirstByte;
import io.s3dlio.spi.ForwardingObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * A store decorator that reports every call as one {@link Operation} to a listener (an {@link OpLogWriter}, a
 * {@link LatencyRecorder}), success or failure, without changing what the call does. Because it wraps the
 * {@link ObjectStore} interface it covers every backend and every caller (CLI, loader, engines, embedding).
 *
 * <p>One call is one operation: a {@code get} the range engine below splits into parts is one GET line. A
 * listing is one LIST from the call to the closing of its stream, counting the entries consumed. A streaming
 * writer is one PUT from {@code newWriter} to {@code finish} (or to {@code close}/{@code abort} without one,
 * recorded as failed). Reads carry their time to first byte where the backend marks it ({@link FirstByte}: S3
 * does) on the calling thread.
 */
public final class RecordingObjectStore extends ForwardingObjectStore implements ArrayReads, BufferReads {
    private final OperationListener listener;
    private final OpClock clock;
    /** The clock when it is {@link OpClock#system()}: a read's start then comes from the tick it reads anyway. */
    private final SystemOpClock ticks;

    public RecordingObjectStore(ObjectStore delegate, OperationListener listener, OpClock clock) {
        super(delegate);
        this.listener = requireNonNull(listener, "listener is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.ticks = clock instanceof SystemOpClock system ? system : null;
    }

    /** The epoch time of {@code tick} (a {@link System#nanoTime()} just read): one clock read, not two. */
    private long startAt(long tick) {
        return ticks != null ? ticks.at(tick) : clock.epochNanos();
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface Bytes<T> {
        long of(T result);
    }

    private <T> T record(OpType type, Location location, Call<T> call, Bytes<T> bytes) throws IOException {
        long start = clock.epochNanos();
        T result;
        try {
            result = call.run();
        } catch (IOException | RuntimeException | Error e) {
            emit(type, location, 0, 1, start, e);
            throw e;
        }
        emit(type, location, bytes.of(result), 1, start, null);
        return result;
    }

    private void emit(OpType type, Location location, long bytes, int objects, long start, Throwable failure) {
        emit(type, location, bytes, objects, start, OptionalLong.empty(), failure);
    }

    private void emit(OpType type, Location location, long bytes, int objects, long start, OptionalLong firstByte,
            Throwable failure) {
        long end = clock.epochNanos();
        listener.onOperation(new Operation(type, location, bytes, objects, start, firstByte, end,
                Thread.currentThread().threadId(), failure == null ? Optional.empty() : Optional.of(describe(failure))));
    }

    /** A read: like {@link #record}, plus the first byte where the backend marks it on this thread. */
    private <T> T read(OpType type, Location location, Call<T> call, Bytes<T> bytes) throws IOException {
        long startTick = System.nanoTime();
        long start = startAt(startTick);
        long[] outer = FirstByte.watch();
        T result;
        try {
            result = call.run();
        } catch (IOException | RuntimeException | Error e) {
            FirstByte.take(outer);
            emit(type, location, 0, 1, start, e);
            throw e;
        }
        OptionalLong mark = FirstByte.take(outer);
        emit(type, location, bytes.of(result), 1, start, firstByte(start, startTick, mark), null);
        return result;
    }

    private static OptionalLong firstByte(long start, long startTick, OptionalLong mark) {
        return mark.isPresent() ? OptionalLong.of(start + Math.max(0, mark.getAsLong() - startTick)) : OptionalLong.empty();
    }

    /** The error column: the exception's type and message (store messages name the URI, never credentials). */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        String name = failure.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message;
    }

    @Override
    public ObjectBytes get(Location location) throws IOException {
        // read() spelled out: the hottest call gets no capturing lambda per GET.
        long startTick = System.nanoTime();
        long start = startAt(startTick);
        long[] outer = FirstByte.watch();
        ObjectBytes result;
        try {
            result = super.get(location);
        } catch (IOException | RuntimeException | Error e) {
            FirstByte.take(outer);
            emit(OpType.GET, location, 0, 1, start, e);
            throw e;
        }
        OptionalLong mark = FirstByte.take(outer);
        emit(OpType.GET, location, result.size(), 1, start, firstByte(start, startTick, mark), null);
        return result;
    }

    /**
     * Forwarded as one GET, not left to the default (which reads through this store's own calls, 8 MiB ranges in
     * order): the store below may be the range engine, which splits a large read into concurrent chunks.
     */
    @Override
    public ObjectBytes get(Location location, OptionalLong size) throws IOException {
        return read(OpType.GET, location, () -> delegate().get(location, size), ObjectBytes::size);
    }

    /** Forwarded as one GET (into the caller's array where the store below can), as {@link #get(Location, OptionalLong)}. */
    @Override
    public ObjectBytes get(Location location, OptionalLong size, IntFunction<byte[]> arrays) throws IOException {
        return read(OpType.GET, location, () -> ArrayReads.get(delegate(), location, size, arrays), ObjectBytes::size);
    }

    @Override
    public ObjectBytes getInto(Location location, OptionalLong size, IntFunction<java.nio.ByteBuffer> buffers)
            throws IOException {
        return read(OpType.GET, location, () -> BufferReads.getInto(delegate(), location, size, buffers), ObjectBytes::size);
    }

    /** Forwarded as one GET, for the reason {@link #get(Location, OptionalLong)} gives. */
    @Override
    public long readInto(Location location, OptionalLong size, ObjectSink sink) throws IOException {
        return read(OpType.GET, location, () -> delegate().readInto(location, size, sink), bytes -> bytes);
    }

    @Override
    public ObjectBytes getRange(Location location, long offset, OptionalLong length) throws IOException {
        return read(OpType.GET_RANGE, location, () -> super.getRange(location, offset, length), ObjectBytes::size);
    }

    @Override
    public ReadResult read(Location location, long offset, ByteBuffer target) throws IOException {
        long startTick = System.nanoTime();
        long start = startAt(startTick);
        long[] outer = FirstByte.watch();
        ReadResult result;
        try {
            result = super.read(location, offset, target);
        } catch (IOException | RuntimeException | Error e) {
            FirstByte.take(outer);
            emit(OpType.GET_RANGE, location, 0, 1, start, e);
            throw e;
        }
        OptionalLong mark = FirstByte.take(outer);
        // A read from 0 that reached the object's known end is a whole-object GET (the loader's sized reads).
        boolean whole = offset == 0 && result.objectSize().isPresent()
                && result.objectSize().getAsLong() == result.bytesRead();
        emit(whole ? OpType.GET : OpType.GET_RANGE, location, result.bytesRead(), 1, start,
                firstByte(start, startTick, mark), null);
        return result;
    }

    @Override
    public WriteResult put(Location location, ByteBuffer data, WriteOptions options) throws IOException {
        long size = data.remaining();
        return record(OpType.PUT, location, () -> super.put(location, data, options), result -> size);
    }

    @Override
    public ObjectWriter newWriter(Location location, WriteOptions options) throws IOException {
        long start = clock.epochNanos();
        ObjectWriter writer;
        try {
            writer = super.newWriter(location, options);
        } catch (IOException | RuntimeException | Error e) {
            emit(OpType.PUT, location, 0, 1, start, e);
            throw e;
        }
        return new RecordingWriter(writer, location, start);
    }

    @Override
    public ObjectInfo stat(Location location) throws IOException {
        return record(OpType.STAT, location, () -> super.stat(location), ObjectInfo::size);
    }

    @Override
    public boolean exists(Location location) throws IOException {
        return record(OpType.STAT, location, () -> super.exists(location), result -> 0);
    }

    @Override
    public Stream<ListEntry> list(Location prefix, ListMode mode) throws IOException {
        long start = clock.epochNanos();
        Stream<ListEntry> entries;
        try {
            entries = super.list(prefix, mode);
        } catch (IOException | RuntimeException | Error e) {
            emit(OpType.LIST, prefix, 0, 0, start, e);
            throw e;
        }
        // The LIST ends when its stream is exhausted or closed, whichever comes first.
        AtomicLong seen = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Runnable finish = () -> {
            if (done.compareAndSet(false, true)) {
                emit(OpType.LIST, prefix, 0, (int) Math.min(Integer.MAX_VALUE, seen.get()), start, null);
            }
        };
        java.util.Spliterator<ListEntry> source = entries.spliterator();
        java.util.Spliterator<ListEntry> counting = new java.util.Spliterators.AbstractSpliterator<>(Long.MAX_VALUE,
                source.characteristics() & ~(java.util.Spliterator.SIZED | java.util.Spliterator.SUBSIZED)) {
            @Override
            public boolean tryAdvance(java.util.function.Consumer<? super ListEntry> action) {
                boolean more;
                try {
                    more = source.tryAdvance(entry -> {
                        seen.incrementAndGet();
                        action.accept(entry);
                    });
                } catch (RuntimeException | Error e) {
                    if (done.compareAndSet(false, true)) {
                        emit(OpType.LIST, prefix, 0, (int) Math.min(Integer.MAX_VALUE, seen.get()), start, e);
                    }
                    throw e;
                }
                if (!more) {
                    finish.run();
                }
                return more;
            }
        };
        return java.util.stream.StreamSupport.stream(counting, false).onClose(entries::close).onClose(finish);
    }

    @Override
    public void delete(Location location) throws IOException {
        record(OpType.DELETE, location, () -> {
            super.delete(location);
            return null;
        }, result -> 0);
    }

    /**
     * One DELETE line per object (warp's operation, so replay and analysis see ordinary deletes), each spanning
     * the whole call: a batched delete has no per-object times.
     */
    @Override
    public DeleteResult deleteAll(Collection<Location> locations) throws IOException {
        long start = clock.epochNanos();
        DeleteResult result = super.deleteAll(locations);
        long end = clock.epochNanos();
        Map<Location, String> failed = new HashMap<>();
        result.failures().forEach(failure -> failed.putIfAbsent(failure.location(), failure.cause()));
        long thread = Thread.currentThread().threadId();
        for (Location location : new LinkedHashSet<>(locations)) {
            listener.onOperation(new Operation(OpType.DELETE, location, 0, 1, start, OptionalLong.empty(), end, thread,
                    Optional.ofNullable(failed.get(location))));
        }
        return result;
    }

    @Override
    public DeleteResult deletePrefix(Location prefix) throws IOException {
        long start = clock.epochNanos();
        DeleteResult result;
        try {
            result = super.deletePrefix(prefix);
        } catch (IOException | RuntimeException | Error e) {
            emit(OpType.DELETE_PREFIX, prefix, 0, 0, start, e);
            throw e;
        }
        long end = clock.epochNanos();
        Optional<String> error = result.isComplete() ? Optional.empty()
                : Optional.of(result.failures().size() + " objects not deleted, first: "
                        + result.failures().getFirst().location() + ": " + result.failures().getFirst().cause());
        listener.onOperation(new Operation(OpType.DELETE_PREFIX, prefix, 0, (int) Math.min(Integer.MAX_VALUE, result.deleted()),
                start, OptionalLong.empty(), end, Thread.currentThread().threadId(), error));
        return result;
    }

    @Override
    public void copy(Location source, Location target) throws IOException {
        record(OpType.COPY, target, () -> {
            super.copy(source, target);
            return null;
        }, result -> 0);
    }

    @Override
    public void rename(Location source, Location target) throws IOException {
        record(OpType.RENAME, target, () -> {
            super.rename(source, target);
            return null;
        }, result -> 0);
    }

    @Override
    public void createContainer(Location container) throws IOException {
        record(OpType.CREATE_CONTAINER, container, () -> {
            super.createContainer(container);
            return null;
        }, result -> 0);
    }

    @Override
    public void deleteContainer(Location container) throws IOException {
        record(OpType.DELETE_CONTAINER, container, () -> {
            super.deleteContainer(container);
            return null;
        }, result -> 0);
    }

    @Override
    public Stream<Location> listContainers(Location scope) throws IOException {
        return record(OpType.LIST_CONTAINERS, scope, () -> super.listContainers(scope), result -> 0);
    }

    /** One PUT from {@code newWriter} to {@code finish}; closing or aborting without finishing is a failed PUT. */
    private final class RecordingWriter implements ObjectWriter {
        private final ObjectWriter writer;
        private final Location location;
        private final long start;
        private boolean recorded;

        RecordingWriter(ObjectWriter writer, Location location, long start) {
            this.writer = writer;
            this.location = location;
            this.start = start;
        }

        @Override
        public void write(ByteBuffer data) throws IOException {
            writer.write(data);
        }

        /** Passed on, so a writer that reads into its own part buffers still does (no chunk copy). */
        @Override
        public long writeFrom(java.nio.channels.ReadableByteChannel in, ByteBuffer chunk) throws IOException {
            return writer.writeFrom(in, chunk);
        }

        @Override
        public long bytesWritten() {
            return writer.bytesWritten();
        }

        @Override
        public WriteResult finish() throws IOException {
            WriteResult result;
            try {
                result = writer.finish();
            } catch (IOException | RuntimeException | Error e) {
                once(e);
                throw e;
            }
            if (!recorded) {
                recorded = true;
                emit(OpType.PUT, location, result.bytesWritten(), 1, start, null);
            }
            return result;
        }

        @Override
        public void abort() throws IOException {
            try {
                writer.abort();
            } finally {
                once(new IOException("aborted before finish"));
            }
        }

        @Override
        public void close() throws IOException {
            try {
                writer.close();
            } finally {
                once(new IOException("closed before finish"));
            }
        }

        private void once(Throwable failure) {
            if (!recorded) {
                recorded = true;
                emit(OpType.PUT, location, writer.bytesWritten(), 1, start, failure);
            }
        }
    }
}
