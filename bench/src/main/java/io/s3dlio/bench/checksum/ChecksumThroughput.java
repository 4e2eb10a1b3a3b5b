package io.s3dlio.bench.checksum;

import io.s3dlio.spi.Crc64Nvme;
import io.s3dlio.spi.CrcCombine;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Single-thread throughput of the whole-object checks (not a test): CRC32C and CRC32 (JDK intrinsics), CRC64NVME
 * ({@link Crc64Nvme}, pure Java), MD5 (the fallback), over one heap buffer, after a warm-up; medians of the rounds
 * of this thread's CPU time (so a loaded machine slows the figures less than wall time would), as GB per CPU-second
 * and CPU-s per GiB; plus the cost of one {@link CrcCombine} call. Usage: {@code ChecksumThroughput
 * [MIB=64] [ROUNDS=9]}.
 */
public final class ChecksumThroughput {
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private ChecksumThroughput() {
    }

    private interface Pass {
        long run(byte[] data) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        byte[] data = new byte[mib << 20];
        new Random(16).nextBytes(data);
        String[] names = {"CRC32C", "CRC32", "CRC64NVME", "MD5"};
        Pass[] passes = {
            d -> {
                CRC32C c = new CRC32C();
                c.update(d);
                return c.getValue();
            },
            d -> {
                CRC32 c = new CRC32();
                c.update(d);
                return c.getValue();
            },
            d -> Crc64Nvme.of(d, 0, d.length),
            d -> MessageDigest.getInstance("MD5").digest(d)[0],
        };
        long sink = 0;
        for (int warm = 0; warm < 5; warm++) {
            for (Pass pass : passes) {
                sink += pass.run(data);
            }
        }
        System.out.printf(Locale.ROOT, "%-10s %10s %12s%n", "checksum", "GB/CPU-s", "CPU-s/GiB");
        for (int p = 0; p < passes.length; p++) {
            double[] seconds = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long start = THREADS.getCurrentThreadCpuTime();
                sink += passes[p].run(data);
                seconds[r] = (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
            }
            Arrays.sort(seconds);
            double median = seconds[rounds / 2];
            System.out.printf(Locale.ROOT, "%-10s %10.2f %12.3f%n", names[p], data.length / median / 1e9,
                    median * (1L << 30) / data.length);
        }
        long crc = Crc64Nvme.of(ByteBuffer.wrap(data));
        int combines = 200_000;
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < combines; i++) {
            crc = CrcCombine.CRC64NVME.combine(crc, i, 8L << 20);
        }
        System.out.printf(Locale.ROOT, "combine (CRC64NVME, 8 MiB piece): %.2f us CPU%n",
                (THREADS.getCurrentThreadCpuTime() - start) / 1e3 / combines);
        System.out.println("(ignore: " + (sink ^ crc) + ")");
    }
}
