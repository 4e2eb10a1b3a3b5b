package io.s3dlio.bench.s3;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.bench.PositionalArguments;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferOptions;
import io.s3dlio.engine.transfer.TransferResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Client CPU per GiB of the S3 upload path, in process and warmed (not a test; it prints a table): against an
 * S3 server already running at {@code endpoint} (the bench fixture in its own JVM, so this process's CPU time
 * is the client's alone), one large local file is copied to an object as {@code s3-cli cp FILE s3://...} does
 * (the transfer engine's {@code copyObject}: positional reads into pooled part buffers, multipart upload, 8 MiB
 * parts, 16 in flight), on each request path in {@code paths} ({@code lean}: {@code S3DLIO_S3_LEAN_PUT=true};
 * {@code sdk}: false), alternating the order round by round. The checksum setting is {@code checksums}
 * ({@code when_required} as bench/run-peers.sh runs the peers: no CRC, the payload's SHA-256 over http; or
 * {@code when_supported}: a CRC32C per part and for the whole object). Process CPU seconds per GiB are the
 * figure; wall time is printed beside them. Run it with {@code bin/bench-upload-cpu} (docs/BENCHMARKS.md,
 * "PUT one 1 GiB object (issue 16, bigput)").
 */
public final class UploadPathCpu {
    private static final int MIB = 1024 * 1024;

    /** Positional arguments (bin/bench-upload-cpu lists them). */
    private record Arguments(String endpoint, int rounds, int warmups, int mib, String checksums, String directory,
            List<String> paths) {}

    private static final Arguments DEFAULTS = new Arguments("", 5, 2, 1024, "when_required", "",
            List.of("lean", "sdk"));

    private UploadPathCpu() {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = PositionalArguments.parse(args, DEFAULTS);
        PathCpuSetup.requireEndpoint(arguments.endpoint());
        com.sun.management.OperatingSystemMXBean cpu = PathCpuSetup.processCpu();
        Path directory = PathCpuSetup.directory(arguments.directory(), "upload-path-cpu");
        Path source = directory.resolve("big.bin");
        Map<String, ObjectStores> stores = new LinkedHashMap<>();
        Map<String, TransferEngine> engines = new LinkedHashMap<>();
        try {
            writeSource(source, arguments.mib());
            for (String path : arguments.paths()) {
                ObjectStores pathStores = PathCpuSetup.stores(arguments.endpoint(), path, Map.of(
                        "S3DLIO_S3_CHECKSUM", arguments.checksums(),
                        "S3DLIO_PART_SIZE", "8MiB", "S3DLIO_UPLOAD_CONCURRENCY", "16"));
                stores.put(path, pathStores);
                engines.put(path, TransferEngine.builder(pathStores::forLocation).build());
            }
            Location from = Location.parse(source.toUri().toString());
            Location bucket = Location.parse("s3://uploadcpu/");
            stores.values().iterator().next().forLocation(bucket).createContainer(bucket);
            Map<String, List<Double>> figures = new LinkedHashMap<>();
            double gib = arguments.mib() / 1024.0;
            for (int round = 1 - arguments.warmups(); round <= arguments.rounds(); round++) {
                List<String> turns = new ArrayList<>(arguments.paths());
                if ((round & 1) != 0) {
                    Collections.reverse(turns);
                }
                for (String path : turns) {
                    Location to = Location.parse("s3://uploadcpu/" + path + "/big.bin");
                    long c0 = cpu.getProcessCpuTime();
                    long t0 = System.nanoTime();
                    TransferResult result = engines.get(path).copyObject(from, to, TransferOptions.jobs(1),
                            TransferListener.NONE).await();
                    if (!result.failures().isEmpty()) {
                        throw new IllegalStateException("upload failed: " + result.failures());
                    }
                    double cpuS = (cpu.getProcessCpuTime() - c0) / 1e9;
                    double wallS = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "round %2d %-4s %6.2f CPU-s/GiB  %6.2f s wall  %7.1f MiB/s%n",
                            round, path, cpuS / gib, wallS, arguments.mib() / wallS);
                    if (round > 0) {
                        figures.computeIfAbsent(path + " cpu", k -> new ArrayList<>()).add(cpuS / gib);
                        figures.computeIfAbsent(path + " wall", k -> new ArrayList<>()).add(wallS);
                    }
                }
            }
            for (String path : arguments.paths()) {
                System.out.printf(Locale.ROOT, "RESULT %-4s %d MiB file to an object (%s): median %.2f CPU-s/GiB, "
                        + "%.2f s wall (%d rounds)%n", path, arguments.mib(), arguments.checksums(),
                        ReadPathCpu.median(figures.get(path + " cpu")), ReadPathCpu.median(figures.get(path + " wall")),
                        arguments.rounds());
            }
        } finally {
            for (TransferEngine engine : engines.values()) {
                engine.close();
            }
            for (ObjectStores pathStores : stores.values()) {
                pathStores.close();
            }
            Files.deleteIfExists(source);
            if (arguments.directory().isEmpty()) {
                Files.deleteIfExists(directory);
            }
        }
    }

    /** Random bytes, written once per run. */
    private static void writeSource(Path source, int mib) throws IOException {
        byte[] chunk = new byte[MIB];
        Random random = new Random(16);
        try (OutputStream out = Files.newOutputStream(source)) {
            for (int i = 0; i < mib; i++) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
    }
}
