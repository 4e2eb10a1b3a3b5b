package io.s3dlio.cli;

import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectWriter;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.datagen.SyntheticStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "demo", description =
        "The main job in one command: write COUNT synthetic objects of SIZE through the store, read them back "
        + "concurrently (virtual threads), verify each one's CRC32C, print objects, bytes, seconds and MB/s for "
        + "both phases, and delete what it wrote. Without URI it uses a temporary file:// directory; with one "
        + "(s3://b/p, mem://b, ...) it works in a fresh sub-prefix there (creating the bucket if needed, and "
        + "removing it again).")
final class DemoCommand extends CommandBase {
    @Parameters(arity = "0..1", paramLabel = "URI", description = "Where to run (default: a temporary file:// directory).")
    String uri;

    @Option(names = {"-n", "--count"}, paramLabel = "COUNT", defaultValue = "64", description = "Objects (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = {"-s", "--size"}, paramLabel = "SIZE", defaultValue = "1MiB", description = "Size of each object (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Objects in flight (default: the adaptive tuning policy or S3DLIO_JOBS; -v shows it).")
    Integer jobs;

    @Override
    public Integer call() throws Exception {
        long objectSize = PutCommand.parseSize(size);
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1: " + count);
        }
        Path temporary = null;
        Location base;
        if (uri == null) {
            temporary = Files.createTempDirectory("s3-cli-demo-");
            base = Location.ofLocalPath(temporary).asPrefix();
        } else {
            base = Targets.location(uri).asPrefix()
                    .resolve("s3-cli-demo-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "/");
        }
        ObjectStore store = store(base);
        int jobCount = jobs(jobs, count, count * objectSize, base);
        Reporter reporter = newReporter();
        boolean createdContainer = false;
        if (!base.isLocal()) {
            try (Stream<ListEntry> probe = store.list(base, ListMode.ONE_LEVEL)) {
                var unused = probe.findFirst(); // the listing itself is the check
            } catch (ContainerNotFoundException e) {
                store.createContainer(base.containerRoot());
                createdContainer = true;
            }
        }
        SyntheticData data = SyntheticData.random(ThreadLocalRandom.current().nextLong());
        int[] written = new int[count];
        Transfers.BufferPool pool = new Transfers.BufferPool(jobCount, (int) Math.max(1, Math.min(objectSize, Transfers.CHUNK)));
        Map<String, Object> writeFields;
        Map<String, Object> readFields;
        long verified;
        if (!json()) {
            env().out().printf(Locale.ROOT, "demo: %d objects x %s at %s (%d jobs)%n", count,
                    io.s3dlio.config.DataSize.format(objectSize), base, jobCount);
        }
        try {
            Progress writing = newProgress("write");
            writing.expect(count, OptionalLong.of(count * objectSize));
            try (writing; Parallel parallel = new Parallel("demo-write", jobCount, reporter)) {
                for (int i = 0; i < count; i++) {
                    int index = i;
                    Location target = name(base, index);
                    parallel.submit(target.toString(), () -> {
                        SyntheticStream stream = data.newStream(index, objectSize);
                        ByteBuffer buffer = pool.take();
                        try (ObjectWriter writer = store.newWriter(target, WriteOptions.DEFAULT.withExpectedSize(objectSize))) {
                            while (stream.remaining() > 0) {
                                buffer.clear();
                                stream.read(buffer);
                                buffer.flip();
                                writer.write(buffer);
                            }
                            written[index] = writer.finish().crc32c();
                        } finally {
                            pool.give(buffer);
                        }
                        writing.add(1, objectSize);
                    });
                }
            }
            writeFields = Reporter.transferSummary(writing.objects(), writing.bytes(), writing.elapsedNanos());
            phase("write", writing);

            Transfers.BufferPool readPool = new Transfers.BufferPool(jobCount, Transfers.CHUNK);
            Progress reading = newProgress("read");
            reading.expect(writing.objects(), OptionalLong.of(writing.bytes()));
            java.util.concurrent.atomic.AtomicLong good = new java.util.concurrent.atomic.AtomicLong();
            try (reading; Parallel parallel = new Parallel("demo-read", jobCount, reporter)) {
                for (int i = 0; i < count; i++) {
                    int index = i;
                    Location source = name(base, index);
                    parallel.submit(source.toString(), () -> {
                        CRC32C crc = new CRC32C();
                        long bytes = Transfers.read(store, source, OptionalLong.of(objectSize), readPool, crc::update);
                        if (bytes != objectSize) {
                            throw new IOException("read " + bytes + " bytes, wrote " + objectSize);
                        }
                        if ((int) crc.getValue() != written[index]) {
                            throw new IOException(String.format(Locale.ROOT, "CRC32C mismatch: wrote %08x, read %08x", written[index], (int) crc.getValue()));
                        }
                        good.incrementAndGet();
                        reading.add(1, bytes);
                    });
                }
            }
            readFields = Reporter.transferSummary(reading.objects(), reading.bytes(), reading.elapsedNanos());
            verified = good.get();
            phase("read", reading);
            if (!json()) {
                env().out().printf(Locale.ROOT, "verify: %d of %d objects match the CRC32C written%n", verified, count);
            }
        } finally {
            cleanUp(store, base, temporary, createdContainer, reporter);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("uri", base.toString());
        summary.put("objectSize", objectSize);
        summary.put("jobs", jobCount);
        summary.put("write", writeFields);
        summary.put("read", readFields);
        summary.put("verified", verified);
        return reporter.finish(summary, verified + " of " + count + " objects verified (CRC32C), cleaned up");
    }

    private void phase(String name, Progress progress) {
        if (!json()) {
            env().out().printf(Locale.ROOT, "%-6s %s%n", name + ":",
                    Rates.summary(progress.objects(), progress.bytes(), progress.elapsedNanos()));
            env().out().flush();
        }
    }

    private static Location name(Location base, int index) {
        return base.resolve(String.format(Locale.ROOT, "object_%06d.dat", index));
    }

    private static void cleanUp(ObjectStore store, Location base, Path temporary, boolean createdContainer, Reporter reporter) {
        try {
            DeleteResult result = store.deletePrefix(base);
            for (DeleteResult.Failure failure : result.failures()) {
                reporter.fail(failure.location().toString(), "cleanup: " + failure.cause());
            }
            if (temporary != null && Files.exists(temporary)) {
                try (Stream<Path> walk = Files.walk(temporary)) {
                    for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
            if (createdContainer) {
                store.deleteContainer(base.containerRoot());
            }
        } catch (IOException | RuntimeException e) {
            reporter.fail(base.toString(), "cleanup failed: " + ExitCodes.describe(e));
        }
    }
}
