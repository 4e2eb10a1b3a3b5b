package io.s3dlio.engine.range;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.store.memory.MemoryObjectStore;
import java.util.concurrent.atomic.AtomicInteger;

/** The range engine contract on mem://. */
class MemoryRangeEngineTest extends RangeEngineContract {
    private static final MemoryObjectStore STORE = new MemoryObjectStore();
    private static final Location BUCKET = Location.parse("mem://range");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    static {
        STORE.createContainer(BUCKET);
    }

    @Override
    protected ObjectStore backend() {
        return STORE;
    }

    @Override
    protected Location newLocation(String name) {
        return BUCKET.withKey("t" + COUNTER.incrementAndGet() + "/" + name);
    }
}
