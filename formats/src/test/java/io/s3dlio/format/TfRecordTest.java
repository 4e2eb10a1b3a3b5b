package io.s3dlio.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.testkit.ReadCountingStore;
import io.s3dlio.testkit.python.ReferencePython;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.local.FileStoreProvider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TFRecord files written here pass an independent reader (Python, CRC-32C from crcmod), which also computes the
 * DALI index that ours must match; a flipped bit is rejected by both readers.
 */
class TfRecordTest {
    private static ObjectStore store;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() throws IOException {
        store = new FileStoreProvider().create(ConfigSource.empty());
    }

    @AfterAll
    static void close() throws IOException {
        store.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10_000})
    void anIndependentReaderAcceptsEveryRecordAndComputesTheSameIndex(int count) throws Exception {
        Path file = dir.resolve("r" + count + ".tfrecord");
        Location location = Location.ofLocalPath(file);
        List<byte[]> records = new ArrayList<>();
        TfRecordIndex written;
        try (TfRecordWriter writer = TfRecordWriter.open(store, location, WriteOptions.DEFAULT)) {
            for (int i = 0; i < count; i++) {
                byte[] record = TestContent.bytes(i, i % 97 == 0 ? 0 : 1 + (i * 31) % 3000);
                records.add(record);
                writer.write(ByteBuffer.wrap(record));
            }
            writer.finish();
            written = writer.index();
        }
        String output = ReferencePython.check(ReferencePython.TFRECORD_READER, file.toString());
        assertThat(output).contains("records " + count);
        List<String> lines = output.lines().filter(line -> !line.startsWith("records") && !line.isBlank()).toList();
        StringBuilder independentIndex = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String[] fields = lines.get(i).split(" ");
            independentIndex.append(fields[0]).append(' ').append(fields[1]).append('\n');
            assertThat(fields[2]).isEqualTo(sha256(records.get(i)));
        }
        // The index from the writer, from a scan through range reads, and from its text form all match Python's.
        TfRecordIndex built = TfRecordIndex.build(store, location, 4096);
        assertThat(written.toText()).isEqualTo(independentIndex.toString());
        assertThat(built).isEqualTo(written);
        assertThat(TfRecordIndex.parse(independentIndex.toString(), "python")).isEqualTo(written);
        assertThat(TfRecordIndex.of(ObjectBytes.wrap(Files.readAllBytes(file)), file.toString())).isEqualTo(written);
        Location indexLocation = TfRecordIndex.defaultLocation(location);
        built.write(store, indexLocation);
        assertThat(TfRecordIndex.read(store, indexLocation)).isEqualTo(written);

        TfRecordReader reader = TfRecordReader.open(store, location, 64 * 1024);
        int i = 0;
        for (Optional<TfRecordReader.TfRecord> record = reader.next(); record.isPresent(); record = reader.next()) {
            assertThat(record.get().data()).isEqualTo(ObjectBytes.wrap(records.get(i)));
            assertThat(record.get().offset()).isEqualTo(written.entries().get(i).offset());
            i++;
        }
        assertThat(i).isEqualTo(count);
    }

    @Test
    void aFlippedBitIsRejectedByBothReadersNamingTheUriAndOffset() throws Exception {
        Path file = dir.resolve("good.tfrecord");
        Location location = Location.ofLocalPath(file);
        TfRecordIndex index = TfRecordWriter.write(store, location, 5, 100, TestContent.of(TestContent.bytes(1, 500)),
                WriteOptions.DEFAULT);
        long third = index.entries().get(2).offset();
        for (long bit : new long[] {(third + 20) * 8 + 3, third * 8 + 1, (third + 8) * 8}) {
            byte[] bytes = Files.readAllBytes(file);
            bytes[(int) (bit / 8)] ^= (byte) (1 << (bit % 8));
            Path bad = Files.write(dir.resolve("bad-" + bit + ".tfrecord"), bytes);
            ReferencePython.Result result = ReferencePython.run(ReferencePython.TFRECORD_READER, bad.toString());
            assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
            assertThat(result.output()).contains("at " + third);

            Location badLocation = Location.ofLocalPath(bad);
            assertThatThrownBy(() -> {
                TfRecordReader reader = TfRecordReader.open(store, badLocation);
                while (reader.next().isPresent()) {
                    // read on until the corrupt record
                }
            }).isInstanceOf(TfRecordFormatException.class)
                    .hasMessageContaining(badLocation.toString())
                    .hasMessageContaining("offset " + third)
                    .satisfies(e -> assertThat(((TfRecordFormatException) e).offset()).isEqualTo(third));
        }
    }

    @Test
    void aTruncatedFileIsAnErrorNamingTheOffset() throws Exception {
        Path file = dir.resolve("t.tfrecord");
        TfRecordIndex index = TfRecordWriter.write(store, Location.ofLocalPath(file), 3, 50,
                TestContent.of(TestContent.bytes(2, 150)), WriteOptions.DEFAULT);
        byte[] bytes = Files.readAllBytes(file);
        Path cut = Files.write(dir.resolve("cut.tfrecord"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        long last = index.entries().get(2).offset();
        assertThatThrownBy(() -> TfRecordIndex.build(store, Location.ofLocalPath(cut)))
                .isInstanceOf(TfRecordFormatException.class).hasMessageContaining("offset " + last);
        assertThatThrownBy(() -> TfRecordIndex.of(ObjectBytes.wrap(Files.readAllBytes(cut)), "in-memory"))
                .isInstanceOf(TfRecordFormatException.class).hasMessageContaining("in-memory")
                .hasMessageContaining("offset " + last);
    }

    @Test
    void buildingTheIndexOfLargeRecordsFetchesHeadersNotData() throws Exception {
        Path file = dir.resolve("big.tfrecord");
        int records = 20;
        int size = 1024 * 1024;
        TfRecordWriter.write(store, Location.ofLocalPath(file), records, size, ContentSource.zeros(), WriteOptions.DEFAULT);
        ReadCountingStore counting = new ReadCountingStore(store);
        TfRecordIndex index = TfRecordIndex.build(counting, Location.ofLocalPath(file), 64 * 1024);
        assertThat(index.size()).isEqualTo(records);
        assertThat(counting.wholeReads.get()).isZero();
        assertThat(counting.rangeReads.get()).isEqualTo(records);
        assertThat(counting.bytesRead.get()).isLessThan(Files.size(file) / 10);
    }

    @Test
    void malformedIndexLinesAreErrorsNamingTheLine() {
        assertThatThrownBy(() -> TfRecordIndex.parse("0 28\n28 x\n", "s3://b/k.idx"))
                .hasMessageContaining("s3://b/k.idx line 2");
        assertThat(TfRecordIndex.parse("", "empty").size()).isZero();
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
