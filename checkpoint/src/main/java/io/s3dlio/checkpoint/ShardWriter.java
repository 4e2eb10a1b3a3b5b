package io.s3dlio.checkpoint;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One rank's shard of one checkpoint, streamed: memory stays bounded by the store's writer (parts in flight
 * x part size) however large the shard, the CRC32C is computed on the way, and nothing is visible until
 * {@link #finish}. {@link #finish} also records the shard (key, size, CRC32C) in a small per-rank record that
 * rank 0's {@link CheckpointStore#finalizeCheckpoint} reads, so ranks need no collective to exchange them.
 * {@link #close()} without {@code finish} aborts (no orphaned multipart upload on a clean failure path).
 * Not thread-safe.
 */
public final class ShardWriter implements AutoCloseable {
    /** What happens after the bytes are stored. */
    interface Completion {
        ShardInfo complete(WriteResult result) throws IOException;
    }

    private final long step;
    private final int rank;
    private final ObjectWriter writer;
    private final Completion completion;
    private ShardInfo finished;

    ShardWriter(long step, int rank, ObjectWriter writer, Completion completion) {
        this.step = step;
        this.rank = rank;
        this.writer = requireNonNull(writer, "writer is null");
        this.completion = requireNonNull(completion, "completion is null");
    }

    public long step() {
        return step;
    }

    public int rank() {
        return rank;
    }

    /** Writes all remaining bytes of {@code data}. */
    public void write(ByteBuffer data) throws IOException {
        writer.write(data);
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        writer.write(bytes, offset, length);
    }

    /** Bytes written so far (before compression). */
    public long bytesWritten() {
        return writer.bytesWritten();
    }

    /**
     * This writer as a stream (for serializers that write to one, such as {@code torch.save}); closing the
     * stream does not finish the shard.
     */
    public OutputStream asOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                writer.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                writer.write(bytes, offset, length);
            }
        };
    }

    /** Stores the shard and records it; returns what the manifest will hold for this rank. */
    public ShardInfo finish() throws IOException {
        if (finished != null) {
            throw new IllegalStateException("shard of rank " + rank + " for step " + step + " is already finished");
        }
        finished = completion.complete(writer.finish());
        return finished;
    }

    /** Discards the shard; idempotent. */
    public void abort() throws IOException {
        writer.abort();
    }

    /** Aborts unless {@link #finish} succeeded. */
    @Override
    public void close() throws IOException {
        writer.close();
    }
}
