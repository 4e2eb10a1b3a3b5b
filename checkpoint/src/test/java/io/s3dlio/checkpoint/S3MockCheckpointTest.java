package io.s3dlio.checkpoint;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The checkpoint contract on S3Mock (s3://). */
class S3MockCheckpointTest extends CheckpointContract {
    @Override
    CheckpointEnvironment startEnvironment() {
        return CheckpointEnvironment.s3Mock();
    }

    /**
     * S3Mock 5.2.0 evaluates If-Match / If-None-Match (conditionalWritesAreHonouredOrRefused passes here)
     * but not atomically with the write: two concurrent conditional PUTs can both succeed, so racing finalizers can
     * leave "latest" on the lower step (seen: 1030 of 1031 in round 8). Documented in docs/CHECKPOINTS.md;
     * AWS S3 itself checks atomically. The race is tested on mem://, file://, Azurite and, with -Pradosgw, radosgw
     * (RadosGwCheckpointTest).
     */
    @Override
    @Test
    @Disabled("S3Mock 5.2.0 checks write conditions, but not atomically under concurrent writers (docs/CHECKPOINTS.md)")
    void racingFinalizersNeverLeaveLatestOnTheLowerStep() {
    }
}
