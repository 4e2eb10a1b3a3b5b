package io.s3dlio.bench.formats;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.bench.fixture.BenchS3Server;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.datagen.SyntheticStream;
import io.s3dlio.format.ContentSource;
import io.s3dlio.format.DType;
import io.s3dlio.format.FileFormat;
import io.s3dlio.format.SampleFileSpec;
import io.s3dlio.format.SampleFiles;
import io.s3dlio.format.TfRecordIndex;
import io.s3dlio.format.TfRecordWriter;
import io.s3dlio.loader.DataLoader;
import io.s3dlio.loader.Dataset;
import io.s3dlio.loader.DatasetEntry;
import io.s3dlio.loader.LoaderEpoch;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.loader.RecordDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two measurements for docs/BENCHMARKS.md ("Dataset formats"), in one run on one machine:
 *
 * <ol>
 *   <li>Writer throughput per format against RAW: the same synthetic payload (resnet50-like samples of
 *       114,660 bytes) written as RAW, NPY, NPZ, TFRecord and HDF5 files, to mem:// and file://, payload MB/s,
 *       and process CPU per MB (steadier than wall time on a shared machine), rounds rotated so that no format
 *       always runs first; median of the rounds.</li>
 *   <li>Record-level vs whole-object loading of the same TFRecord files, on file:// and on s3:// (the in-memory
 *       S3 fixture over loopback HTTP): the data loader reading every record with one range GET each (through
 *       the DALI index; shuffled, and sequential where a batch's adjacent records share one range GET) against
 *       reading each file whole, payload MB/s and CPU per MB; median of the rounds.</li>
 * </ol>
 *
 * Run: {@code bin/bench-formats [ROUNDS]} (see docs/BENCHMARKS.md).
 */
public final class FormatsBenchmark {
    private static final long SAMPLE = 114_660;
    private static final int SAMPLES_PER_FILE = 64;
    private static final int FILES = 12;

    /** Held so the level sticks: jHDF logs every dataset it writes (INFO) and warns that writing is alpha on every file. */
    private static final java.util.logging.Logger JHDF_LOG = java.util.logging.Logger.getLogger("io.jhdf");

    private FormatsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        JHDF_LOG.setLevel(java.util.logging.Level.SEVERE);
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path work = Path.of(args.length > 1 ? args[1] : "bench/target/formats-bench").toAbsolutePath();
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "rounds %d, %d files x %d samples x %d bytes = %.1f MiB payload per format%n",
                rounds, FILES, SAMPLES_PER_FILE, SAMPLE, FILES * SAMPLES_PER_FILE * SAMPLE / 1048576.0);
        try (BenchS3Server fixture = BenchS3Server.start(0);
             ObjectStores stores = ObjectStores.create(ConfigSource.of(Map.of("AWS_ENDPOINT_URL", fixture.endpoint().toString(),
                     "AWS_ACCESS_KEY_ID", "bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_REGION", "us-east-1")))) {
            writers(stores, Location.parse("mem://bench/w/"), rounds, work);
            writers(stores, Location.ofLocalPath(work.resolve("w")).resolve(""), rounds, work);
            loading(stores, Location.ofLocalPath(work.resolve("load")).resolve(""), rounds);
            Location s3 = Location.parse("s3://bench/load/");
            stores.forLocation(s3).createContainer(s3.containerRoot());
            loading(stores, s3, rounds);
        }
    }

    private static ContentSource synthetic(SyntheticData data, long index, long bytes) {
        SyntheticStream stream = data.newStream(index, bytes);
        return stream::read;
    }

    private static void writers(ObjectStores stores, Location base, int rounds, Path temp) throws IOException {
        ObjectStore store = stores.forLocation(base);
        store.createContainer(base.isLocal() ? base : base.containerRoot());
        SyntheticData data = new SyntheticData(1, SyntheticData.DEFAULT_BLOCK_SIZE, 1, 1);
        FileFormat[] formats = FileFormat.values();
        double[][] mbps = new double[formats.length][rounds];
        double[][] cpuPerMb = new double[formats.length][rounds];
        // Round -1 warms the JIT for every format and is not counted.
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < formats.length; k++) {
                int f = Math.floorMod(k + round, formats.length);
                SampleFileSpec spec = new SampleFileSpec(formats[f], DType.UINT8, SAMPLES_PER_FILE, SAMPLE);
                long started = System.nanoTime();
                long cpuStart = cpu();
                for (int i = 0; i < FILES; i++) {
                    Location target = base.resolve(formats[f].name() + "/" + i + "." + formats[f].extension());
                    SampleFiles.write(store, target, spec, synthetic(data, i, spec.payloadBytes()), WriteOptions.DEFAULT, temp);
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                long cpuUsed = cpu() - cpuStart;
                store.deletePrefix(base.resolve(formats[f].name() + "/"));
                if (round < 0) {
                    continue;
                }
                mbps[f][round] = FILES * spec.payloadBytes() / 1e6 / seconds;
                cpuPerMb[f][round] = cpuUsed / 1e6 / (FILES * spec.payloadBytes() / 1e6);
            }
        }
        double raw = median(mbps[0]);
        double rawCpu = median(cpuPerMb[0]);
        System.out.printf(Locale.ROOT, "%nwriters to %s: | store | format | payload MB/s median | ratio to RAW"
                + " | CPU ms per MB median | RAW CPU / format CPU | MB/s per round |%n", base.scheme() + "://");
        for (int f = 0; f < formats.length; f++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2f | %.2f | %.2f | %s |%n", base.scheme() + "://", formats[f],
                    median(mbps[f]), median(mbps[f]) / raw, median(cpuPerMb[f]), rawCpu / median(cpuPerMb[f]), format(mbps[f]));
        }
    }

    private static void loading(ObjectStores stores, Location base, int rounds) throws IOException {
        ObjectStore store = stores.forLocation(base);
        store.createContainer(base.isLocal() ? base : base.containerRoot());
        SyntheticData data = new SyntheticData(2, SyntheticData.DEFAULT_BLOCK_SIZE, 1, 1);
        for (int i = 0; i < FILES; i++) {
            Location file = base.resolve("train-" + i + ".tfrecord");
            TfRecordIndex index = TfRecordWriter.write(store, file, SAMPLES_PER_FILE, SAMPLE,
                    synthetic(data, i, SAMPLES_PER_FILE * SAMPLE), WriteOptions.DEFAULT);
            index.write(store, TfRecordIndex.defaultLocation(file));
        }
        Dataset listing = Dataset.fromPrefix(store, base);
        List<DatasetEntry> fileEntries = new ArrayList<>();
        for (DatasetEntry entry : listing.entries()) {
            if (!entry.location().key().endsWith(".idx")) {
                fileEntries.add(entry);
            }
        }
        Dataset wholeFiles = Dataset.of(fileEntries);
        Dataset records = RecordDatasets.tfRecords(store, listing);
        LoaderOptions wholeOptions = LoaderOptions.builder(ConfigSource.empty()).batchSize(1).numWorkers(4).shuffle(1).build();
        LoaderOptions shuffledRecords = LoaderOptions.builder(ConfigSource.empty()).batchSize(64).numWorkers(32).shuffle(1).build();
        LoaderOptions sequentialRecords = LoaderOptions.builder(ConfigSource.empty()).batchSize(64).numWorkers(32).build();
        String[] names = {"whole files (batch 1, 4 workers)",
            "records, shuffled: one range GET per record (batch 64, 32 workers)",
            "records, sequential: one range GET per batch and file (batch 64, 32 workers)"};
        Dataset[] datasets = {wholeFiles, records, records};
        LoaderOptions[] options = {wholeOptions, shuffledRecords, sequentialRecords};
        double[][] mbps = new double[3][rounds];
        double[][] cpuPerMb = new double[3][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int k = 0; k < 3; k++) {
                int m = Math.floorMod(k + round, 3);
                double[] result = load(store, datasets[m], options[m], round + 1);
                if (round < 0) {
                    continue; // warm-up
                }
                mbps[m][round] = result[0];
                cpuPerMb[m][round] = result[1];
            }
        }
        System.out.printf(Locale.ROOT, "%nloading %d records of %d bytes in %d TFRecord files on %s: | store | read | MB/s median | ratio | CPU ms per MB median | MB/s per round |%n",
                records.size(), SAMPLE, FILES, base.scheme() + "://");
        for (int m = 0; m < 3; m++) {
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2f | %.2f | %s |%n", base.scheme() + "://", names[m],
                    median(mbps[m]), median(mbps[m]) / median(mbps[0]), median(cpuPerMb[m]), format(mbps[m]));
        }
        store.deletePrefix(base);
    }

    /** Payload MB/s and CPU ms per MB of one epoch. */
    private static double[] load(ObjectStore store, Dataset dataset, LoaderOptions options, int epoch) {
        try (DataLoader loader = DataLoader.create(store, dataset, options); LoaderEpoch batches = loader.epoch(epoch)) {
            long bytes = 0;
            long started = System.nanoTime();
            long cpuStart = cpu();
            while (batches.hasNext()) {
                for (var sample : batches.next()) {
                    bytes += sample.size();
                }
            }
            double mb = bytes / 1e6;
            return new double[] {mb / ((System.nanoTime() - started) / 1e9), (cpu() - cpuStart) / 1e6 / mb};
        }
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** CPU nanoseconds this process (client and, for s3://, the in-process fixture) has used. */
    private static long cpu() {
        return OS.getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String format(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.0f", value));
        }
        return text.toString();
    }
}
