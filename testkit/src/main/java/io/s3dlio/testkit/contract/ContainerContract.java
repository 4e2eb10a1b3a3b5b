package io.s3dlio.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3dlio.api.Location;
import io.s3dlio.api.StorageException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** createContainer, deleteContainer, listContainers. */
public abstract class ContainerContract extends ContractSupport {

    private boolean listed(Location container) throws Exception {
        // Same scheme as the container: for direct:// the scope must be direct:// too, not file://.
        Location scope = container.isLocal()
                ? container.withKey(Location.ofLocalPath(container.localPath().getParent()).key())
                : new Location(container.scheme(), container.account(), "", "");
        try (Stream<Location> containers = store().listContainers(scope)) {
            return containers.anyMatch(found -> sameContainer(found, container));
        }
    }

    private static boolean sameContainer(Location a, Location b) {
        if (a.isLocal()) {
            return a.localPath().equals(b.localPath());
        }
        return a.container().equals(b.container()) && a.account().equals(b.account());
    }

    @Test
    void capabilitiesAndSchemesAreImmutable() {
        assertThatThrownBy(() -> store().capabilities().add(io.s3dlio.api.Capability.ATOMIC_RENAME))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> store().capabilities().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> store().schemes().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    protected void createListAndDeleteAContainer() throws Exception {
        Location container = environment().newContainerLocation();
        assertThat(listed(container)).isFalse();
        store().createContainer(container);
        store().createContainer(container); // idempotent for the owner
        assertThat(listed(container)).isTrue();

        Location object = container.isLocal() ? container.resolve("object") : container.withKey("object");
        putRandom(object, 10, 1);
        assertThatThrownBy(() -> store().deleteContainer(container))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(container.isLocal() ? container.localPath().toString() : container.container());
        store().delete(object);
        store().deleteContainer(container);
        assertThat(listed(container)).isFalse();
        store().deleteContainer(container); // absent is not an error
    }
}
