package io.s3dlio.s3;

import io.s3dlio.api.Capability;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.spi.ForwardingObjectStore;
import java.util.EnumSet;
import java.util.Set;

/**
 * The s3:// store with the capabilities a particular test server lacks taken away, so the contract kit
 * checks the fallback behaviour there. S3Proxy's blob stores keep keys as files, so "a" and "a/b" cannot
 * coexist on it (HTTP 500), although they can on S3 and radosgw. Every call goes to the real store.
 */
final class CapabilityLimitedStore extends ForwardingObjectStore {
    private final Set<Capability> capabilities;

    CapabilityLimitedStore(ObjectStore delegate, Set<Capability> serverLacks) {
        super(delegate);
        EnumSet<Capability> kept = EnumSet.noneOf(Capability.class);
        kept.addAll(delegate.capabilities());
        kept.removeAll(serverLacks);
        this.capabilities = Set.copyOf(kept);
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities;
    }
}
