package io.s3dlio.cli;

import static io.s3dlio.testkit.proxy.FaultProxy.on;
import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.FullObjectCrc;
import io.s3dlio.testkit.TestData;
import io.s3dlio.testkit.proxy.FaultProxy;
import io.s3dlio.testkit.proxy.FaultProxy.Fault;
import io.s3dlio.testkit.proxy.FaultProxy.Operation;
import io.s3dlio.testkit.server.AzuriteServer;
import io.s3dlio.testkit.server.S3MockServer;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The flipped-bit cells of the fault matrix for objects read as ranged chunks (issue 15): objects above a
 * lowered range threshold (1 MiB, 512 KiB chunks), written once as one request (3 MiB, below the 5 MiB part
 * size) and once as a multipart/block upload (11 MiB, three parts), read by get, get to stdout, cp, download -r
 * and load through a {@link FaultProxy} that flips one bit in the first GET of the object (one chunk), on
 * S3Proxy, S3Mock and Azurite. In every checked cell: a non-zero exit, one error naming the URI, "corrupt", no
 * chunk re-read (a mismatch is not retried), nothing under the final name, no temporary file. S3Proxy keeps
 * no CRC32C of an object written with one PutObject, only its MD5 ETag: those cells are caught by the in-order
 * MD5 of the chunks, and say so ("MD5" in the error). On S3Mock two more kinds hold the other full-object
 * CRCs S3 keeps: a single PutObject sent by another client with its own {@code x-amz-checksum-crc32} or
 * {@code x-amz-checksum-crc64nvme} (CRC64NVME is what AWS keeps for every object uploaded without a checksum);
 * those cells are caught by that CRC, the chunks' values combined, and say so. One {@code CELL} line per cell;
 * docs/RELIABILITY.md records them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RangedFlipMatrixTest {
    private static final int CHUNK = 512 * 1024;

    enum Server { S3PROXY, S3MOCK, AZURITE }

    enum Kind {
        SINGLE_PART(3 * 1024 * 1024, null), MULTIPART(11 * 1024 * 1024, null),
        /** Written by another client that sent a CRC32 (S3Mock only). */
        SINGLE_PART_CRC32(3 * 1024 * 1024, FullObjectCrc.CRC32),
        /** Written by another client that sent a CRC64NVME, as AWS keeps by default (S3Mock only). */
        SINGLE_PART_CRC64NVME(3 * 1024 * 1024, FullObjectCrc.CRC64NVME);

        final int size;
        /** The full-object CRC another client sends with the object; null: written by this library. */
        final FullObjectCrc sent;

        Kind(int size, FullObjectCrc sent) {
            this.size = size;
            this.sent = sent;
        }
    }

    /** {@code GET_TO_FILE_ENGINE_OFF}: {@code get -o} with the range engine off (8 MiB ranges, in order). */
    enum Command { GET_TO_FILE, GET_TO_STDOUT, CP_TO_FILE, DOWNLOAD_RECURSIVE, LOAD, GET_TO_FILE_ENGINE_OFF }

    private S3ProxyServer s3proxy;
    private S3MockServer s3mock;
    private AzuriteServer azurite;
    private final Map<Server, ObjectStores> direct = new HashMap<>();
    private final AtomicInteger counter = new AtomicInteger();

    @TempDir
    Path temp;

    @BeforeAll
    void start() throws IOException {
        s3proxy = S3ProxyServer.start();
        s3mock = S3MockServer.start();
        azurite = AzuriteServer.start();
        for (Server server : Server.values()) {
            Map<String, String> settings = new HashMap<>(serverSettings(server));
            settings.put("S3DLIO_PART_SIZE", "5MiB");
            ObjectStores stores = ObjectStores.create(ConfigSource.of(settings));
            direct.put(server, stores);
            Location container = Location.parse(container(server));
            stores.forLocation(container).createContainer(container);
        }
    }

    @AfterAll
    void stop() throws IOException {
        for (ObjectStores stores : direct.values()) {
            stores.close();
        }
        for (AutoCloseable server : new AutoCloseable[] {s3proxy, s3mock, azurite}) {
            if (server != null) {
                try {
                    server.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }

    private Map<String, String> serverSettings(Server server) {
        return switch (server) {
            case S3PROXY -> s3proxy.storeSettings();
            case S3MOCK -> s3mock.storeSettings();
            case AZURITE -> azurite.settings();
        };
    }

    private static String container(Server server) {
        return server == Server.AZURITE ? "az://" + AzuriteServer.ACCOUNT + "/flips" : "s3://flips";
    }

    private FaultProxy proxyFor(Server server) throws IOException {
        return switch (server) {
            case S3PROXY -> FaultProxy.startFor(s3proxy.endpoint());
            case S3MOCK -> FaultProxy.startFor(s3mock.endpoint());
            case AZURITE -> FaultProxy.start("127.0.0.1", azurite.port());
        };
    }

    private Map<String, String> cliSettings(Server server, FaultProxy proxy, Command command) {
        Map<String, String> settings = new HashMap<>();
        if (server == Server.AZURITE) {
            settings.put("AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=http;AccountName="
                    + AzuriteServer.ACCOUNT + ";AccountKey=" + AzuriteServer.ACCOUNT_KEY + ";BlobEndpoint="
                    + proxy.endpoint() + "/" + AzuriteServer.ACCOUNT + ";");
            settings.put("S3DLIO_AZURE_SERVICE_VERSION", AzuriteServer.SERVICE_VERSION);
            settings.put("S3DLIO_AZURE_MAX_TRIES", "3");
            settings.put("S3DLIO_AZURE_RETRY_DELAY", "200ms");
        } else {
            settings.putAll(serverSettings(server));
            settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
            settings.put("S3DLIO_S3_MAX_RETRIES", "2");
        }
        settings.put("S3DLIO_RANGE_THRESHOLD_MB", "1");
        settings.put("S3DLIO_RANGE_CHUNK_SIZE", CHUNK + "B");
        if (command == Command.GET_TO_FILE_ENGINE_OFF) {
            settings.put("S3DLIO_ENABLE_RANGE_OPTIMIZATION", "false");
        }
        return settings;
    }

    /**
     * The checksum a mismatch names, where it is known: S3Proxy keeps no CRC32C of a single PutObject, so its
     * chunked reads are checked by the in-order MD5 against the ETag (and the engine-off read gets the 3 MiB
     * object in one whole-object GET, checked against the same ETag); S3Mock keeps the CRC32C sent.
     */
    private static String algorithm(Server server, Kind kind) {
        if (kind.sent != null) {
            return kind.sent.name();
        }
        return switch (server) {
            case S3PROXY -> kind == Kind.SINGLE_PART ? "MD5" : "CRC32C";
            case S3MOCK -> "CRC32C";
            case AZURITE -> null; // Content-MD5 on whole-blob reads, the recorded CRC32C on chunked ones
        };
    }

    private static String named(String stderr) {
        for (String algorithm : new String[] {"CRC32C", "CRC32", "CRC64NVME", "MD5"}) {
            if (stderr.contains(": " + algorithm + " of the bytes read")) {
                return algorithm;
            }
        }
        return "-";
    }

    static Stream<Arguments> cells() {
        return Stream.of(Server.values()).flatMap(server -> Stream.of(Kind.values())
                .filter(kind -> kind.sent == null || server == Server.S3MOCK).flatMap(kind ->
                Stream.of(Command.values()).map(command -> Arguments.of(server, kind, command))));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cells")
    void aFlippedBitInOneChunkIsDetected(Server server, Kind kind, Command command) throws IOException {
        ObjectStores stores = direct.get(server);
        String prefix = container(server) + "/" + kind.name().toLowerCase(Locale.ROOT) + "-" + counter.incrementAndGet() + "/";
        boolean many = command == Command.DOWNLOAD_RECURSIVE || command == Command.LOAD;
        Map<String, byte[]> objects = new TreeMap<>();
        for (int i = 0; i < (many ? 2 : 1); i++) {
            byte[] data = TestData.bytes(kind.size, 200 + i);
            Location location = Location.parse(prefix + "object-" + i + ".bin");
            if (kind.sent != null) {
                putWithChecksum(location, data, kind.sent);
            } else if (kind == Kind.SINGLE_PART) {
                stores.forLocation(location).put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            } else {
                // A streaming writer: three 5 MiB parts (put of a buffer is one PutObject at any size on S3).
                try (io.s3dlio.api.ObjectWriter writer = stores.forLocation(location).newWriter(location, WriteOptions.DEFAULT)) {
                    writer.write(ByteBuffer.wrap(data));
                    writer.finish();
                }
            }
            objects.put("object-" + i + ".bin", data);
        }
        String first = prefix + "object-0.bin";
        Path out = Files.createDirectories(temp.resolve("out-" + counter.get()));
        try (FaultProxy proxy = proxyFor(server);
                CliHarness cli = new CliHarness(ConfigSource.of(cliSettings(server, proxy, command)))) {
            // One bit of one chunk: the first GET of the object (the probe or the first chunk).
            proxy.first(1, on(Operation.GET_OBJECT, "object-0.bin"), Fault.flipResponseBit(100_000, 3));
            long started = System.nanoTime();
            CliHarness.Result result = switch (command) {
                case GET_TO_FILE, GET_TO_FILE_ENGINE_OFF -> cli.run("get", first, "-o", out.resolve("object-0.bin").toString());
                case GET_TO_STDOUT -> cli.run("get", first);
                case CP_TO_FILE -> cli.run("cp", first, "file://" + out.resolve("object-0.bin"));
                case DOWNLOAD_RECURSIVE -> cli.run("download", "-r", prefix, out.toString());
                case LOAD -> cli.run("load", prefix, "--batch-size", "1");
            };
            long millis = (System.nanoTime() - started) / 1_000_000;
            long gets = proxy.count(Operation.GET_OBJECT, "object-0.bin");
            long chunks = ((long) kind.size + CHUNK - 1) / CHUNK;
            System.out.printf(Locale.ROOT, "CELL %s %s %s -> exit %d, %d GETs of the faulted object (%d chunks), "
                    + "%d ms, %s, caught by %s%n", server, kind, command, result.exitCode(), gets, chunks, millis,
                    state(command, out, objects, result), named(result.stderr()));
            // 512 KiB chunks through the range engine, or 8 MiB ranges / one whole GET where the path reads so;
            // never more than one request per chunk: a mismatch is not retried.
            assertThat(gets).as("no chunk read twice").isBetween(1L, chunks);
            int expectedExit = command == Command.DOWNLOAD_RECURSIVE ? ExitCodes.SOME_FAILED : ExitCodes.IO_ERROR;
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(expectedExit);
            assertThat(result.stderr()).as(result.toString()).contains(first).containsIgnoringCase("corrupt");
            try (Stream<Path> files = Files.list(out)) {
                for (Path file : files.toList()) {
                    String name = file.getFileName().toString();
                    assertThat(name).as("nothing under the faulted object's name, no temporary file")
                            .isNotEqualTo("object-0.bin").isIn(objects.keySet());
                    assertThat(Files.readAllBytes(file)).as(name).isEqualTo(objects.get(name));
                }
            }
            if (command == Command.GET_TO_STDOUT) {
                assertThat(result.stdoutBytes().length).as("never the whole object").isLessThan(kind.size);
            }
            String algorithm = algorithm(server, kind);
            if (algorithm != null) {
                assertThat(named(result.stderr())).as(result.toString()).isEqualTo(algorithm);
            }
        }
    }

    /** One PutObject from a plain SDK client that sends {@code crc} of the bytes and no other checksum. */
    private void putWithChecksum(Location location, byte[] data, FullObjectCrc crc) {
        String value = crc.base64(crc.of(ByteBuffer.wrap(data)));
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create(s3mock.endpoint()))
                .region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("any", "secret")))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build()) {
            client.putObject(p -> {
                p.bucket(location.container()).key(location.key());
                if (crc == FullObjectCrc.CRC32) {
                    p.checksumCRC32(value);
                } else {
                    p.checksumCRC64NVME(value);
                }
            }, RequestBody.fromBytes(data));
        }
        // The stored value is what the read is checked against: make sure the server kept it.
        try {
            ObjectInfo info = direct.get(Server.S3MOCK).forLocation(location).stat(location);
            assertThat(crc == FullObjectCrc.CRC32 ? info.crc32() : info.crc64nvme()).hasValue(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String state(Command command, Path out, Map<String, byte[]> objects, CliHarness.Result result)
            throws IOException {
        if (command == Command.GET_TO_STDOUT) {
            return result.stdoutBytes().length + " bytes on stdout";
        }
        if (command == Command.LOAD) {
            return "no files";
        }
        long files;
        try (Stream<Path> listed = Files.list(out)) {
            files = listed.count();
        }
        long identical = FaultMatrix.identicalFiles(out, objects);
        return files + " files (" + identical + " identical) of " + objects.size();
    }
}
