package io.s3dlio.loader;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What one rank delivers in one epoch, computed without any I/O: the global order (dataset order, or a
 * permutation seeded by {@code mix(seed, epoch)} that every rank computes identically), then this rank's
 * strided share (see {@link Shard}), then cut into batches; with {@link LastBatch#DROP} the shard's final
 * short batch is dropped.
 *
 * @param epoch the epoch number
 * @param items this rank's items, in delivery order, already without a dropped last batch
 * @param batchSize items per batch; every batch but possibly the last is full
 */
public record EpochPlan(int epoch, List<DatasetEntry> items, int batchSize) {
    public EpochPlan {
        requireNonNull(items, "items is null");
        items = List.copyOf(items);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
    }

    /** The plan for {@code epoch} of {@code dataset} under {@code options}. */
    public static EpochPlan of(Dataset dataset, LoaderOptions options, int epoch) {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(options, "options is null");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must not be negative, got " + epoch);
        }
        List<DatasetEntry> global = options.order() == Order.SHUFFLED
                ? shuffled(dataset.entries(), options.seed(), epoch)
                : dataset.entries();
        List<DatasetEntry> mine = options.shard().select(global);
        int batchSize = options.batchSize();
        if (options.lastBatch() == LastBatch.DROP) {
            mine = mine.subList(0, mine.size() - mine.size() % batchSize);
        }
        return new EpochPlan(epoch, mine, batchSize);
    }

    /** Number of batches. */
    public int batchCount() {
        return (items.size() + batchSize - 1) / batchSize;
    }

    /** The items of batch {@code index}. */
    public List<DatasetEntry> batch(int index) {
        if (index < 0 || index >= batchCount()) {
            throw new IndexOutOfBoundsException("batch " + index + " of " + batchCount());
        }
        return items.subList(index * batchSize, Math.min(items.size(), (index + 1) * batchSize));
    }

    /** Fisher-Yates with a generator seeded by the seed and the epoch, identical on every JVM. */
    static <T> List<T> shuffled(List<T> items, long seed, int epoch) {
        List<T> out = new ArrayList<>(items);
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        for (int i = out.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T swap = out.get(i);
            out.set(i, out.get(j));
            out.set(j, swap);
        }
        return out;
    }

    /** SplitMix64's finaliser over seed and epoch, so nearby seeds and epochs give unrelated streams. */
    static long mix(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
