package io.s3dlio.workload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.loader.Dataset;
import io.s3dlio.loader.RecordDatasets;
import io.s3dlio.text.EnumNames;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where a {@link LoadRun} gets its items: every object under a prefix, the URIs of a key-list file, or the records
 * inside the files of either.
 */
public sealed interface DatasetSource permits DatasetSource.Prefix, DatasetSource.KeyList, DatasetSource.Records {

    /** Builds the dataset (one listing for a prefix; no request for a key list). */
    Dataset resolve(ObjectStore store) throws IOException;

    /** Every object under {@code location}, from one listing. */
    record Prefix(Location location) implements DatasetSource {
        public Prefix {
            requireNonNull(location, "location is null");
        }

        @Override
        public Dataset resolve(ObjectStore store) throws IOException {
            return Dataset.fromPrefix(store, location);
        }
    }

    /** The URIs listed in {@code file}, one per line. */
    record KeyList(Path file) implements DatasetSource {
        public KeyList {
            requireNonNull(file, "file is null");
        }

        @Override
        public Dataset resolve(ObjectStore store) throws IOException {
            return Dataset.fromKeyList(file);
        }
    }

    /** What one item is inside a file of a {@link Records} source. */
    enum RecordKind {
        /** Each TFRecord record (located through {@code FILE.idx} when present, a header scan otherwise). */
        TFRECORD,
        /** Each array member of an NPZ file (its NPY bytes). */
        NPZ;

        /**
         * {@code tfrecord} or {@code npz}, in any case.
         *
         * @throws IllegalArgumentException naming the text and the accepted values
         */
        public static RecordKind parse(String text) {
            return EnumNames.parse(RecordKind.class, "record format", text);
        }
    }

    /**
     * The records inside the files {@code files} names: each one is an item read with one range request
     * ({@link RecordDatasets}), so no whole file is fetched to get a record.
     */
    record Records(DatasetSource files, RecordKind kind) implements DatasetSource {
        public Records {
            requireNonNull(files, "files is null");
            requireNonNull(kind, "kind is null");
        }

        @Override
        public Dataset resolve(ObjectStore store) throws IOException {
            Dataset dataset = files.resolve(store);
            return switch (kind) {
                case TFRECORD -> RecordDatasets.tfRecords(store, dataset);
                case NPZ -> RecordDatasets.npzMembers(store, dataset);
            };
        }
    }
}
