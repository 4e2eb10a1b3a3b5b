package io.s3dlio.bench.datagen;

import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.datagen.SyntheticStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Hand-run throughput check of the generator on one thread (not a test: tests never assert timings). On a
 * shared machine wall time mostly measures the neighbours, so besides wall-clock GB/s it reports GB per
 * CPU-second of this thread (bytes / thread CPU time), the per-core figure, with {@code Arrays.fill} of the
 * same 1 MiB buffer measured in alternating rounds as the ceiling. The JMH version is
 * {@code io.s3dlio.bench.SyntheticDataBenchmark} in the bench module.
 *
 * <p>Run: {@code bin/bench-datagen [ROUNDS]}
 */
public final class GeneratorThroughput {
    private static final int CHUNK = 1 << 20;
    private static final long ROUND_BYTES = 1L << 30;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private GeneratorThroughput() {}

    public static void main(String[] args) {
        byte[] buffer = new byte[CHUNK];
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (double compress : new double[] {1.0, 2.0, 4.0}) {
            SyntheticData data = new SyntheticData(1, SyntheticData.DEFAULT_BLOCK_SIZE, 1, compress);
            double bestGenerateCpu = 0;
            double bestFillCpu = 0;
            double bestGenerateWall = 0;
            long sink = 0;
            for (int round = 0; round < rounds; round++) {
                SyntheticStream stream = data.newStream(round, ROUND_BYTES);
                long cpu = THREADS.getCurrentThreadCpuTime();
                long wall = System.nanoTime();
                while (stream.remaining() > 0) {
                    stream.read(buffer, 0, CHUNK);
                    sink += buffer[round];
                }
                bestGenerateCpu = Math.max(bestGenerateCpu, ROUND_BYTES / (double) (THREADS.getCurrentThreadCpuTime() - cpu));
                bestGenerateWall = Math.max(bestGenerateWall, ROUND_BYTES / (double) (System.nanoTime() - wall));
                cpu = THREADS.getCurrentThreadCpuTime();
                for (long done = 0; done < ROUND_BYTES; done += CHUNK) {
                    Arrays.fill(buffer, (byte) done);
                    sink += buffer[round];
                }
                bestFillCpu = Math.max(bestFillCpu, ROUND_BYTES / (double) (THREADS.getCurrentThreadCpuTime() - cpu));
            }
            System.out.printf(Locale.ROOT, "compress %.0f: generate %.2f GB per CPU-second (wall best %.2f GB/s), "
                    + "Arrays.fill %.2f GB per CPU-second, ratio %.3f  [%d]%n", compress, bestGenerateCpu, bestGenerateWall,
                    bestFillCpu, bestGenerateCpu / bestFillCpu, sink);
        }
    }
}
