package io.s3dlio.bench;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reads one existing file (normally 1 GiB, made by bench/run-local-read-bench.sh) through file:// and
 * direct://: the whole object in one {@code get}, and the same bytes as {@code getRange} calls of
 * {@code chunk} bytes, one after another, with heap or direct read buffers on file://. One operation reads the whole file, so throughput is
 * file size / time per operation; the script turns that into GB/s next to dd and fio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LocalReadBenchmark {

    /** The file to read; it must exist. */
    @Param("")
    public String file;

    @Param({"file", "direct"})
    public String scheme;

    /** Where file:// reads land: heap or direct (S3DLIO_FILE_READ_BUFFERS); direct:// ignores it. */
    @Param({"heap", "direct"})
    public String buffers;

    /** Range size for {@link #getRangeChunks}. */
    @Param("8388608")
    public long chunk;

    private ObjectStores stores;
    private ObjectStore store;
    private Location location;
    private long size;

    @Setup(Level.Trial)
    public void open() throws IOException {
        Path path = Path.of(file).toAbsolutePath();
        if (file.isEmpty() || !Files.isRegularFile(path)) {
            throw new IllegalStateException("-p file=<path> must name an existing file (got '" + file + "');"
                    + " run bench/run-local-read-bench.sh, which creates it");
        }
        size = Files.size(path);
        location = Location.parse(scheme + "://" + path);
        stores = ObjectStores.create(ConfigSource.of(Map.of("S3DLIO_FILE_READ_BUFFERS", buffers)));
        store = stores.forLocation(location);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        stores.close();
    }

    @Benchmark
    public int getWhole() throws IOException {
        ObjectBytes bytes = store.get(location);
        if (bytes.size() != size) {
            throw new IllegalStateException(location + ": read " + bytes.size() + " bytes, expected " + size);
        }
        return bytes.byteAt(bytes.size() - 1);
    }

    @Benchmark
    public long getRangeChunks(Blackhole blackhole) throws IOException {
        long total = 0;
        for (long offset = 0; offset < size; offset += chunk) {
            ObjectBytes bytes = store.getRange(location, offset, OptionalLong.of(chunk));
            blackhole.consume(bytes.byteAt(0));
            total += bytes.size();
        }
        if (total != size) {
            throw new IllegalStateException(location + ": read " + total + " bytes, expected " + size);
        }
        return total;
    }
}
