package io.s3dlio.loader;

import io.s3dlio.testkit.StoreEnvironment;

class AzuriteDataLoaderTest extends DataLoaderBehaviour {
    @Override
    StoreEnvironment createEnvironment() {
        return LoaderEnvironments.azure();
    }
}
