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
 * arrives as concurrent ranged requests into one buffer and no HEAD is sent; small objects (manifests,
 * pointers) are one GET.
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

    /** The stored bytes of a shard of known size, each chunk handed to {@code listener} as it lands. */
    ByteBuffer shard(Location location, long size, RangeEngine.ChunkListener listener) throws IOException {
        return engine.read(store, location, size, listener).buffer();
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
