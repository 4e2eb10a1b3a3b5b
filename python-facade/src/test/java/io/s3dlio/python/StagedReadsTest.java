package io.s3dlio.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A staged loader on mem://: items land in slots, slots come back only when released, the quota holds. */
class StagedReadsTest {
    private static final int ITEMS = 20;
    private static final int SIZE = 70_000; // a 128 KiB slot each

    @Test
    void itemsAreStagedInReusedSlotsAndAFullPoolFallsBackToCopies() throws Exception {
        try (PythonFacade facade = PythonFacade.create(ObjectStores.create(ConfigSource.empty()))) {
            facade.createBucket("mem://s/");
            for (int i = 0; i < ITEMS; i++) {
                byte[] data = new byte[SIZE];
                Arrays.fill(data, (byte) i);
                facade.put("mem://s/k" + (char) ('a' + i), ByteBuffer.wrap(data));
            }
            // batch 2, prefetch 1: at most (1 + 2) * 2 = 6 slots.
            LoaderSpec spec = new LoaderSpec(2, false, false, 0, 2, 1, null, null, "sequential", 8 << 20, 4, null);
            try (LoaderSession session = facade.openLoader("mem://s/", null, spec, true)) {
                // Releasing every batch's slots with the next call: every item is staged, in few slots.
                session.startEpoch(0);
                int[] released = new int[0];
                int item = 0;
                for (Blob blob = session.next(released); blob != null; blob = session.next(released)) {
                    int[] slots = blob.slots();
                    assertThat(slots).doesNotContain(-1);
                    assertThat(blob.unstagedSize()).isZero();
                    for (int slot : slots) {
                        ByteBuffer view = facade.slot(slot);
                        assertThat(view.capacity()).isEqualTo(128 << 10);
                        assertThat(view.get(0)).isEqualTo((byte) item);
                        assertThat(view.get(SIZE - 1)).isEqualTo((byte) item);
                        item++;
                    }
                    released = slots;
                }
                assertThat(item).isEqualTo(ITEMS);
                assertThat(session.slotsInUse()).isBetween(0, 6);
                assertThat(facade.slotsAllocated()).isBetween(1, 6);

                // Releasing nothing (a consumer keeping every item): the pool runs dry, the rest are copies.
                session.startEpoch(1);
                List<Integer> staged = new ArrayList<>();
                item = 0;
                for (Blob blob = session.next(); blob != null; blob = session.next()) {
                    int[] slots = blob.slots();
                    ByteBuffer copies = ByteBuffer.allocate((int) blob.unstagedSize());
                    blob.copyUnstagedInto(copies);
                    copies.flip();
                    for (int slot : slots) {
                        byte first = slot >= 0 ? facade.slot(slot).get(0) : copies.get(copies.position());
                        if (slot < 0) {
                            copies.position(copies.position() + SIZE);
                        } else {
                            staged.add(slot);
                        }
                        assertThat(first).isEqualTo((byte) item++);
                    }
                }
                assertThat(item).isEqualTo(ITEMS);
                assertThat(staged).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(6);
                assertThat(session.slotsInUse()).isLessThanOrEqualTo(6);
                assertThat(facade.slotsAllocated()).isLessThanOrEqualTo(6);
            }
            // Closed after one batch: the slots staged ahead go back to the pool; the batch taken stays out.
            LoaderSession early = facade.openLoader("mem://s/", null, spec, true);
            early.startEpoch(0);
            int[] taken = early.next().slots();
            early.close();
            assertThat(early.slotsInUse()).isEqualTo((int) Arrays.stream(taken).filter(slot -> slot >= 0).count());
        }
    }
}
