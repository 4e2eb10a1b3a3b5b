package io.s3dlio.loader;

import io.s3dlio.testkit.StoreEnvironment;
import java.util.OptionalLong;

class FileRecordLoaderTest extends RecordLoaderBehaviour {
    @Override
    StoreEnvironment createEnvironment() {
        return LoaderEnvironments.local("file");
    }

    @Override
    OptionalLong serverGets() {
        return OptionalLong.empty();
    }

    @Override
    void resetServerCounts() {
        // No server: the counting store counts the reads.
    }
}
