package io.s3dlio.checkpoint;

import io.s3dlio.engine.range.RangeEngine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/**
 * CRC32C of a large buffer computed in slices on several threads and combined, so that checking a restored
 * shard is not one serial pass over hundreds of MiB after the concurrent read ends (on the restore path that
 * pass was the tail that kept restore below a raw ranged GET). The combination is zlib's
 * {@code crc32_combine} (GF(2) matrix powers) with the Castagnoli polynomial: CRC32C(A || B) from
 * CRC32C(A), CRC32C(B) and the length of B.
 */
final class Crc32cSlices {
    /** Below this, one pass on the calling thread is cheaper than handing slices out. */
    static final int PARALLEL_THRESHOLD = 16 << 20;
    static final int SLICE = 8 << 20;
    private static final long CASTAGNOLI_REFLECTED = 0x82F63B78L;

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

    /**
     * CRC32Cs of the pieces of one object, reported from any thread in any order as a read lands them
     * ({@link RangeEngine.ChunkListener}), and combined in offset order afterwards: the check of a restored shard
     * then runs on each chunk while it is still in cache and overlaps the requests still in flight, leaving only
     * the combine (microseconds) after the read.
     */
    static final class Pieces implements RangeEngine.ChunkListener {
        private record Piece(long length, int crc) {}

        private final ConcurrentSkipListMap<Long, Piece> pieces = new ConcurrentSkipListMap<>();

        @Override
        public void chunkRead(long offset, ByteBuffer chunk) {
            pieces.put(offset, new Piece(chunk.remaining(), serial(chunk)));
        }

        /** The engine checked the chunk against the store's full-object CRC32C: its value, without a second pass. */
        @Override
        public void chunkRead(long offset, ByteBuffer chunk, int crc32c) {
            pieces.put(offset, new Piece(chunk.remaining(), crc32c));
        }

        /** The CRC32C of bytes {@code [0, size)} when the pieces tile them exactly; empty otherwise. */
        OptionalInt combined(long size) {
            long next = 0;
            int crc = 0;
            for (Map.Entry<Long, Piece> entry : pieces.entrySet()) {
                if (entry.getKey() != next) {
                    return OptionalInt.empty();
                }
                Piece piece = entry.getValue();
                crc = next == 0 ? piece.crc() : combine(crc, piece.crc(), piece.length());
                next += piece.length();
            }
            return next == size ? OptionalInt.of(crc) : OptionalInt.empty();
        }
    }

    static int serial(ByteBuffer data) {
        CRC32C crc = new CRC32C();
        crc.update(data.duplicate());
        return (int) crc.getValue();
    }

    /** CRC32C(A || B) from {@code crcA} = CRC32C(A), {@code crcB} = CRC32C(B) and {@code lengthB}. */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB <= 0) {
            return crcA;
        }
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = CASTAGNOLI_REFLECTED; // the operator for one zero bit
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA & 0xffffffffL;
        long length = lengthB;
        // Apply length zero bytes to crcA: one squaring per bit of the length, starting at one byte.
        do {
            square(even, odd);
            if ((length & 1) != 0) {
                crc = times(even, crc);
            }
            length >>= 1;
            if (length == 0) {
                break;
            }
            square(odd, even);
            if ((length & 1) != 0) {
                crc = times(odd, crc);
            }
            length >>= 1;
        } while (length != 0);
        return (int) (crc ^ (crcB & 0xffffffffL));
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            square[n] = times(matrix, matrix[n]);
        }
    }
}
