package io.s3dlio.store.local;

import io.s3dlio.spi.SchemeProvider;
import java.util.Set;

/**
 * Provides {@code direct://}: local files with O_DIRECT. It reads no settings: the alignment comes from each
 * file system's block size.
 */
public final class DirectStoreProvider extends SchemeProvider {
    public DirectStoreProvider() {
        super(Set.of("direct"), config -> new DirectObjectStore());
    }
}
