package io.s3dlio.loader;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectBytes;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.format.TfRecords;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;

/**
 * Reads items that are a range of an object (records), never the whole object. Within one batch, items that lie
 * back to back in one object (consecutive records of a file, as an unshuffled epoch delivers them) are fetched
 * together with ONE range read, and each item is a view of it; other items take one range read each. So a
 * sequential epoch sends one request per batch and file, a shuffled one about one per record.
 */
final class RangeItems {
    /** The most bytes one coalesced read may cover: bounds the memory a run of records pins. */
    static final long MAX_RUN_BYTES = 64L * 1024 * 1024;

    private RangeItems() {
    }

    /** Items with a range are read here, coalesced per batch of {@code plan}; whole-object items go to {@code whole}. */
    static ItemReader reader(ObjectStore store, EpochPlan plan, ItemReader whole) {
        Map<DatasetEntry, Slot> slots = runs(store, plan);
        return new ItemReader() {
            @Override
            public ObjectBytes read(DatasetEntry entry) throws Exception {
                if (entry.range().isEmpty()) {
                    return whole.read(entry);
                }
                Slot slot = slots.get(entry);
                ObjectBytes bytes = slot == null ? fetch(store, entry.location(), entry.range().get().offset(),
                        (int) entry.range().get().length()) : slot.run.take(slot.offset, (int) entry.range().get().length());
                return decode(entry, bytes);
            }

            // Whole objects may land in the caller's arrays; ranged items are views of runs, read as always.
            @Override
            public ObjectBytes read(DatasetEntry entry, IntFunction<byte[]> arrays) throws Exception {
                return entry.range().isEmpty() ? whole.read(entry, arrays) : read(entry);
            }

            @Override
            public ObjectBytes readInto(DatasetEntry entry, IntFunction<java.nio.ByteBuffer> buffers) throws Exception {
                return entry.range().isEmpty() ? whole.readInto(entry, buffers) : read(entry);
            }
        };
    }

    /** Where an item lies in the run that fetches it. */
    private record Slot(Run run, int offset) {
    }

    /** Groups each batch's adjacent ranged items into runs; items listed twice in the plan are read alone. */
    private static Map<DatasetEntry, Slot> runs(ObjectStore store, EpochPlan plan) {
        Map<DatasetEntry, Integer> seen = new HashMap<>();
        for (DatasetEntry entry : plan.items()) {
            if (entry.range().isPresent()) {
                seen.merge(entry, 1, Integer::sum);
            }
        }
        Map<DatasetEntry, Slot> slots = new HashMap<>();
        for (int b = 0; b < plan.batchCount(); b++) {
            List<DatasetEntry> batch = plan.batch(b);
            int i = 0;
            while (i < batch.size()) {
                DatasetEntry first = batch.get(i);
                if (first.range().isEmpty() || seen.get(first) > 1) {
                    i++;
                    continue;
                }
                long start = first.range().get().offset();
                long end = start + first.range().get().length();
                int j = i + 1;
                while (j < batch.size()) {
                    DatasetEntry next = batch.get(j);
                    if (next.range().isEmpty() || seen.get(next) > 1 || !next.location().equals(first.location())
                            || next.range().get().offset() != end
                            || end + next.range().get().length() - start > MAX_RUN_BYTES) {
                        break;
                    }
                    end += next.range().get().length();
                    j++;
                }
                int length = (int) (end - start);
                Run run = new Run(() -> fetch(store, first.location(), start, length), j - i);
                for (int k = i; k < j; k++) {
                    DatasetEntry item = batch.get(k);
                    slots.put(item, new Slot(run, (int) (item.range().get().offset() - start)));
                }
                i = j;
            }
        }
        return slots;
    }

    /** A read that may fail (one {@link #fetch}). */
    @FunctionalInterface
    private interface Read {
        ObjectBytes get() throws IOException;
    }

    /** One range read shared by {@code items} adjacent items; released once every item has taken its part. */
    private static final class Run {
        private final Read read;
        private final ReentrantLock lock = new ReentrantLock();
        private int remaining;
        private ObjectBytes bytes;
        private IOException failure;

        Run(Read read, int items) {
            this.read = read;
            this.remaining = items;
        }

        /** The item at {@code at} of the run, fetching the run on first use (later items wait for that read). */
        ObjectBytes take(int at, int size) throws IOException {
            lock.lock();
            try {
                if (bytes == null && failure == null) {
                    try {
                        bytes = read.get();
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                remaining--;
                if (failure != null) {
                    throw failure;
                }
                ObjectBytes part = bytes.slice(at, size);
                if (remaining == 0) {
                    bytes = null; // the delivered views keep what they need
                }
                return part;
            } finally {
                lock.unlock();
            }
        }
    }

    /** One positional read: one request on HTTP stores (the primitive the range engine builds on). */
    static ObjectBytes fetch(ObjectStore store, Location location, long offset, int length) throws IOException {
        ByteBuffer target = ByteBuffer.allocate(length);
        store.read(location, offset, target);
        if (target.hasRemaining()) {
            throw new EOFException(location + ": items at offset " + offset + " need " + length
                    + " bytes, the object ends after " + target.position());
        }
        return ObjectBytes.wrap(target.flip());
    }

    private static ObjectBytes decode(DatasetEntry entry, ObjectBytes bytes) throws IOException {
        ItemRange range = entry.range().orElseThrow();
        return switch (range.framing()) {
            case NONE -> bytes;
            case TFRECORD -> TfRecords.decode(bytes, entry.location().toString(), range.offset());
        };
    }
}
