package io.s3dlio.engine.transfer;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * One object to write: its target, its size, and where its bytes come from.
 *
 * @param size the exact number of bytes {@code content} yields (the writer is told, to size its parts)
 */
public record PutItem(Location target, long size, Content content) {
    public PutItem {
        requireNonNull(target, "target is null");
        requireNonNull(content, "content is null");
        if (size < 0) {
            throw new IllegalArgumentException(target + ": negative size " + size);
        }
    }

    /** Opens the bytes of one object, once per attempt; the engine closes the channel. */
    @FunctionalInterface
    public interface Content {
        ReadableByteChannel open() throws IOException;
    }

    /** An object whose bytes are the remaining bytes of {@code data} (not modified). */
    public static PutItem of(Location target, ByteBuffer data) {
        ByteBuffer copy = data.asReadOnlyBuffer();
        return new PutItem(target, copy.remaining(), () -> {
            ByteBuffer source = copy.duplicate();
            return channel(into -> {
                if (!source.hasRemaining()) {
                    return -1;
                }
                int n = Math.min(source.remaining(), into.remaining());
                into.put(source.slice(source.position(), n));
                source.position(source.position() + n);
                return n;
            });
        });
    }

    /** Fills a buffer with the next bytes of generated content; -1 at the end, as a channel's read. */
    @FunctionalInterface
    public interface Filler {
        int fill(ByteBuffer target);
    }

    /** Content that is generated rather than stored (synthetic data, a buffer) as a channel for {@link Content}. */
    public static ReadableByteChannel channel(Filler filler) {
        requireNonNull(filler, "filler is null");
        return new ReadableByteChannel() {
            private boolean open = true;

            @Override
            public int read(ByteBuffer target) {
                return filler.fill(target);
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }
}
