package io.s3dlio.store.memory;

import io.s3dlio.spi.SchemeProvider;
import java.util.Set;

/** Provides {@code mem://}: one fresh, empty {@link MemoryObjectStore} per registry. */
public final class MemoryStoreProvider extends SchemeProvider {
    public MemoryStoreProvider() {
        super(Set.of("mem"), config -> new MemoryObjectStore());
    }
}
