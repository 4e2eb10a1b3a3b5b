package io.s3dlio.cli;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix, one set of cells for every backend: each read command against each body or status fault,
 * transient (the first request only) and persistent (every request), and each write command against failing
 * requests, through a {@link FaultProxy} in front of the server a subclass starts ({@link FaultMatrixS3Test}:
 * S3Proxy, {@link FaultMatrixAzureTest}: Azurite). In every cell: a file under its final name only if
 * byte-identical, no temporary files left, a transient fault succeeds with exactly the extra requests the
 * proxy counted, a persistent one gives the documented exit code after the configured attempts (3 here), a
 * flipped bit is detected, and no upload is left open. One line per cell goes to stdout ({@code CELL ...});
 * docs/RELIABILITY.md records them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultMatrix {
    private static final int SIZE = 200_000;
    private static final int OBJECTS = 3;
    /** Requests per operation each environment configures (1 + S3DLIO_S3_MAX_RETRIES, S3DLIO_AZURE_MAX_TRIES). */
    static final int ATTEMPTS = 3;

    private ObjectStores direct;
    private final AtomicInteger counter = new AtomicInteger();
    private FaultProxy proxy;
    private CliHarness cli;

    @TempDir
    Path temp;

    // ---- what each server's environment provides --------------------------------------------------------

    /** Starts the server; returns a registry that reaches it directly (no proxy) for setup and checks. */
    abstract ObjectStores startServer() throws IOException;

    /** Stops the server and whatever {@link #startServer} opened. */
    abstract void stopServer() throws IOException;

    /** The backend's name in the CELL lines. */
    abstract String backend();

    /** The container every cell writes under, as a URI without a trailing slash. */
    abstract String container();

    /** A fault proxy in front of the server. */
    abstract FaultProxy startProxy() throws IOException;

    /**
     * The CLI's settings: the server reached through {@code proxy}, {@link #ATTEMPTS} attempts per request, a
     * 4 s request deadline, 5 MiB parts.
     */
    abstract Map<String, String> settings(FaultProxy proxy);

    /** Fails if an upload (an S3 multipart upload) is still open on the server after a cell. */
    abstract void assertNoOpenUploads() throws IOException;

    /** The request a write step is on this backend. */
    abstract Operation operation(WriteStep step);

    /** GETs of the faulted object when a fault hits only the first one and the read succeeds. */
    abstract long transientGets(ReadFault fault);

    /** Whether a persistent fault still lets the read succeed on this backend (measured, and documented). */
    boolean persistentSucceeds(ReadFault fault) {
        return false;
    }

    @BeforeAll
    void start() throws IOException {
        direct = startServer();
        direct.forLocation(Location.parse(container())).createContainer(Location.parse(container()));
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (direct != null) {
                direct.close();
            }
        } finally {
            stopServer();
        }
    }

    @BeforeEach
    void openProxy() throws IOException {
        proxy = startProxy();
        cli = new CliHarness(ConfigSource.of(settings(proxy)));
    }

    @AfterEach
    void closeProxy() throws IOException {
        try {
            cli.close();
        } finally {
            proxy.close();
        }
        assertNoOpenUploads();
    }

    /** The faults a read may meet, and whether a retry can get past them. */
    enum ReadFault {
        RESET_MID_BODY, TRUNCATED_BODY, STALL_MID_BODY, SLOW_DOWN_503_RETRY_AFTER, INTERNAL_ERROR_500, DRIP, FLIPPED_BIT;

        Fault fault() {
            return switch (this) {
                case RESET_MID_BODY -> Fault.resetAfter(50_000);
                case TRUNCATED_BODY -> Fault.truncateAfter(50_000);
                case STALL_MID_BODY -> Fault.stallAfter(50_000, Duration.ofSeconds(3));
                case SLOW_DOWN_503_RETRY_AFTER -> Fault.status(503, 1);
                case INTERNAL_ERROR_500 -> Fault.status(500);
                case DRIP -> Fault.drip(64, Duration.ofMillis(100));
                case FLIPPED_BIT -> Fault.flipResponseBit(12_345, 2);
            };
        }

        /** Whether a transient (first request only) form is tested: a drip or a flip is tested persistent only. */
        boolean hasTransient() {
            return this != DRIP && this != FLIPPED_BIT;
        }
    }

    enum ReadCommand { GET_TO_FILE, GET_TO_STDOUT, CP_TO_FILE, DOWNLOAD_RECURSIVE, LOAD }

    static Stream<Arguments> readCells() {
        return Stream.of(ReadCommand.values()).flatMap(command -> Stream.of(ReadFault.values()).flatMap(fault -> {
            Stream<Arguments> persistent = Stream.of(Arguments.of(command, fault, false));
            return fault.hasTransient() ? Stream.concat(Stream.of(Arguments.of(command, fault, true)), persistent) : persistent;
        }));
    }

    @ParameterizedTest(name = "{0} x {1} transient={2}")
    @MethodSource("readCells")
    void readCell(ReadCommand command, ReadFault fault, boolean transientFault) throws IOException {
        String prefix = container() + "/read-" + counter.incrementAndGet() + "/";
        Map<String, byte[]> objects = new TreeMap<>();
        for (int i = 0; i < (command == ReadCommand.DOWNLOAD_RECURSIVE || command == ReadCommand.LOAD ? OBJECTS : 1); i++) {
            byte[] data = TestData.bytes(SIZE, 100 + i);
            Location location = Location.parse(prefix + "object-" + i + ".bin");
            direct.forLocation(location).put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            objects.put("object-" + i + ".bin", data);
        }
        String first = prefix + "object-0.bin";
        // Faults hit the first object's GETs only, so the other objects of a recursive command show they still
        // arrive and the request counts stay exact.
        if (transientFault) {
            proxy.first(1, on(Operation.GET_OBJECT, "object-0.bin"), fault.fault());
        } else {
            proxy.always(on(Operation.GET_OBJECT, "object-0.bin"), fault.fault());
        }
        Path out = Files.createDirectories(temp.resolve("out-" + counter.get()));
        long started = System.nanoTime();
        CliHarness.Result result = switch (command) {
            case GET_TO_FILE -> cli.run("get", first, "-o", out.resolve("object-0.bin").toString());
            case GET_TO_STDOUT -> cli.run("get", first);
            case CP_TO_FILE -> cli.run("cp", first, "file://" + out.resolve("object-0.bin"));
            case DOWNLOAD_RECURSIVE -> cli.run("download", "-r", prefix, out.toString());
            case LOAD -> cli.run("load", prefix, "--batch-size", "1");
        };
        long millis = (System.nanoTime() - started) / 1_000_000;
        long gets = proxy.count(Operation.GET_OBJECT, "object-0.bin");
        boolean succeeds = transientFault || persistentSucceeds(fault);
        String state = dataState(command, out, objects, result);
        System.out.printf(Locale.ROOT, "CELL %s %s %s %s -> exit %d, %d GETs of the faulted object, %d ms, %s%n",
                backend(), command, fault, transientFault ? "transient" : "persistent", result.exitCode(), gets, millis, state);

        if (succeeds) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            // The failed request and its retry, or the broken body and one resume for the rest (S3); a fault
            // that the backend rides out (a stall shorter than its timeouts) costs no request.
            long expected = transientFault ? transientGets(fault) : 1;
            assertThat(gets).as(result.toString()).isEqualTo(expected);
        } else {
            assertThat(result.exitCode()).as(result.toString()).isNotZero();
            int expectedExit = command == ReadCommand.DOWNLOAD_RECURSIVE ? ExitCodes.SOME_FAILED : ExitCodes.IO_ERROR;
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(expectedExit);
            assertThat(result.stderr()).as("the error names the object").contains(first);
            if (fault == ReadFault.FLIPPED_BIT) {
                assertThat(result.stderr()).containsIgnoringCase("corrupt");
                assertThat(gets).as("a mismatch is not retried").isEqualTo(1);
            } else {
                assertThat(gets).as("bounded attempts").isBetween(1L, (long) ATTEMPTS);
            }
        }
        // The data: every file under its final name byte-identical, nothing else (no temporary files).
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                assertThat(objects).as("unexpected file " + name + " (a temporary file left?)").containsKey(name);
                assertThat(Files.readAllBytes(file)).as(name).isEqualTo(objects.get(name));
            }
        }
        if (succeeds) {
            switch (command) {
                case GET_TO_FILE, CP_TO_FILE -> assertThat(out.resolve("object-0.bin")).exists();
                case GET_TO_STDOUT -> assertThat(result.stdoutBytes()).isEqualTo(objects.get("object-0.bin"));
                case DOWNLOAD_RECURSIVE -> assertThat(out.toFile().list()).hasSize(OBJECTS);
                case LOAD -> { }
            }
        } else if (command == ReadCommand.DOWNLOAD_RECURSIVE) {
            assertThat(out.toFile().list()).as("the other objects still arrive").hasSize(OBJECTS - 1);
        } else if (command == ReadCommand.GET_TO_STDOUT) {
            assertThat(result.stdoutBytes().length).as("never the whole object when it failed").isLessThan(SIZE);
        }
    }

    private static String dataState(ReadCommand command, Path out, Map<String, byte[]> objects, CliHarness.Result result)
            throws IOException {
        if (command == ReadCommand.GET_TO_STDOUT) {
            return result.stdoutBytes().length + " bytes on stdout";
        }
        if (command == ReadCommand.LOAD) {
            return "no files";
        }
        long identical = identicalFiles(out, objects);
        return identical + "/" + (command == ReadCommand.DOWNLOAD_RECURSIVE ? OBJECTS : 1) + " files, all identical";
    }

    /** How many files in {@code dir} hold exactly the bytes {@code objects} has under their name. */
    static long identicalFiles(Path dir, Map<String, byte[]> objects) throws IOException {
        long identical = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                byte[] expected = objects.get(file.getFileName().toString());
                if (expected != null && java.util.Arrays.equals(expected, Files.readAllBytes(file))) {
                    identical++;
                }
            }
        }
        return identical;
    }

    /**
     * A write request as both backends have it: a whole-object PUT (S3 PutObject, Azure Put Blob), one part
     * of a large upload (UploadPart, Put Block), the commit (CompleteMultipartUpload, Put Block List), a bulk
     * delete (DeleteObjects, Blob Batch).
     */
    enum WriteStep { WHOLE_PUT, PART, COMMIT, BULK_DELETE }

    /** Failing write requests: which step, and whether only the first request fails. */
    enum WriteCell {
        PUT_500_ONCE(WriteCommand.PUT, WriteStep.WHOLE_PUT, true),
        PUT_500_ALWAYS(WriteCommand.PUT, WriteStep.WHOLE_PUT, false),
        UPLOAD_500_ONCE(WriteCommand.UPLOAD_RECURSIVE, WriteStep.WHOLE_PUT, true),
        UPLOAD_500_ALWAYS(WriteCommand.UPLOAD_RECURSIVE, WriteStep.WHOLE_PUT, false),
        MULTIPART_UPLOAD_PART_500_ONCE(WriteCommand.MULTIPART_CP, WriteStep.PART, true),
        MULTIPART_UPLOAD_PART_500_ALWAYS(WriteCommand.MULTIPART_CP, WriteStep.PART, false),
        MULTIPART_COMPLETE_500_ONCE(WriteCommand.MULTIPART_CP, WriteStep.COMMIT, true),
        MULTIPART_COMPLETE_500_ALWAYS(WriteCommand.MULTIPART_CP, WriteStep.COMMIT, false),
        DELETE_500_ONCE(WriteCommand.DELETE_RECURSIVE, WriteStep.BULK_DELETE, true),
        DELETE_500_ALWAYS(WriteCommand.DELETE_RECURSIVE, WriteStep.BULK_DELETE, false);

        final WriteCommand command;
        final WriteStep step;
        final boolean once;

        WriteCell(WriteCommand command, WriteStep step, boolean once) {
            this.command = command;
            this.step = step;
            this.once = once;
        }
    }

    enum WriteCommand { PUT, UPLOAD_RECURSIVE, MULTIPART_CP, DELETE_RECURSIVE }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writeCells")
    void writeCell(WriteCell cell) throws IOException {
        String prefix = container() + "/write-" + counter.incrementAndGet() + "/";
        Path source = Files.createDirectories(temp.resolve("in-" + counter.get()));
        byte[] small = TestData.bytes(SIZE, 7);
        byte[] large = TestData.bytes(11 * 1024 * 1024, 8); // three 5 MiB parts
        Files.write(source.resolve("a.bin"), small);
        Files.write(source.resolve("b.bin"), small);
        if (cell.command == WriteCommand.DELETE_RECURSIVE) {
            for (String name : List.of("a.bin", "b.bin")) {
                Location location = Location.parse(prefix + name);
                direct.forLocation(location).put(location, ByteBuffer.wrap(small), WriteOptions.DEFAULT);
            }
        }
        Operation operation = operation(cell.step);
        if (cell.once) {
            proxy.first(1, on(operation), Fault.status(500));
        } else {
            proxy.always(on(operation), Fault.status(500));
        }
        long started = System.nanoTime();
        CliHarness.Result result = switch (cell.command) {
            case PUT -> cli.run("put", prefix, "-n", "1", "-s", "64KiB");
            case UPLOAD_RECURSIVE -> cli.run("upload", "-r", source.toString(), prefix);
            case MULTIPART_CP -> {
                Path big = Files.write(source.resolve("large.bin"), large);
                yield cli.run("cp", big.toString(), prefix + "large.bin");
            }
            case DELETE_RECURSIVE -> cli.run("delete", "-r", prefix);
        };
        long millis = (System.nanoTime() - started) / 1_000_000;
        long requests = proxy.count(operation);
        List<String> stored = listed(prefix);
        System.out.printf(Locale.ROOT, "CELL %s %s -> exit %d, %d %s requests, %d ms, %d objects under the prefix%n",
                backend(), cell, result.exitCode(), requests, operation, millis, stored.size());
        if (cell.once) {
            assertThat(result.exitCode()).as(result.toString()).isZero();
            switch (cell.command) {
                case DELETE_RECURSIVE -> assertThat(stored).isEmpty();
                case MULTIPART_CP -> assertThat(bytesOf(prefix + "large.bin")).isEqualTo(large);
                case UPLOAD_RECURSIVE -> assertThat(stored).hasSize(2);
                case PUT -> assertThat(stored).hasSize(1);
            }
        } else {
            assertThat(result.exitCode()).as(result.toString()).isIn(ExitCodes.SOME_FAILED, ExitCodes.IO_ERROR);
            assertThat(requests).as("bounded attempts").isBetween(1L, (long) ATTEMPTS * 3);
            switch (cell.command) {
                case DELETE_RECURSIVE -> assertThat(stored).hasSize(2);
                case MULTIPART_CP, PUT, UPLOAD_RECURSIVE -> assertThat(stored).as("nothing under a final name").isEmpty();
            }
        }
    }

    static Stream<WriteCell> writeCells() {
        return Stream.of(WriteCell.values());
    }

    private List<String> listed(String prefix) throws IOException {
        Location location = Location.parse(prefix);
        try (Stream<io.s3dlio.api.ListEntry> entries = direct.forLocation(location).list(location,
                io.s3dlio.api.ListMode.RECURSIVE)) {
            return entries.map(entry -> entry.location().toString()).toList();
        }
    }

    private byte[] bytesOf(String uri) throws IOException {
        Location location = Location.parse(uri);
        return direct.forLocation(location).get(location).toArray();
    }
}
