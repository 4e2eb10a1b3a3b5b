package io.s3dlio.checkpoint;

import io.s3dlio.spi.Crc32c;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * CRC32C of a large buffer computed in slices on several threads and combined, so that checking a restored
 * shard is not one serial pass over hundreds of MiB after the concurrent read ends (on the restore path that
 * pass was the tail that kept restore below a raw ranged GET). The combination is {@link Crc32c#combine}
 * (zlib's {@code crc32_combine} with the Castagnoli polynomial).
 */
final class Crc32cSlices {
    /** Below this, one pass on the calling thread is cheaper than handing slices out. */
    static final int PARALLEL_THRESHOLD = 16 << 20;
    static final int SLICE = 8 << 20;

    private Crc32cSlices() {
    }

    /** The CRC32C of the remaining bytes of {@code data} (its position is not moved). */
    static int of(ByteBuffer data, ExecutorService executor) throws IOException {
        int size = data.remaining();
        if (size < PARALLEL_THRESHOLD) {
            return serial(data);
        }
        List<Future<Integer>> slices = new ArrayList<>();
        for (int start = 0; start < size; start += SLICE) {
            ByteBuffer slice = data.duplicate();
            slice.position(data.position() + start).limit(data.position() + Math.min(size, start + SLICE));
            slices.add(executor.submit(() -> serial(slice)));
        }
        int crc = 0;
        try {
            for (int i = 0; i < slices.size(); i++) {
                int length = Math.min(SLICE, size - i * SLICE);
                crc = i == 0 ? slices.get(i).get() : combine(crc, slices.get(i).get(), length);
            }
        } catch (InterruptedException e) {
            slices.forEach(slice -> slice.cancel(true));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("CRC32C check interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("CRC32C of a slice failed", e.getCause());
        }
        return crc;
    }

    static int serial(ByteBuffer data) {
        return Crc32c.of(data);
    }

    /** CRC32C(A || B) from {@code crcA} = CRC32C(A), {@code crcB} = CRC32C(B) and {@code lengthB}. */
    static int combine(int crcA, int crcB, long lengthB) {
        return Crc32c.combine(crcA, crcB, lengthB);
    }
}
