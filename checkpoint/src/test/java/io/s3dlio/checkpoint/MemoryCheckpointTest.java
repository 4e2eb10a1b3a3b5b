package io.s3dlio.checkpoint;

/** The checkpoint contract on mem://. */
class MemoryCheckpointTest extends CheckpointContract {
    @Override
    CheckpointEnvironment startEnvironment() {
        return CheckpointEnvironment.memory();
    }
}
