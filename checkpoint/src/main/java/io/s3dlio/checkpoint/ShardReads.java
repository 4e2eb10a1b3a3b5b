package io.s3dlio.checkpoint;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.OptionalLong;

/**
 * Every read of checkpoint objects goes through here (one place to change when the store's read API
 * grows). Shards are read through the range engine with the size the manifest recorded, so a large shard
 * arrives as concurrent ranged requests into one buffer and no HEAD is sent for the size; an uncompressed
 * shard is also checked against the manifest's CRC32C inside the engine, so no HEAD is sent for the store's
 * checksum either. Small objects (manifests, pointers) are one GET.
 */
final class ShardReads implements AutoCloseable {
    private final ObjectStore store;
    private final RangeEngine engine;

    ShardReads(ObjectStore store, RangeConfig config) {
        this.store = store;
        this.engine = new RangeEngine(config, "checkpoint");
    }

    /** The stored bytes of a shard of known size. */
    ByteBuffer shard(Location location, long size) throws IOException {
        return engine.read(store, location, OptionalLong.of(size)).buffer();
    }

    /**
     * The stored bytes of a shard of known size and CRC32C (an uncompressed shard's, from its manifest), checked
     * against that value as the chunks land: no stat is sent for the store's own checksum, which the manifest's
     * value makes redundant (it was taken by the writer, before the bytes left the client).
     *
     * @throws io.s3dlio.api.ChecksumMismatchException when the bytes differ
     */
    ByteBuffer shard(Location location, long size, int crc32c) throws IOException {
        return engine.read(store, location, size, crc32c, (offset, chunk) -> { }).buffer();
    }

    /** A small object (manifest, pointer, rank record) in one request. */
    ObjectBytes small(Location location) throws IOException {
        return store.get(location);
    }

    @Override
    public void close() {
        engine.close();
    }
}
