package io.s3dlio.examples;

import io.s3dlio.api.Location;
import io.s3dlio.api.WriteOptions;
import io.s3dlio.loader.DataLoader;
import io.s3dlio.loader.Dataset;
import io.s3dlio.loader.LoaderEpoch;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.loader.Sample;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The data loader: a dataset from one listing of a prefix, read as shuffled batches by concurrent workers with
 * a bounded prefetch, one epoch after another (each epoch its own order, reproducible from the seed).
 */
public final class Loader {
    private Loader() {}

    public static void main(String[] args) throws IOException {
        Example.run(args, (stores, store, prefix) -> {
            for (int i = 0; i < 20; i++) {
                byte[] sample = new byte[1000 + i];
                store.put(prefix.resolve(String.format(Locale.ROOT, "train/sample-%04d.bin", i)), ByteBuffer.wrap(sample),
                        WriteOptions.DEFAULT);
            }

            Dataset dataset = Dataset.fromPrefix(store, prefix.resolve("train/"));   // sizes kept: no HEAD later
            LoaderOptions options = LoaderOptions.builder(stores.config()).batchSize(8).shuffle(42).build();
            try (DataLoader loader = DataLoader.create(store, dataset, options)) {
                for (int epochNumber = 0; epochNumber < 2; epochNumber++) {
                    Set<Location> seen = new HashSet<>();
                    long bytes = 0;
                    try (LoaderEpoch epoch = loader.epoch(epochNumber)) {
                        while (epoch.hasNext()) {
                            List<Sample> batch = epoch.next();                     // always a List; read-only views
                            for (Sample sample : batch) {
                                seen.add(sample.location());
                                bytes += sample.size();
                            }
                        }
                        System.out.println("epoch " + epochNumber + ": " + seen.size() + " samples, " + bytes + " bytes, "
                                + epoch.stats());
                    }
                    Example.check(seen.size() == 20, "every sample once per epoch");
                }
            }
            store.deletePrefix(prefix);
        });
    }
}
