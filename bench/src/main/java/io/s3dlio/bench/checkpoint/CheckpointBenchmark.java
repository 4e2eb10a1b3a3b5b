package io.s3dlio.bench.checkpoint;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.checkpoint.CheckpointConfig;
import io.s3dlio.checkpoint.CheckpointStore;
import io.s3dlio.checkpoint.Manifest;
import io.s3dlio.checkpoint.ShardWriter;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import io.s3dlio.engine.range.RangeConfig;
import io.s3dlio.engine.range.RangeEngine;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checkpoint save and restore against the same bytes moved raw, in one run: RANKS ranks (threads) each save a
 * SIZE shard through the checkpoint store (streaming shard writer, rank records, manifest, latest) versus
 * each uploading SIZE through a plain {@link ObjectStore#newWriter} (the same multipart path, nothing else),
 * then restore through {@link CheckpointStore#readAll} (range engine with the recorded size, CRC32C checked)
 * versus a raw range-engine read of the same objects. Rounds alternate raw and checkpoint so drift on a
 * shared machine hits both. Peak memory is sampled (heap used + direct buffers) every 5 ms per phase.
 *
 * <p>Usage: {@code CheckpointBenchmark s3://bucket/prefix/ [--ranks 4] [--size 256MiB] [--rounds 3]}, with the
 * store's settings from the environment-style variables given as {@code KEY=VALUE} arguments.
 */
public final class CheckpointBenchmark {
    private CheckpointBenchmark() {}

    public static void main(String[] args) throws Exception {
        Location base = Location.parse(args[0]).asPrefix();
        int ranks = 4;
        long size = 256 * DataSize.MIB;
        int rounds = 3;
        Map<String, String> settings = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--ranks" -> ranks = Integer.parseInt(args[++i]);
                case "--size" -> size = DataSize.parseBytes(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> {
                    int eq = args[i].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("unknown argument " + args[i]);
                    }
                    settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
                }
            }
        }
        byte[][] data = new byte[ranks][];
        for (int r = 0; r < ranks; r++) {
            data[r] = new byte[Math.toIntExact(size)];
            new Random(r).nextBytes(data[r]);
        }
        long total = size * ranks;
        System.out.printf(Locale.ROOT, "checkpoint benchmark: %d ranks x %s on %s, %d rounds%n", ranks,
                DataSize.format(size), base, rounds);
        ExecutorService pool = Executors.newFixedThreadPool(ranks, Thread.ofPlatform().name("rank-", 0).factory());
        Map<String, List<Double>> seconds = new HashMap<>();
        Map<String, Long> peaks = new HashMap<>();
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(settings))) {
            ObjectStore store = stores.forLocation(base);
            store.createContainer(base.containerRoot());
            RangeConfig range = RangeConfig.fromConfig(stores.config(), store.schemes());
            try (CheckpointStore checkpoints = new CheckpointStore(store, base.resolve("ckpt/"),
                    CheckpointConfig.DEFAULT.withRange(range));
                    RangeEngine engine = new RangeEngine(range, "bench-raw")) {
                for (int round = 0; round < rounds; round++) {
                    long step = round + 1L;
                    int n = ranks;
                    String rawPrefix = "raw-" + round + "/";
                    measure("raw multipart upload", seconds, peaks, pool, ranks, r -> () -> {
                        try (ObjectWriter writer = store.newWriter(base.resolve(rawPrefix + "rank-" + r), WriteOptions.DEFAULT)) {
                            writeInPieces(data[r], writer::write);
                            writer.finish();
                        }
                        return null;
                    });
                    Manifest[] saved = new Manifest[1];
                    measure("checkpoint save", seconds, peaks, pool, ranks, r -> () -> {
                        try (ShardWriter writer = checkpoints.newShardWriter(step, r)) {
                            writeInPieces(data[r], writer::write);
                            writer.finish();
                        }
                        return null;
                    }, () -> saved[0] = checkpoints.finalizeCheckpoint(step, 0, "bench", n, Map.of()));
                    long shardSize = size;
                    measure("raw ranged GET", seconds, peaks, pool, ranks, r -> () -> {
                        engine.read(store, base.resolve(rawPrefix + "rank-" + r), OptionalLong.of(shardSize));
                        return null;
                    });
                    measure("checkpoint restore", seconds, peaks, pool, 1, r -> () -> {
                        Manifest latest = checkpoints.loadLatest().orElseThrow();
                        List<ByteBuffer> shards = checkpoints.readAll(latest);
                        if (shards.size() != n) {
                            throw new IllegalStateException("restored " + shards.size() + " shards");
                        }
                        return null;
                    });
                    store.deletePrefix(base.resolve(rawPrefix));
                    checkpoints.delete(step);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println();
        System.out.println("| Phase | median s (all rounds) | MB/s (median) | peak memory / rank |");
        System.out.println("| --- | --- | --- | --- |");
        for (String phase : List.of("raw multipart upload", "checkpoint save", "raw ranged GET", "checkpoint restore")) {
            List<Double> s = seconds.get(phase);
            double median = median(s);
            System.out.printf(Locale.ROOT, "| %s | %.2f (%s) | %.0f | %s |%n", phase, median, format(s), total / 1e6 / median,
                    DataSize.format(peaks.get(phase) / ranks));
        }
        System.out.printf(Locale.ROOT, "%nsave / raw upload throughput: %.3f; restore / raw GET throughput: %.3f%n",
                median(seconds.get("raw multipart upload")) / median(seconds.get("checkpoint save")),
                median(seconds.get("raw ranged GET")) / median(seconds.get("checkpoint restore")));
    }

    interface Sink {
        void write(ByteBuffer data) throws Exception;
    }

    interface Task {
        Callable<Void> forRank(int rank);
    }

    interface After {
        void run() throws Exception;
    }

    /** What a training loop hands a writer: 8 MiB pieces of the state. */
    private static void writeInPieces(byte[] bytes, Sink sink) throws Exception {
        int piece = 8 << 20;
        for (int at = 0; at < bytes.length; at += piece) {
            sink.write(ByteBuffer.wrap(bytes, at, Math.min(piece, bytes.length - at)));
        }
    }

    private static void measure(String phase, Map<String, List<Double>> seconds, Map<String, Long> peaks,
            ExecutorService pool, int tasks, Task task) throws Exception {
        measure(phase, seconds, peaks, pool, tasks, task, () -> { });
    }

    private static void measure(String phase, Map<String, List<Double>> seconds, Map<String, Long> peaks,
            ExecutorService pool, int tasks, Task task, After after) throws Exception {
        System.gc();
        long baseline = memoryInUse();
        AtomicLong peak = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().name("memory-sampler").start(() -> {
            while (running.get()) {
                peak.accumulateAndGet(memoryInUse() - baseline, Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        long start = System.nanoTime();
        List<Future<Void>> futures = new ArrayList<>();
        for (int r = 0; r < tasks; r++) {
            futures.add(pool.submit(task.forRank(r)));
        }
        for (Future<Void> future : futures) {
            future.get();
        }
        after.run();
        double elapsed = (System.nanoTime() - start) / 1e9;
        running.set(false);
        sampler.join();
        seconds.computeIfAbsent(phase, p -> new ArrayList<>()).add(elapsed);
        peaks.merge(phase, peak.get(), Math::max);
        System.out.printf(Locale.ROOT, "%-22s %.2f s, peak +%s%n", phase, elapsed, DataSize.format(peak.get()));
    }

    /** Heap in use plus direct buffers: what a rank's writer or reader holds. */
    private static long memoryInUse() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            used += pool.getMemoryUsed();
        }
        return used;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String format(List<Double> values) {
        return String.join(", ", Arrays.stream(values.stream().mapToDouble(Double::doubleValue).toArray())
                .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
