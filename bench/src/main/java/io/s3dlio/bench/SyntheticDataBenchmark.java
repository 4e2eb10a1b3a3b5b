package io.s3dlio.bench;

import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.datagen.SyntheticStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The synthetic data generator behind {@code s3-cli put} on one thread: one operation fills one
 * {@code chunk}-byte buffer with the next bytes of an object, so GB/s = ops/s x chunk / 10^9.
 * {@link #arraysFill} is the memory-bandwidth ceiling of the same buffer, measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SyntheticDataBenchmark {

    /** Compress factor: 1 is incompressible. */
    @Param({"1", "2", "4"})
    public double compress;

    @Param("1")
    public int dedup;

    /** Bytes per operation. */
    @Param("1048576")
    public int chunk;

    private byte[] buffer;
    private SyntheticStream stream;
    private SyntheticData data;
    private long object;
    private byte fill;

    @Setup(Level.Trial)
    public void setUp() {
        buffer = new byte[chunk];
        data = new SyntheticData(42, SyntheticData.DEFAULT_BLOCK_SIZE, dedup, compress);
        stream = data.newStream(object++, 1L << 40);
    }

    @Benchmark
    public byte[] generate() {
        if (stream.read(buffer, 0, chunk) < chunk) {
            stream = data.newStream(object++, 1L << 40);
            stream.read(buffer, 0, chunk);
        }
        return buffer;
    }

    @Benchmark
    public byte[] arraysFill() {
        java.util.Arrays.fill(buffer, fill++);
        return buffer;
    }
}
