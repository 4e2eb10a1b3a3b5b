package io.s3dlio.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadRunTest {
    private final MemoryObjectStore store = new MemoryObjectStore();
    private final Location prefix = Location.parse("mem://bench/data/");

    @TempDir
    Path dir;

    @BeforeEach
    void writeObjects() throws IOException {
        store.createContainer(prefix.containerRoot());
        for (int i = 0; i < 10; i++) {
            store.put(prefix.resolve("o" + i), ByteBuffer.allocate(100 + i), WriteOptions.DEFAULT);
        }
    }

    private LoadRunOptions options(DatasetSource source, DeliveryOrder order) {
        LoaderOptions loader = LoaderOptions.builder(ConfigSource.empty()).batchSize(3).numWorkers(2).shuffle(9).build();
        return new LoadRunOptions(source, loader, 2, Duration.ofMillis(1), order);
    }

    @Test
    void reportsEveryEpochWithTheOrderWhenAsked() throws IOException {
        LoadReport report = LoadRun.run(store, options(new DatasetSource.Prefix(prefix), DeliveryOrder.RECORDED));
        assertThat(report.datasetSize()).isEqualTo(10);
        assertThat(report.epochs()).hasSize(2).allSatisfy(epoch -> {
            assertThat(epoch.stats().items()).isEqualTo(10);
            assertThat(epoch.stats().batches()).isEqualTo(4);
            assertThat(epoch.stats().bytes()).isEqualTo(1045);
            assertThat(epoch.order()).hasValueSatisfying(order -> assertThat(order).hasSize(10).doesNotHaveDuplicates());
            assertThat(epoch.acceleratorUtilisation()).isBetween(0.0, 1.0);
        });
        assertThat(report.epochs().get(0).order()).isNotEqualTo(report.epochs().get(1).order());
        assertThat(report.total().items()).isEqualTo(20);

        String json = report.toJson();
        assertThat(json).startsWith("{").endsWith("}").contains("\"batchSize\":3", "\"workers\":2",
                "\"items\":10", "\"batches\":4", "\"bytes\":1045", "\"acceleratorUtilisation\":", "\"order\":[\"mem://bench/data/o");
        for (String uri : report.epochs().get(0).order().orElseThrow()) {
            assertThat(json).contains("\"" + uri + "\"");
        }
        assertThat(report.toText()).contains("epoch 0: 10 items, 4 batches, 1045 bytes", "accelerator utilisation");
    }

    @Test
    void keyListSourceAndNoOrderByDefault() throws IOException {
        Path keys = dir.resolve("keys.txt");
        Files.write(keys, List.of("# two", prefix.resolve("o1").toString(), prefix.resolve("o7").toString()),
                StandardCharsets.UTF_8);
        LoadReport report = LoadRun.run(store, options(new DatasetSource.KeyList(keys), DeliveryOrder.OMITTED));
        assertThat(report.datasetSize()).isEqualTo(2);
        assertThat(report.epochs()).allSatisfy(epoch -> {
            assertThat(epoch.stats().bytes()).isEqualTo(101 + 107);
            assertThat(epoch.order()).isEmpty();
        });
        assertThat(report.toJson()).doesNotContain("\"order\"");
    }

    @Test
    void jsonStringsAreEscaped() {
        assertThat(LoadReport.string("a\"b\\c\nd\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }
}
