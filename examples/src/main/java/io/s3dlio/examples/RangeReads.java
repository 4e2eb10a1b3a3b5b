package io.s3dlio.examples;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.DataSize;
import io.s3dlio.engine.range.ByteRange;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * The range engine: one large object read as concurrent ranged requests straight into one buffer, and a set of
 * scattered ranges (the pattern of a format index: headers, footers, records) fetched concurrently.
 *
 * <p>On s3://, az:// and gs:// every store from {@link ObjectStores} already reads large objects this way
 * (tuned by the {@code S3DLIO_RANGE_*} variables); a local store does not need it, so this example drives an
 * engine of its own to show it on file:// too.
 */
public final class RangeReads {
    private RangeReads() {}

    public static void main(String[] args) throws IOException {
        Example.run(args, (stores, store, prefix) -> {
            Location object = prefix.resolve("large.bin");
            byte[] data = new byte[4 << 20];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31);
            }
            store.put(object, ByteBuffer.wrap(data), WriteOptions.DEFAULT);

            // 256 KiB chunks, 8 at a time per object, at most 16 MiB in flight across every read of this engine.
            RangeConfig config = new RangeConfig(true, 256 * DataSize.KIB, 0, 8, 16 * DataSize.MIB);
            try (RangeEngine engine = new RangeEngine(config, "example")) {
                // The size from a listing or stat saves the engine its first probe; OptionalLong.empty() works too.
                ObjectBytes whole = engine.read(store, object, OptionalLong.of(data.length));
                System.out.println("read " + whole.size() + " bytes of " + object + " in 256 KiB ranges");
                Example.check(whole.equals(ObjectBytes.wrap(data)), "the ranged read returns the object");

                List<ByteRange> ranges = List.of(new ByteRange(0, 128), new ByteRange(1 << 20, 4096),
                        new ByteRange(data.length - 64, 64));
                List<CompletableFuture<ObjectBytes>> pieces = engine.readRanges(store, object, ranges);
                for (int i = 0; i < ranges.size(); i++) {
                    ObjectBytes piece = pieces.get(i).join();
                    ByteRange range = ranges.get(i);
                    System.out.println("range " + range + ": " + piece.size() + " bytes");
                    Example.check(piece.equals(ObjectBytes.wrap(data).slice((int) range.offset(), range.length())),
                            "range " + range + " holds the object's bytes");
                }
            }
            store.delete(object);
        });
    }
}
