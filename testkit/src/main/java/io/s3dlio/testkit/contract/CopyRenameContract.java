package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import org.junit.jupiter.api.Test;

/** copy and rename. */
public abstract class CopyRenameContract extends ContractSupport {

    @Test
    void copyDuplicatesTheBytes() throws Exception {
        Location source = at("source.bin");
        Location target = at("copies/target.bin");
        byte[] data = putRandom(source, 70_000, 1);
        store().copy(source, target);
        assertThat(store().get(target).toArray()).isEqualTo(data);
        assertThat(store().get(source).toArray()).isEqualTo(data);
    }

    @Test
    void copyOverwritesTheTarget() throws Exception {
        Location source = at("s");
        Location target = at("t");
        byte[] data = putRandom(source, 10, 1);
        putRandom(target, 1000, 2);
        store().copy(source, target);
        assertThat(store().get(target).toArray()).isEqualTo(data);
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
    void renameMovesTheObject() throws Exception {
        Location source = at("old name.bin");
        Location target = at("new/ñame.bin");
        byte[] data = putRandom(source, 5000, 3);
        store().rename(source, target);
        assertThat(store().exists(source)).isFalse();
        assertThat(store().get(target).toArray()).isEqualTo(data);
    }

    @Test
    void renameOverwritesTheTarget() throws Exception {
        Location source = at("a");
        Location target = at("b");
        byte[] data = putRandom(source, 5, 4);
        putRandom(target, 50, 5);
        store().rename(source, target);
        assertThat(store().get(target).toArray()).isEqualTo(data);
        assertThat(store().exists(source)).isFalse();
    }
}
