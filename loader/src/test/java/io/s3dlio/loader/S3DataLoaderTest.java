package io.s3dlio.loader;

import io.s3dlio.testkit.StoreEnvironment;

class S3DataLoaderTest extends DataLoaderBehaviour {
    @Override
    StoreEnvironment createEnvironment() {
        return LoaderEnvironments.s3();
    }
}
