package io.s3dlio.loader;

import io.s3dlio.testkit.StoreEnvironment;

class FileDataLoaderTest extends DataLoaderBehaviour {
    @Override
    StoreEnvironment createEnvironment() {
        return LoaderEnvironments.local("file");
    }
}
