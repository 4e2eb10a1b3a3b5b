package io.s3dlio.spi;

import io.s3dlio.api.Capability;
import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectNotFoundException;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.util.Set;

/**
 * What every store shares: its schemes and capabilities, fixed at construction and immutable (as the
 * contract says), the check that a location is one of its objects, and rename as copy-then-delete for
 * stores without an atomic rename, and exists by stat.
 */
public abstract class AbstractObjectStore implements ObjectStore {
    private final Set<String> schemes;
    private final Set<Capability> capabilities;

    protected AbstractObjectStore(Set<String> schemes, Set<Capability> capabilities) {
        this.schemes = Set.copyOf(schemes);
        this.capabilities = Set.copyOf(capabilities);
    }

    @Override
    public final Set<String> schemes() {
        return schemes;
    }

    @Override
    public final Set<Capability> capabilities() {
        return capabilities;
    }

    /** Refuses a location of a scheme this store does not serve, or one naming a prefix. */
    protected final Location requireObject(Location location) {
        return StoreChecks.requireObject(StoreChecks.requireScheme(location, schemes));
    }

    /**
     * The contract's {@code copy(x, x)}: true when {@code source} and {@code target} are one object, after
     * checking that it exists ({@link io.s3dlio.api.ObjectNotFoundException} naming it otherwise), so the
     * caller has nothing more to do.
     */
    protected final boolean sameObject(Location source, Location target) throws IOException {
        if (!source.equals(target)) {
            return false;
        }
        stat(source);
        return true;
    }

    /** By {@link #stat}: false when it throws {@link ObjectNotFoundException}. Stores with a cheaper check override it. */
    @Override
    public boolean exists(Location location) throws IOException {
        try {
            stat(location);
            return true;
        } catch (ObjectNotFoundException e) {
            return false;
        }
    }

    /**
     * Copy, then delete the source: a failure between the two leaves both objects. Onto itself, the copy
     * checks the source exists and nothing is deleted.
     */
    @Override
    public void rename(Location source, Location target) throws IOException {
        copy(source, target);
        if (!source.equals(target)) {
            delete(source);
        }
    }
}
