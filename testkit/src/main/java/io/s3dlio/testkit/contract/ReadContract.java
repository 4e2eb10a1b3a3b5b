package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** get, stat and exists. */
public abstract class ReadContract extends ContractSupport {

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, ALIGNMENT - 1, ALIGNMENT, ALIGNMENT + 1, 3 * ALIGNMENT + 17, 1024 * 1024 + 1})
    void getReturnsExactBytes(int size) throws Exception {
        Location location = at("object-" + size);
        byte[] data = putRandom(location, size, size);
        ObjectBytes bytes = store().get(location);
        assertThat(bytes.size()).isEqualTo(size);
        assertThat(bytes.toArray()).isEqualTo(data);
    }

    @Test
    void getReturnsReadOnlyBuffer() throws Exception {
        Location location = at("read-only");
        putRandom(location, 100, 1);
        ByteBuffer buffer = store().get(location).buffer();
        assertThat(buffer.isReadOnly()).isTrue();
        assertThatThrownBy(() -> buffer.put(0, (byte) 1)).isInstanceOf(ReadOnlyBufferException.class);
    }

    @Test
    void getMissingObjectNamesTheLocation() {
        Location location = at("missing");
        assertThatThrownBy(() -> store().get(location))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(location.toString());
    }

    @Test
    void objectMethodsRefusePrefixLocations() {
        Location directory = at("dir/");
        assertThatThrownBy(() -> store().get(directory)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(directory.toString());
        assertThatThrownBy(() -> store().stat(directory)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statReportsSizeAndModificationTime() throws Exception {
        Location location = at("stat-me");
        java.time.Instant before = java.time.Instant.now().minusSeconds(120);
        putRandom(location, 1234, 7);
        ObjectInfo info = store().stat(location);
        assertThat(info.location()).isEqualTo(location);
        assertThat(info.size()).isEqualTo(1234);
        assertThat(info.lastModified()).hasValueSatisfying(time -> assertThat(time).isAfter(before));
    }

    @Test
    void statMissingObject() {
        Location location = at("nothing-here");
        assertThatThrownBy(() -> store().stat(location))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(location.toString());
    }

    @Test
    void existsTellsPresentFromAbsent() throws Exception {
        Location location = at("exists");
        assertThat(store().exists(location)).isFalse();
        putRandom(location, 3, 3);
        assertThat(store().exists(location)).isTrue();
    }

    @ParameterizedTest(name = "key {0}")
    @ValueSource(strings = {"with space.bin", "ünïcödé/データ.bin", "percent%20plus+hash#query?.bin",
            "deep/a/b/c/d/e/f/g/h/object"})
    void awkwardKeysRoundTrip(String key) throws Exception {
        Location location = at(key);
        byte[] data = putRandom(location, 513, key.hashCode());
        assertThat(store().get(location).toArray()).isEqualTo(data);
        assertThat(store().stat(location).size()).isEqualTo(513);
        assertThat(Location.parse(location.toString())).isEqualTo(location);
    }
}
