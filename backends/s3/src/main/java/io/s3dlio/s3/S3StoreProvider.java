package io.s3dlio.s3;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.config.ConfigSource;
import io.s3dlio.spi.ObjectStoreProvider;
import java.util.Set;

/** Serves {@code s3://}; settings come from {@link S3Config#from(ConfigSource)}. */
public final class S3StoreProvider implements ObjectStoreProvider {

    @Override
    public Set<String> schemes() {
        return S3ObjectStore.SCHEMES;
    }

    @Override
    public ObjectStore create(ConfigSource config) {
        return BalancedS3Store.of(new S3ObjectStore(S3Config.from(config)));
    }

    /** A store from an explicit typed config (embedding, tests). The caller closes it. */
    public static ObjectStore create(S3Config config) {
        return BalancedS3Store.of(new S3ObjectStore(config));
    }
}
