package io.s3dlio.checkpoint;

/** The checkpoint contract on file://. */
class FileCheckpointTest extends CheckpointContract {
    @Override
    CheckpointEnvironment startEnvironment() {
        return CheckpointEnvironment.file();
    }
}
