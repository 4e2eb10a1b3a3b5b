package io.s3dlio.checkpoint;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The checkpoint contract on S3Proxy (s3://). */
class S3ProxyCheckpointTest extends CheckpointContract {
    private static CheckpointEnvironment environment;

    @BeforeAll
    static void start() {
        environment = CheckpointEnvironment.s3Proxy();
    }

    @AfterAll
    static void stop() throws Exception {
        if (environment != null) {
            environment.close();
        }
    }

    @Override
    CheckpointEnvironment env() {
        return environment;
    }
}
