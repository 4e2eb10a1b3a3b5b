package io.s3dlio.checkpoint;

import io.s3dlio.api.Location;
import java.util.List;

/**
 * The objects of a checkpoint that never completed (a writer killed or failed part-way): shards, rank
 * records and an incomplete manifest with no complete manifest beside them.
 *
 * @param step the step they belong to
 * @param objects what is stored for it
 * @param bytes their total size
 */
public record Leftover(long step, List<Location> objects, long bytes) {
    public Leftover {
        objects = List.copyOf(objects);
    }
}
