package io.s3dlio.cli;

import io.s3dlio.api.ContainerNotFoundException;
import io.s3dlio.api.DeleteResult;
import io.s3dlio.api.ListEntry;
import io.s3dlio.api.ListMode;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.datagen.SyntheticData;
import io.s3dlio.engine.transfer.GetTarget;
import io.s3dlio.engine.transfer.ObjectRef;
import io.s3dlio.engine.transfer.PutItem;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
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

    @picocli.CommandLine.Mixin
    JobsOption jobs;

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
        int jobCount = jobs(jobs.value, count, count * objectSize, base);
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
        Map<String, Object> writeFields;
        Map<String, Object> readFields;
        long verified;
        if (!json()) {
            env().out().printf(Locale.ROOT, "demo: %d objects x %s at %s (%d jobs)%n", count,
                    io.s3dlio.config.DataSize.format(objectSize), base, jobCount);
        }
        try (TransferEngine engine = newTransferEngine()) {
            List<PutItem> puts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int index = i;
                puts.add(new PutItem(name(base, index), objectSize, () -> {
                    // The CRC32C of the bytes sent, to compare with what comes back.
                    CRC32C crc = new CRC32C();
                    ReadableByteChannel synthetic = PutCommand.channel(data.newStream(index, objectSize));
                    return new ReadableByteChannel() {
                        @Override
                        public int read(ByteBuffer target) throws IOException {
                            int from = target.position();
                            int n = synthetic.read(target);
                            if (n > 0) {
                                crc.update(target.duplicate().position(from).limit(from + n));
                            } else if (n < 0) {
                                written[index] = (int) crc.getValue();
                            }
                            return n;
                        }

                        @Override
                        public boolean isOpen() {
                            return synthetic.isOpen();
                        }

                        @Override
                        public void close() throws IOException {
                            synthetic.close();
                        }
                    };
                }));
            }
            Progress writing = newProgress("write");
            TransferResult wrote;
            try (writing) {
                wrote = await(engine.put(puts, TransferOptions.jobs(jobCount).withExpected(count, count * objectSize),
                        new TransferOutput(writing, reporter, TransferOutput.SILENT)));
            }
            writeFields = Reporter.transferSummary(wrote.objects(), wrote.bytes(), wrote.elapsed().toNanos());
            phase("write", wrote);

            Map<Location, CRC32C> crcs = new ConcurrentHashMap<>();
            Map<Location, Long> seen = new ConcurrentHashMap<>();
            Map<Location, Integer> indexes = new HashMap<>();
            List<ObjectRef> reads = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Location source = name(base, i);
                indexes.put(source, i);
                reads.add(ObjectRef.of(source, objectSize));
            }
            AtomicLong good = new AtomicLong();
            Progress reading = newProgress("read");
            TransferResult read;
            try (reading) {
                read = await(engine.get(reads, GetTarget.inOrder((source, chunk) -> {
                    CRC32C crc = crcs.computeIfAbsent(source, key -> new CRC32C());
                    long length = chunk.remaining();
                    crc.update(chunk);
                    // Chunks arrive in order: the one that completes the object settles its check.
                    if (seen.merge(source, length, Long::sum) >= objectSize) {
                        int index = indexes.get(source);
                        if ((int) crc.getValue() != written[index]) {
                            throw new IOException(String.format(Locale.ROOT, "CRC32C mismatch: wrote %08x, read %08x",
                                    written[index], (int) crc.getValue()));
                        }
                        good.incrementAndGet();
                    }
                }), TransferOptions.jobs(jobCount).withExpected(wrote.objects(), wrote.bytes()),
                        new TransferOutput(reading, reporter, TransferOutput.SILENT)));
            }
            readFields = Reporter.transferSummary(read.objects(), read.bytes(), read.elapsed().toNanos());
            verified = good.get();
            phase("read", read);
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

    private void phase(String name, TransferResult result) {
        if (!json()) {
            env().out().printf(Locale.ROOT, "%-6s %s%n", name + ":",
                    Rates.summary(result.objects(), result.bytes(), result.elapsed().toNanos()));
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
