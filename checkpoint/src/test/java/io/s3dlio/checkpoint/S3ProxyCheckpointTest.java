package io.s3dlio.checkpoint;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** The checkpoint contract on S3Proxy (s3://). */
class S3ProxyCheckpointTest extends CheckpointContract {
    @Override
    CheckpointEnvironment startEnvironment() {
        return CheckpointEnvironment.s3Proxy();
    }

    /**
     * S3Proxy 4.1.0 evaluates If-Match / If-None-Match (conditionalWritesAreHonouredOrRefused passes here)
     * but not atomically with the write: two concurrent conditional PUTs can both succeed, so racing finalizers can
     * leave "latest" on the lower step (seen: 1018 of 1019 in round 5 of 60). Documented in docs/CHECKPOINTS.md;
     * AWS S3 itself checks atomically. The race is tested on mem://, file://, Azurite and, with -Pradosgw, radosgw
     * (RadosGwCheckpointTest).
     */
    @Override
    @Test
    @Disabled("S3Proxy 4.1.0 checks write conditions, but not atomically under concurrent writers (docs/CHECKPOINTS.md)")
    void racingFinalizersNeverLeaveLatestOnTheLowerStep() {
    }
}
