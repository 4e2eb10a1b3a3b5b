package io.s3dlio.engine.range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.config.DataSize;
import io.s3dlio.testkit.TestData;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The decorator SPI: ObjectStores wraps stores when the range engine is on, and only then. */
class RangeStoreDecoratorTest {

    @Test
    void memoryStoresAreLeftAloneByDefault() throws Exception {
        try (ObjectStores stores = ObjectStores.create(ConfigSource.empty())) {
            assertThat(stores.forLocation(Location.parse("mem://b/k"))).isNotInstanceOf(RangedObjectStore.class);
        }
    }

    @Test
    void enabledEngineWrapsTheStoreAndGetUsesIt() throws Exception {
        ConfigSource config = ConfigSource.of(Map.of(RangeConfig.ENABLE, "true", RangeConfig.CHUNK_SIZE, "64KiB",
                RangeConfig.CONCURRENCY, "3", RangeConfig.THRESHOLD_MB, "0.0625"));
        RangedObjectStore ranged;
        try (ObjectStores stores = ObjectStores.create(config)) {
            Location location = Location.parse("mem://decorated/big");
            ObjectStore store = stores.forLocation(location);
            assertThat(store).isInstanceOf(RangedObjectStore.class);
            ranged = (RangedObjectStore) store;
            assertThat(ranged.engine().config().concurrency()).isEqualTo(3);
            store.createContainer(location.containerRoot());
            byte[] data = TestData.bytes((int) (5 * RangeConfig.MIN_CHUNK + 3), 1);
            store.put(location, ByteBuffer.wrap(data), WriteOptions.DEFAULT);
            assertThat(store.get(location).toArray()).isEqualTo(data);
            assertThat(store.get(location, OptionalLong.of(data.length)).toArray()).isEqualTo(data);
            assertThat(store.getRange(location, 7, OptionalLong.of(3 * RangeConfig.MIN_CHUNK)).toArray())
                    .isEqualTo(java.util.Arrays.copyOfRange(data, 7, (int) (7 + 3 * RangeConfig.MIN_CHUNK)));
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().startsWith(ranged.engine().threadNamePrefix()));
        assertThatThrownBy(() -> ranged.engine().read(ranged.delegate(), Location.parse("mem://decorated/big"), OptionalLong.empty()))
                .hasMessageContaining("closed");
    }

    @Test
    void defaultsAreOnForNetworkBackendsOnly() {
        assertThat(RangeConfig.fromConfig(ConfigSource.empty(), Set.of("s3")).enabled()).isTrue();
        assertThat(RangeConfig.fromConfig(ConfigSource.empty(), Set.of("az")).enabled()).isTrue();
        assertThat(RangeConfig.fromConfig(ConfigSource.empty(), Set.of("gs")).enabled()).isTrue();
        assertThat(RangeConfig.fromConfig(ConfigSource.empty(), Set.of("file")).enabled()).isFalse();
        assertThat(RangeConfig.fromConfig(ConfigSource.empty(), Set.of("direct")).enabled()).isFalse();
        assertThat(RangeConfig.fromConfig(ConfigSource.empty(), Set.of("mem")).enabled()).isFalse();
        RangeConfig off = RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.ENABLE, "off")), Set.of("s3"));
        assertThat(off.enabled()).isFalse();
    }

    @Test
    void variablesMapIntoTheRecord() {
        RangeConfig config = RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.CHUNK_SIZE, "4MiB",
                RangeConfig.THRESHOLD_MB, "32", RangeConfig.CONCURRENCY, "8", RangeConfig.MAX_IN_FLIGHT, "64MiB")), Set.of("s3"));
        assertThat(config).isEqualTo(new RangeConfig(true, 4 * DataSize.MIB, 32 * DataSize.MIB, 8, 64 * DataSize.MIB));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.CHUNK_SIZE, "1KiB")), Set.of("s3")))
                .hasMessageContaining(RangeConfig.CHUNK_SIZE);
        assertThatThrownBy(() -> RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.CONCURRENCY, "0")), Set.of("s3")))
                .hasMessageContaining(RangeConfig.CONCURRENCY);
        assertThatThrownBy(() -> RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.THRESHOLD_MB, "-1")), Set.of("s3")))
                .hasMessageContaining(RangeConfig.THRESHOLD_MB);
        assertThatThrownBy(() -> RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.MAX_IN_FLIGHT, "1MiB")), Set.of("s3")))
                .hasMessageContaining(RangeConfig.MAX_IN_FLIGHT);
        assertThatThrownBy(() -> RangeConfig.fromConfig(ConfigSource.of(Map.of(RangeConfig.ENABLE, "maybe")), Set.of("s3")))
                .hasMessageContaining(RangeConfig.ENABLE);
    }
}
