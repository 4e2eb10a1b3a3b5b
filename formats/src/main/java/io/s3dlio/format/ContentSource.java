package io.s3dlio.format;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a writer's payload bytes come from, pulled in order in chunks of the writer's choosing, so that memory
 * stays bounded whatever the payload size. The synthetic data generator is one source (the CLI glues it in);
 * tests use deterministic sources.
 */
@FunctionalInterface
public interface ContentSource {

    /** Fills {@code target} from its position to its limit with the next bytes of the stream. */
    void fill(ByteBuffer target) throws IOException;

    /** All zeros. */
    static ContentSource zeros() {
        return target -> {
            while (target.hasRemaining()) {
                target.put((byte) 0);
            }
        };
    }

    /**
     * The remaining bytes of {@code data}, in order (the buffer itself is not moved); reading past its end is an
     * error naming the sizes.
     */
    static ContentSource of(ByteBuffer data) {
        requireNonNull(data, "data is null");
        ByteBuffer view = data.duplicate();
        return target -> {
            if (target.remaining() > view.remaining()) {
                throw new IOException("content source exhausted: " + target.remaining() + " bytes asked, "
                        + view.remaining() + " left");
            }
            ByteBuffer part = view.slice(view.position(), target.remaining());
            view.position(view.position() + target.remaining());
            target.put(part);
        };
    }
}
