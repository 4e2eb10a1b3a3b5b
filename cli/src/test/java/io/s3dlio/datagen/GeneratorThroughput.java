package io.s3dlio.datagen;

import java.util.Locale;

/**
 * Hand-run throughput check of the generator on one core (not a test: tests never assert timings).
 * Run: {@code ./mvnw -q -pl cli test-compile && java -cp cli/target/classes:cli/target/test-classes
 * io.s3dlio.datagen.GeneratorThroughput}. The JMH version belongs in the bench module once it exists.
 */
public final class GeneratorThroughput {
    private GeneratorThroughput() {}

    public static void main(String[] args) {
        int chunk = 1 << 20;
        byte[] buffer = new byte[chunk];
        long total = 4L << 30;
        for (double compress : new double[] {1.0, 4.0}) {
            SyntheticData data = new SyntheticData(1, SyntheticData.DEFAULT_BLOCK_SIZE, 1, compress);
            for (int round = 0; round < 3; round++) {
                SyntheticStream stream = data.newStream(0, total);
                long start = System.nanoTime();
                long sum = 0;
                while (stream.remaining() > 0) {
                    stream.read(buffer, 0, chunk);
                    sum += buffer[round];
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "compress %.0f round %d: %.2f GB/s (%d)%n", compress, round,
                        total / 1e9 / seconds, sum);
            }
        }
        byte[] array = new byte[chunk];
        long start = System.nanoTime();
        for (long done = 0; done < total; done += chunk) {
            java.util.Arrays.fill(array, (byte) done);
        }
        System.out.printf(Locale.ROOT, "reference Arrays.fill: %.2f GB/s%n", total / 1e9 / ((System.nanoTime() - start) / 1e9));
    }
}
