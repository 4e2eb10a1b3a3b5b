package io.s3dlio.engine.transfer;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;

/**
 * The store serving a location: {@code ObjectStores::forLocation} for the registry, or {@code location -> store}
 * for one store. Stores stay the caller's: the engine never closes them.
 */
@FunctionalInterface
public interface StoreLookup {
    ObjectStore forLocation(Location location) throws IOException;
}
