package io.s3dlio.store.local;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where a local writer's bytes go before the rename: a plain channel, or an O_DIRECT one with staging. */
interface TempSink extends AutoCloseable {

    /** Writes all remaining bytes of {@code data}. */
    void write(ByteBuffer data) throws IOException;

    /** Writes what is still staged, sets the final length and forces the data to the device. */
    void finish() throws IOException;

    /** Releases the channel; idempotent. */
    @Override
    void close() throws IOException;
}
