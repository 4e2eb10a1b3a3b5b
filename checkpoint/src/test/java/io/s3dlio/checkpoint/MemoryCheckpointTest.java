package io.s3dlio.checkpoint;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The checkpoint contract on mem://. */
class MemoryCheckpointTest extends CheckpointContract {
    private static CheckpointEnvironment environment;

    @BeforeAll
    static void start() {
        environment = CheckpointEnvironment.memory();
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
