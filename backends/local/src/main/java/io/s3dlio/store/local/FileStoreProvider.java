package io.s3dlio.store.local;

import io.s3dlio.spi.SchemeProvider;
import java.util.Set;

/** Provides {@code file://}; settings in {@link LocalStoreConfig}. */
public final class FileStoreProvider extends SchemeProvider {
    public FileStoreProvider() {
        super(Set.of("file"), config -> new FileObjectStore(LocalStoreConfig.from(config)));
    }
}
