package io.s3dlio.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.store.local.LocalStoreConfig.ReadBuffers;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStoreConfigTest {

    @Test
    void fileReadsDefaultToHeapBuffers() {
        assertThat(LocalStoreConfig.from(ConfigSource.empty())).isEqualTo(new LocalStoreConfig(ReadBuffers.HEAP));
    }

    @Test
    void variablesChooseTheBuffers() {
        assertThat(LocalStoreConfig.from(ConfigSource.of(Map.of("S3DLIO_FILE_READ_BUFFERS", " Direct "))))
                .isEqualTo(new LocalStoreConfig(ReadBuffers.DIRECT));
        assertThat(LocalStoreConfig.from(ConfigSource.of(Map.of("S3DLIO_FILE_READ_BUFFERS", "heap"))))
                .isEqualTo(new LocalStoreConfig(ReadBuffers.HEAP));
    }

    @Test
    void aBadValueNamesTheVariable() {
        assertThatThrownBy(() -> LocalStoreConfig.from(ConfigSource.of(Map.of("S3DLIO_FILE_READ_BUFFERS", "mmap"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("S3DLIO_FILE_READ_BUFFERS=mmap").hasMessageContaining("heap or direct");
    }

    @Test
    void theRegistryFindsBothSchemesAndHandsTheSettingsOver() throws Exception {
        ConfigSource config = ConfigSource.of(Map.of("S3DLIO_FILE_READ_BUFFERS", "direct"));
        try (ObjectStores stores = ObjectStores.create(config)) {
            assertThat(stores.schemes()).contains("file", "direct", "mem");
            assertThat(stores.forLocation(Location.parse("file:///tmp/x"))).isInstanceOf(FileObjectStore.class);
            assertThat(stores.forLocation(Location.parse("direct:///tmp/x"))).isInstanceOf(DirectObjectStore.class);
            // The setting reached the store: reads land in native buffers.
            java.nio.file.Path file = java.nio.file.Files.createTempFile("LocalStoreConfigTest", ".bin");
            try {
                java.nio.file.Files.write(file, new byte[] {42});
                Location location = Location.parse(file.toUri().toString());
                assertThat(stores.forLocation(location).get(location).buffer().isDirect()).isTrue();
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        }
    }
}
