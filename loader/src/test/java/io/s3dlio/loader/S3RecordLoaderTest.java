package io.s3dlio.loader;

import io.s3dlio.testkit.StoreEnvironment;
import io.s3dlio.testkit.proxy.LatencyProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/** On S3Proxy, behind a pass-through proxy that counts the GET requests the server receives. */
class S3RecordLoaderTest extends RecordLoaderBehaviour {
    private LatencyProxy proxy;

    @Override
    StoreEnvironment createEnvironment() {
        return LoaderEnvironments.s3Behind(target -> {
            try {
                proxy = LatencyProxy.start("127.0.0.1", target, LatencyProxy.Options.passThrough());
                return proxy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the counting proxy", e);
            }
        });
    }

    @Override
    OptionalLong serverGets() {
        return OptionalLong.of(proxy.methodCounts().getOrDefault("GET", 0L));
    }

    @Override
    void resetServerCounts() {
        proxy.resetCounts();
    }
}
