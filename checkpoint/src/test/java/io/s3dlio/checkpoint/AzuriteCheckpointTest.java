package io.s3dlio.checkpoint;

/** The checkpoint contract on Azurite (az://). */
class AzuriteCheckpointTest extends CheckpointContract {
    @Override
    CheckpointEnvironment startEnvironment() {
        return CheckpointEnvironment.azurite();
    }
}
