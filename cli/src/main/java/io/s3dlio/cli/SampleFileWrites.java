package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.datagen.SyntheticStream;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import io.s3dlio.engine.transfer.WriteItem;
import io.s3dlio.format.ContentSource;
import io.s3dlio.format.DType;
import io.s3dlio.format.FileFormat;
import io.s3dlio.format.SampleFileSpec;
import io.s3dlio.format.SampleFiles;
import io.s3dlio.format.TfRecordIndex;
import io.s3dlio.format.TfRecords;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes dataset files in a format ({@code put -o FORMAT}, {@code datagen}): COUNT files named by a template,
 * each of a {@link SampleFileSpec}, with payload bytes from the synthetic generator (dedup and compress factors
 * kept: file {@code i}'s payload is generator stream {@code i}), at most {@code jobs} files in flight.
 */
final class SampleFileWrites {
    private SampleFileWrites() {
    }

    /** The synthetic generator as a format writer's content source: stream {@code index} of the payload's length. */
    static ContentSource content(SyntheticData data, long index, long payloadBytes) {
        SyntheticStream stream = data.newStream(index, payloadBytes);
        return target -> {
            int wanted = target.remaining();
            int n = stream.read(target);
            if (n != wanted) {
                throw new IOException("synthetic stream " + index + " ended after " + payloadBytes + " bytes");
            }
        };
    }

    /** {@code put -o FORMAT}: COUNT objects of {@code records} samples of {@code sampleBytes} each. */
    static int put(PutCommand command, Location base, long count, String template, String format, String dtype,
            long records, long sampleBytes, SyntheticData data, Integer jobs) throws Exception {
        FileFormat fileFormat = format == null ? FileFormat.RAW : FileFormat.parse(format);
        SampleFileSpec spec = new SampleFileSpec(fileFormat, DType.parse(dtype), records, sampleBytes);
        // The default name's .dat becomes the format's extension; a template given by the user is kept.
        String name = template.equals("object_{}_of_{}.dat") ? "object_{}_of_{}." + fileFormat.extension() : template;
        return run(command, base, count, name, spec, data, jobs, false, PutCommand.generatorSummary(data));
    }

    /** Writes the files and reports them as {@code command} does; returns the exit code. */
    static int run(CommandBase command, Location base, long count, String template, SampleFileSpec spec,
            SyntheticData data, Integer jobsFlag, boolean writeIndex, Map<String, Object> extraSummary) throws Exception {
        ObjectStore store = command.store(base);
        command.requireContainer(store, base);
        long fileBytes = estimatedFileBytes(spec);
        int jobCount = command.jobs(jobsFlag, count, count * fileBytes, base);
        Reporter reporter = command.newReporter();
        Path temp = Path.of(System.getProperty("java.io.tmpdir"));
        Iterable<WriteItem> items = () -> new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public WriteItem next() {
                long index = next++;
                Location target = base.resolve(PutCommand.name(template, index, count));
                return new WriteItem(target, spec.payloadBytes(), (store, location) -> {
                    SampleFiles.write(store, location, spec, content(data, index, spec.payloadBytes()),
                            WriteOptions.DEFAULT, temp);
                    if (writeIndex && spec.format() == FileFormat.TFRECORD) {
                        uniformIndex(spec.samples(), spec.sampleBytes()).write(store, TfRecordIndex.defaultLocation(location));
                    }
                    return spec.payloadBytes();
                });
            }
        };
        TransferResult result = command.transfer(command.spec.name(), reporter, TransferOutput.SILENT,
                (engine, listener) -> engine.write(items,
                        TransferOptions.jobs(jobCount).withExpected(count, count * spec.payloadBytes()), listener));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("format", spec.format().name());
        summary.put("samplesPerFile", spec.samples());
        summary.put("sampleBytes", spec.sampleBytes());
        summary.put("dtype", spec.dtype().numpyName());
        summary.putAll(extraSummary);
        return reporter.finish(result, summary, " of payload as " + spec.format() + " (seed " + data.seed() + ")");
    }

    /** The index of {@code count} records of {@code bytes} each, known without reading the file back. */
    static TfRecordIndex uniformIndex(long count, long bytes) {
        List<TfRecordIndex.Entry> entries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            entries.add(new TfRecordIndex.Entry(i * (bytes + TfRecords.OVERHEAD), bytes + TfRecords.OVERHEAD));
        }
        return new TfRecordIndex(entries);
    }

    private static long estimatedFileBytes(SampleFileSpec spec) {
        return spec.payloadBytes() + (spec.format() == FileFormat.TFRECORD ? spec.samples() * TfRecords.OVERHEAD : 0);
    }
}
