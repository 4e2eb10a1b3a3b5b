package io.s3dlio.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The facade on mem://: results, order, error kinds. The Python suite (python/tests) covers every backend. */
class PythonFacadeTest {

    @Test
    void getManyKeepsOrderAndErrorsCarryKindAndUri() throws Exception {
        try (PythonFacade facade = PythonFacade.create(ObjectStores.create(ConfigSource.empty()))) {
            facade.createBucket("mem://b/");
            for (int i = 0; i < 10; i++) {
                facade.put("mem://b/k" + i, ByteBuffer.wrap(("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            String[] uris = {"mem://b/k3", "mem://b/k0", "mem://b/k9"};
            Blob blob = facade.getMany(uris, 2);
            assertThat(blob.sizes()).containsExactly(2, 2, 2);
            ByteBuffer target = ByteBuffer.allocateDirect(6);
            blob.copyInto(target);
            byte[] bytes = new byte[6];
            target.flip().get(bytes);
            assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("v3v0v9");

            assertThatThrownBy(() -> facade.get("mem://b/missing"))
                    .isInstanceOfSatisfying(FacadeException.class, e -> {
                        assertThat(e.kind()).isEqualTo(FacadeException.Kind.NOT_FOUND);
                        assertThat(e.getMessage()).contains("mem://b/missing");
                    });
            assertThatThrownBy(() -> facade.get("nope://x"))
                    .isInstanceOfSatisfying(FacadeException.class,
                            e -> assertThat(e.kind()).isEqualTo(FacadeException.Kind.INVALID));
            assertThat(Arrays.asList(facade.list("mem://b/", true).next(100))).hasSize(10);
        }
    }
}
