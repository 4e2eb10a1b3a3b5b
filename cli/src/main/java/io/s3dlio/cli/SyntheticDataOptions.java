package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.datagen.SyntheticData;
import java.io.IOException;
import java.security.SecureRandom;
import picocli.CommandLine.Option;

/** What put and datagen share: the generator's dedup and compress factors and seed, and {@code -c} to create the bucket. */
final class SyntheticDataOptions {
    @Option(names = {"-d", "--dedup"}, paramLabel = "DEDUP", defaultValue = "1", description = "Dedup factor, 1 or more (default: ${DEFAULT-VALUE}).")
    int dedup;

    @Option(names = {"-x", "--compress"}, paramLabel = "COMPRESS", defaultValue = "1", description = "Compress factor, 1 or more (default: ${DEFAULT-VALUE}).")
    double compress;

    @Option(names = {"-c", "--create-bucket"}, description = "Create the bucket/container (a directory locally) first.")
    boolean createBucket;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed for reproducible data (default: random, shown in the summary).")
    Long seed;

    /** The generator: seeded with {@code --seed}, else with a random seed the summary shows. */
    SyntheticData data() {
        long actualSeed = seed != null ? seed : new SecureRandom().nextLong();
        return new SyntheticData(actualSeed, SyntheticData.DEFAULT_BLOCK_SIZE, dedup, compress);
    }

    /** With {@code -c}, creates the container {@code base} is in (locally: {@code base} itself). */
    void createBucketIfAsked(ObjectStore store, Location base) throws IOException {
        if (createBucket) {
            store.createContainer(Targets.container(base));
        }
    }
}
