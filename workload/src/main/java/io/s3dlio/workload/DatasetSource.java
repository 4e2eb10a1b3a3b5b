package io.s3dlio.workload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.loader.Dataset;
import java.io.IOException;
import java.nio.file.Path;

/** Where a {@link LoadRun} gets its items: every object under a prefix, or the URIs of a key-list file. */
public sealed interface DatasetSource permits DatasetSource.Prefix, DatasetSource.KeyList {

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
}
