package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.DataSize;
import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.datagen.SyntheticStream;
import io.s3dlio.engine.transfer.PutItem;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", description =
        "Create COUNT synthetic objects of SIZE under PREFIX, streamed in chunks (memory: jobs x chunk). -d "
        + "sets the dedup factor (about 1/d of the 64 KiB blocks are unique), -x the compress factor (zstd "
        + "reaches about x:1; 1 is incompressible). The same --seed gives the same bytes.")
final class PutCommand extends CommandBase {
    @Parameters(paramLabel = "PREFIX", description = "Where to create the objects, e.g. s3://bucket/data/.")
    String prefix;

    @Option(names = {"-n", "--count"}, required = true, paramLabel = "COUNT", description = "Number of objects.")
    long count;

    @Option(names = {"-s", "--size"}, required = true, paramLabel = "SIZE", description = "Size of each object: bytes or with a unit (KiB, MiB, GiB, KB, MB, GB).")
    String size;

    @Option(names = {"-t", "--template"}, paramLabel = "TEMPLATE", defaultValue = "object_{}_of_{}.dat",
            description = "Object name: the first {} becomes the index, a second {} the count (default: ${DEFAULT-VALUE}).")
    String template;

    @Mixin
    SyntheticDataOptions synthetic;

    @Mixin
    JobsOption jobs;

    @Option(names = {"-o", "--format"}, paramLabel = "FORMAT", description = "RAW (default), NPY, NPZ, TFRECORD or HDF5: each object a valid file of SIZE-byte samples (docs/FORMATS.md).")
    String format;

    @Option(names = "--dtype", paramLabel = "DTYPE", defaultValue = "uint8", description = "Element type of NPY/NPZ/HDF5 arrays: int8 ... uint64, float16/32/64 (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = {"-r", "--records"}, paramLabel = "N", defaultValue = "1", description = "Samples (TFRecord records, array rows) per object, each SIZE bytes (default: ${DEFAULT-VALUE}).")
    long records;

    @Override
    public Integer call() throws Exception {
        Location base = Targets.location(prefix);
        long objectSize = parseSize(size);
        if (count < 0) {
            throw new IllegalArgumentException("--count must not be negative: " + count);
        }
        if (count > 1 && !template.contains("{}")) {
            throw new IllegalArgumentException("--template '" + template + "' has no {} for the index, so " + count
                    + " objects would share one name");
        }
        SyntheticData data = synthetic.data();
        ObjectStore store = store(base);
        synthetic.createBucketIfAsked(store, base);
        if (format != null || records != 1) {
            return SampleFileWrites.put(this, base, count, template, format, dtype, records, objectSize, data, jobs.value);
        }
        if (count > 0) {
            Targets.checkKeyLength(base.resolve(name(template, count - 1, count))); // the longest name, before any write
        }
        requireContainer(store, base);
        int jobCount = jobs(jobs.value, count, count * objectSize, base);
        LOG.fine(() -> "put: seed " + data.seed() + ", dedup " + data.dedup() + ", compress " + data.compress());
        Reporter reporter = newReporter();
        Iterable<PutItem> items = () -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public PutItem next() {
                long index = next++;
                return new PutItem(base.resolve(name(template, index, count)), objectSize,
                        () -> channel(data.newStream(index, objectSize)));
            }
        };
        TransferResult result = transfer("put", reporter, TransferOutput.SILENT, (engine, listener) -> engine.put(items,
                TransferOptions.jobs(jobCount).withExpected(count, count * objectSize), listener));
        return reporter.finish(result, generatorSummary(data), " (seed " + data.seed() + ")");
    }

    /** The generator's settings, as the summary of a put shows them. */
    static Map<String, Object> generatorSummary(SyntheticData data) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("seed", data.seed());
        fields.put("dedup", data.dedup());
        fields.put("compress", data.compress());
        return fields;
    }

    /** Synthetic bytes as a channel the transfer engine reads. */
    static ReadableByteChannel channel(SyntheticStream stream) {
        return PutItem.channel(target -> stream.remaining() == 0 ? -1 : stream.read(target));
    }

    static long parseSize(String text) {
        try {
            return DataSize.parseBytes(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --size '" + text + "': expected bytes or a size such as 4KiB, 1MiB, 2GB");
        }
    }

    /** The template with its first {} replaced by the index and its second by the count. */
    static String name(String template, long index, long count) {
        int first = template.indexOf("{}");
        if (first < 0) {
            return template;
        }
        String name = template.substring(0, first) + index + template.substring(first + 2);
        int second = name.indexOf("{}", first + Long.toString(index).length());
        return second < 0 ? name : name.substring(0, second) + count + name.substring(second + 2);
    }
}
