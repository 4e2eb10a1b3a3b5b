package io.s3dlio.examples;

import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writing and reading objects: one call to write a buffer, a streaming writer for data of any size, a read
 * that returns a read-only buffer, a listing and a stat; then the prefix is deleted.
 *
 * <p>Run: {@code java -cp ... io.s3dlio.examples.ReadWrite /tmp/rw/} (or {@code s3://bucket/prefix/}).
 */
public final class ReadWrite {
    private ReadWrite() {}

    public static void main(String[] args) throws IOException {
        // The store for the prefix comes from one ObjectStores registry per application (see Example.run).
        Example.run(args, (stores, store, prefix) -> {
            Location small = prefix.resolve("hello.txt");
            store.put(small, ByteBuffer.wrap("hello, object storage".getBytes(StandardCharsets.UTF_8)), WriteOptions.DEFAULT);

            // A streaming write: memory stays bounded whatever the size; nothing is visible until finish().
            Location big = prefix.resolve("big.bin");
            byte[] block = new byte[1 << 20];
            try (ObjectWriter writer = store.newWriter(big, WriteOptions.DEFAULT)) {
                for (int i = 0; i < 8; i++) {
                    java.util.Arrays.fill(block, (byte) i);
                    writer.write(block, 0, block.length);
                }
                writer.finish();
            }

            ObjectBytes text = store.get(small);
            System.out.println(small + ": " + text.toUtf8String());
            Example.check(text.toUtf8String().equals("hello, object storage"), "read back what was written");

            ObjectInfo info = store.stat(big);
            System.out.println(big + ": " + info.size() + " bytes");
            Example.check(info.size() == 8L << 20, "the streamed object has every byte");

            try (Stream<ListEntry> listing = store.list(prefix, ListMode.RECURSIVE)) {
                List<ListEntry> entries = listing.toList();
                entries.forEach(entry -> System.out.println("listed " + entry.location()));
                Example.check(entries.size() == 2, "the listing finds both objects");
            }

            // Partial failures are data, not exceptions: a result with the count and each failure.
            DeleteResult deleted = store.deletePrefix(prefix);
            System.out.println("deleted " + deleted.deleted() + " objects, complete: " + deleted.isComplete());
            Example.check(deleted.isComplete(), "the prefix is deleted");
        });
    }
}
