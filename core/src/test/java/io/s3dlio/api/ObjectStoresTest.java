package io.s3dlio.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.config.ConfigSource;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ObjectStoresTest {

    @Test
    void discoversTheMemoryProviderAndReusesItsStore() throws Exception {
        try (ObjectStores stores = ObjectStores.create(ConfigSource.empty())) {
            assertThat(stores.schemes()).contains("mem");
            Location location = Location.parse("mem://bucket/key");
            ObjectStore store = stores.forLocation(location);
            assertThat(stores.forLocation(Location.parse("mem://other/x"))).isSameAs(store);
            store.createContainer(location.containerRoot());
            store.put(location, ByteBuffer.wrap(new byte[] {4, 2}), WriteOptions.DEFAULT);
            assertThat(store.get(location).toArray()).containsExactly(4, 2);
        }
    }

    @Test
    void aSchemeWithoutProviderFailsLoudly() throws Exception {
        try (ObjectStores stores = ObjectStores.create(ConfigSource.empty())) {
            Location location = new Location("s3", "", "bucket", "key");
            // core's test class path holds only the memory provider
            assertThat(stores.schemes()).containsExactly("mem");
            assertThatThrownBy(() -> stores.forLocation(location))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("s3://bucket/key")
                    .hasMessageContaining("no provider");
        }
    }

    @Test
    void closedRegistryRefusesWork() throws Exception {
        ObjectStores stores = ObjectStores.create(ConfigSource.empty());
        stores.close();
        stores.close();
        assertThatThrownBy(() -> stores.forLocation(Location.parse("mem://b/k"))).isInstanceOf(IllegalStateException.class);
    }
}
