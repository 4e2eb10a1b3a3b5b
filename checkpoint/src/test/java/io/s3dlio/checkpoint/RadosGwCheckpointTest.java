package io.s3dlio.checkpoint;

import org.junit.jupiter.api.Tag;

/**
 * The checkpoint contract on Ceph radosgw (s3://), racing finalizers included: radosgw evaluates If-Match and
 * If-None-Match on PutObject inside the RADOS operation that replaces the head object, so two concurrent
 * conditional PUTs cannot both succeed (docs/CHECKPOINTS.md). Tagged "radosgw": the default build excludes it
 * and {@code -Pradosgw} (used by .ci/run after bin/lib/install-radosgw.sh) runs it.
 */
@Tag("radosgw")
class RadosGwCheckpointTest extends CheckpointContract {
    @Override
    CheckpointEnvironment startEnvironment() {
        return CheckpointEnvironment.radosGw();
    }
}
