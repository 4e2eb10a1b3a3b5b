package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.WriteOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** copy and rename. */
public abstract class CopyRenameContract extends ContractSupport {

    @Test
    void copyDuplicatesTheBytes() throws Exception {
        Location source = at("source.bin");
        byte[] data = carry(source, at("copies/target.bin"), 70_000, 1, ObjectStore::copy);
        assertThat(store().get(source).toArray()).isEqualTo(data);
    }

    @Test
    void copyAndRenameOverwriteTheTarget() throws Exception {
        Location source = at("s");
        Location target = at("t");
        byte[] data = putRandom(source, 10, 1);
        putRandom(target, 1000, 2);
        store().copy(source, target);
        assertThat(store().get(target).toArray()).isEqualTo(data);
        putRandom(target, 50, 5);
        store().rename(source, target);
        assertThat(store().get(target).toArray()).isEqualTo(data);
        assertThat(store().exists(source)).isFalse();
    }

    @Test
    void copyEmptyObject() throws Exception {
        Location source = at("empty");
        putRandom(source, 0, 0);
        store().copy(source, at("empty-copy"));
        assertThat(store().get(at("empty-copy")).size()).isZero();
    }

    @Test
    void copyOfMissingSourceNamesIt() {
        Location source = at("ghost");
        assertThatThrownBy(() -> store().copy(source, at("target")))
                .isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(source.toString());
    }

    @Test
    void copyAndRenameOntoItselfKeepTheObject() throws Exception {
        Location location = at("self.bin");
        byte[] data = putRandom(location, 3000, 6);
        store().copy(location, location);
        assertThat(store().get(location).toArray()).isEqualTo(data);
        store().rename(location, location); // never deletes the source
        assertThat(store().exists(location)).isTrue();
        assertThat(store().get(location).toArray()).isEqualTo(data);
    }

    @Test
    void copyOrRenameOntoItselfOfAMissingSourceNamesIt() {
        Location ghost = at("self-ghost");
        assertThatThrownBy(() -> store().copy(ghost, ghost)).isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(ghost.toString());
        assertThatThrownBy(() -> store().rename(ghost, ghost)).isInstanceOf(ObjectNotFoundException.class)
                .hasMessageContaining(ghost.toString());
    }

    @Test
    protected void copyKeepsContentTypeAndMetadataWhereTheStoreKeepsThem() throws Exception {
        Location source = at("typed-source");
        Location target = at("typed-target");
        WriteOptions options = WriteOptions.DEFAULT.withContentType("application/x-copied")
                .withMetadata(Map.of("owner", "copier"));
        store().put(source, ByteBuffer.wrap(new byte[] {1, 2, 3}), options);
        store().copy(source, target);
        ObjectInfo copied = store().stat(target);
        if (store().capabilities().contains(Capability.USER_METADATA)) {
            assertThat(copied.contentType()).hasValue("application/x-copied");
            assertThat(copied.metadata()).containsEntry("owner", "copier");
        } else {
            assertThat(copied.metadata()).isEmpty();
        }
    }

    @Test
    void renameMovesTheObject() throws Exception {
        Location source = at("old name.bin");
        carry(source, at("new/ñame.bin"), 5000, 3, ObjectStore::rename);
        assertThat(store().exists(source)).isFalse();
    }

    /** copy or rename, as a method reference. */
    @FunctionalInterface
    private interface Transfer {
        void run(ObjectStore store, Location source, Location target) throws IOException;
    }

    /**
     * Puts {@code size} random bytes at {@code source}, runs {@code transfer} to {@code target} and checks that
     * the target holds those bytes; returns them, for what each operation promises about the source.
     */
    private byte[] carry(Location source, Location target, int size, long seed, Transfer transfer) throws IOException {
        byte[] data = putRandom(source, size, seed);
        transfer.run(store(), source, target);
        assertThat(store().get(target).toArray()).isEqualTo(data);
        return data;
    }
}
