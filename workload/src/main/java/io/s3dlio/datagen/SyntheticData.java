package io.s3dlio.datagen;

/**
 * Synthetic object data with a controlled dedup factor and compress factor, reproducible from a seed.
 *
 * <p>The data is a sequence of blocks of {@code blockSize} bytes. Block number {@code g} (counted over a
 * whole data set: object {@code i} of size {@code s} holds blocks {@code i * ceil(s / blockSize)} onwards)
 * takes its content from unique block {@code g / dedup}, so about {@code 1 / dedup} of the blocks are unique.
 * Each unique block is {@code blockSize / compress} pseudo-random bytes followed by zeros, so zstd reaches
 * about {@code compress}:1; {@code compress = 1} is all pseudo-random and does not compress at all.
 *
 * <p>The generator is counter-based (the SplitMix64 output function applied to {@code blockKey + n * gamma}),
 * so any byte range is computed directly, without state, at several GB/s per core, in O(1) memory.
 *
 * @param seed seed; the same seed, sizes and factors give the same bytes
 * @param blockSize block size in bytes: a multiple of 8 from 64 B to 64 MiB
 * @param dedup dedup factor, at least 1
 * @param compress compress factor, at least 1
 */
public record SyntheticData(long seed, int blockSize, int dedup, double compress) {
    /** 64 KiB: small enough for fine-grained dedup, large enough that zstd frames cost nothing. */
    public static final int DEFAULT_BLOCK_SIZE = 64 * 1024;

    public SyntheticData {
        if (blockSize < 64 || blockSize > 64 * 1024 * 1024 || blockSize % 8 != 0) {
            throw new IllegalArgumentException("block size must be a multiple of 8 from 64 B to 64 MiB: " + blockSize);
        }
        if (dedup < 1) {
            throw new IllegalArgumentException("dedup factor must be at least 1: " + dedup);
        }
        if (!Double.isFinite(compress) || compress < 1) {
            throw new IllegalArgumentException("compress factor must be a finite number of at least 1: " + compress);
        }
    }

    /** Incompressible, no duplicates, 64 KiB blocks. */
    public static SyntheticData random(long seed) {
        return new SyntheticData(seed, DEFAULT_BLOCK_SIZE, 1, 1.0);
    }

    /** Bytes of each block that are pseudo-random (the rest are zeros): a multiple of 8, at least 8. */
    public int randomBytesPerBlock() {
        if (compress == 1.0) {
            return blockSize;
        }
        long bytes = Math.round(blockSize / compress / 8.0) * 8;
        return (int) Math.max(8, Math.min(blockSize, bytes));
    }

    /** Blocks an object of {@code size} bytes spans (at least 1, so empty objects still get an index). */
    public long blocksPerObject(long size) {
        return Math.max(1, (size + blockSize - 1) / blockSize);
    }

    /** A stream of the bytes of object number {@code objectIndex} of {@code size} bytes. */
    public SyntheticStream newStream(long objectIndex, long size) {
        if (objectIndex < 0) {
            throw new IllegalArgumentException("object index is negative: " + objectIndex);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size is negative: " + size);
        }
        return new SyntheticStream(this, objectIndex * blocksPerObject(size), size);
    }

    /** The key of unique block {@code unique}: two rounds of mixing keep nearby seeds and blocks apart. */
    long blockKey(long unique) {
        return mix64(mix64(seed) ^ mix64(unique * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L));
    }

    /** The SplitMix64 finalizer: a bijection with full avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
