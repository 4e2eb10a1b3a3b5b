package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.format.DType;
import io.s3dlio.format.FileFormat;
import io.s3dlio.format.SampleFileSpec;
import io.s3dlio.text.EnumNames;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "datagen", description =
        "Write a benchmark dataset with the file count, samples per file, sample size and format of a DLIO / MLPerf "
        + "Storage workload (docs/FORMATS.md cites the configurations): unet3d = 168 NPZ files of one 146,600,628-byte "
        + "sample; resnet50 = 1024 TFRecord files of 1251 records of 114,660 bytes; cosmoflow = 524,288 TFRecord files "
        + "of one 2,828,486-byte record. -n, --samples-per-file and --sample-size scale it down.")
final class DatagenCommand extends CommandBase {

    /** A published workload: its format, files, samples per file and (mean) sample size. */
    enum Workload {
        UNET3D(FileFormat.NPZ, 168, 1, 146_600_628L),
        RESNET50(FileFormat.TFRECORD, 1024, 1251, 114_660L),
        COSMOFLOW(FileFormat.TFRECORD, 524_288, 1, 2_828_486L);

        final FileFormat format;
        final long files;
        final long samplesPerFile;
        final long sampleBytes;

        Workload(FileFormat format, long files, long samplesPerFile, long sampleBytes) {
            this.format = format;
            this.files = files;
            this.samplesPerFile = samplesPerFile;
            this.sampleBytes = sampleBytes;
        }

        static Workload parse(String text) {
            return EnumNames.parse(Workload.class, "--workload", text);
        }
    }

    @Parameters(paramLabel = "PREFIX", description = "Where to write the dataset, e.g. s3://bucket/unet3d/.")
    String prefix;

    @Option(names = {"-w", "--workload"}, required = true, paramLabel = "NAME", description = "unet3d, resnet50 or cosmoflow.")
    String workload;

    @Option(names = {"-n", "--files"}, paramLabel = "COUNT", description = "Number of files (default: the workload's).")
    Long files;

    @Option(names = "--samples-per-file", paramLabel = "N", description = "Samples (records) per file (default: the workload's).")
    Long samplesPerFile;

    @Option(names = "--sample-size", paramLabel = "SIZE", description = "Bytes per sample (default: the workload's mean record length).")
    String sampleSize;

    @Option(names = "--index", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "For TFRecord workloads, also write each file's DALI index FILE.idx (default: ${DEFAULT-VALUE}).")
    boolean index;

    @Mixin
    SyntheticDataOptions synthetic;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Files in flight (default: the adaptive tuning policy or S3DLIO_JOBS).")
    Integer jobs;

    @Override
    public Integer call() throws Exception {
        Location base = Targets.location(prefix.endsWith("/") ? prefix : prefix + "/");
        Workload chosen = Workload.parse(workload);
        long count = files != null ? files : chosen.files;
        long samples = samplesPerFile != null ? samplesPerFile : chosen.samplesPerFile;
        long bytes = sampleSize != null ? PutCommand.parseSize(sampleSize) : chosen.sampleBytes;
        if (count < 0 || samples < 0) {
            throw new IllegalArgumentException("--files and --samples-per-file must not be negative");
        }
        SampleFileSpec spec = new SampleFileSpec(chosen.format, DType.UINT8, samples, bytes);
        SyntheticData data = synthetic.data();
        synthetic.createBucketIfAsked(store(base), base);
        String name = EnumNames.name(chosen);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("workload", name);
        extra.put("seed", data.seed());
        return SampleFileWrites.run(this, base, count, "img_{}_of_{}." + chosen.format.extension(), spec, data, jobs,
                index, extra);
    }
}
