package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.format.TfRecordIndex;
import io.s3dlio.format.TfRecordWriter;
import io.s3dlio.testkit.proxy.LatencyProxy;
import io.s3dlio.testkit.server.S3ProxyServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code s3-cli load --records tfrecord} on S3Proxy behind a pass-through proxy that counts the GET requests the
 * server receives: each batch reads its records with one range GET per file it touches, never whole files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadRecordsCommandTest {
    private static final String PREFIX = "s3://load-records/tf/";
    private static final int FILES = 3;
    private static final int RECORDS_PER_FILE = 20;
    private static final int RECORD_BYTES = 100;

    private S3ProxyServer server;
    private LatencyProxy proxy;
    private CliHarness cli;

    @BeforeAll
    void start() throws IOException {
        server = S3ProxyServer.start();
        proxy = LatencyProxy.start("127.0.0.1", server.port(), LatencyProxy.Options.passThrough());
        Map<String, String> settings = new HashMap<>(server.storeSettings());
        settings.put("AWS_ENDPOINT_URL", proxy.endpoint());
        cli = new CliHarness(ConfigSource.of(settings));
        Location prefix = Location.parse(PREFIX);
        ObjectStore store = cli.stores().forLocation(prefix);
        store.createContainer(prefix.containerRoot());
        for (int f = 0; f < FILES; f++) {
            Location file = prefix.resolve(String.format(Locale.ROOT, "part-%d.tfrecord", f));
            TfRecordIndex index;
            try (TfRecordWriter writer = TfRecordWriter.open(store, file, WriteOptions.DEFAULT)) {
                for (int r = 0; r < RECORDS_PER_FILE; r++) {
                    ByteBuffer record = ByteBuffer.allocate(RECORD_BYTES);
                    record.put(0, (byte) f).put(1, (byte) r);
                    writer.write(record);
                }
                var unused = writer.finish();
                index = writer.index();
            }
            var unused = index.write(store, TfRecordIndex.defaultLocation(file));
        }
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (cli != null) {
                cli.close();
            }
        } finally {
            try {
                if (proxy != null) {
                    proxy.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    @Test
    void sequentialEpochSendsOneRangeGetPerBatchAndFile() {
        int batchSize = 8;
        proxy.resetCounts();
        CliHarness.Result result = cli.run("--json", "load", PREFIX, "--records", "tfrecord", "--batch-size",
                String.valueOf(batchSize), "--workers", "4");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, Object> summary = result.summary();
        int records = FILES * RECORDS_PER_FILE;
        assertThat(summary).containsEntry("records", "tfrecord").containsEntry("datasetSize", (long) records)
                .containsEntry("items", (long) records);
        assertThat(((Number) summary.get("bytes")).longValue()).isEqualTo((long) records * RECORD_BYTES);
        // Records lie file by file: a batch touching two files needs one range GET in each.
        long batchReads = 0;
        for (int start = 0; start < records; start += batchSize) {
            Set<Integer> files = new HashSet<>();
            for (int i = start; i < Math.min(records, start + batchSize); i++) {
                files.add(i / RECORDS_PER_FILE);
            }
            batchReads += files.size();
        }
        assertThat(batchReads).isLessThan(records / 4);
        // One GET per index file (listed next to its TFRecord file, so no existence check), then the batches.
        assertThat(proxy.methodCounts().getOrDefault("GET", 0L)).as("GET requests the server saw")
                .isEqualTo(1 + FILES + batchReads); // + the listing, a GET too
    }

    @Test
    void shuffledEpochsDeliverEveryRecordAndBadFormatsAreNamed() {
        CliHarness.Result result = cli.run("--json", "load", PREFIX, "--records", "TFRecord", "--shuffle", "--seed",
                "3", "--epochs", "2", "--batch-size", "7", "--drop-last");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.summary()).containsEntry("items", 2L * (FILES * RECORDS_PER_FILE / 7 * 7));
        CliHarness.Result bad = cli.run("load", PREFIX, "--records", "parquet");
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("parquet").contains("tfrecord or npz");
    }
}
