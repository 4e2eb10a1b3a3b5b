package io.s3dlio.checkpoint;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child process of {@link CrashConsistencyTest}: saves 4-rank checkpoints in a loop (each rank on its own
 * thread, streaming its shard in pieces), keeps the last 3, and prints "saved STEP" after each finalize
 * returns, until it is killed. Arguments: base URI, seed, then KEY=VALUE store settings.
 */
public final class CrashingSaver {
    private CrashingSaver() {}

    public static void main(String[] args) throws Exception {
        Location base = Location.parse(args[0]);
        long seed = Long.parseLong(args[1]);
        Map<String, String> settings = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            settings.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Random random = new Random(seed);
        ExecutorService ranks = Executors.newFixedThreadPool(4);
        try (ObjectStores stores = ObjectStores.create(ConfigSource.of(settings))) {
            ObjectStore store = stores.forLocation(base);
            CheckpointConfig config = CheckpointConfig.DEFAULT.withLayout(java.util.List.of(ShardLayout.values()).get((int) (seed % 3)));
            try (CheckpointStore checkpoints = new CheckpointStore(store, base, config)) {
                long step = 1;
                for (CheckpointEntry entry : checkpoints.list()) {
                    step = Math.max(step, entry.step() + 1);
                }
                out.println("ready " + step);
                while (true) {
                    long current = step;
                    List<Future<ShardInfo>> shards = new ArrayList<>();
                    for (int rank = 0; rank < 4; rank++) {
                        int r = rank;
                        int size = 20_000 + random.nextInt(400_000);
                        shards.add(ranks.submit(() -> {
                            byte[] bytes = CheckpointContract.data(current * 10 + r, size);
                            try (ShardWriter writer = checkpoints.newShardWriter(current, r)) {
                                for (int at = 0; at < bytes.length; at += 16_384) {
                                    writer.write(ByteBuffer.wrap(bytes, at, Math.min(16_384, bytes.length - at)));
                                }
                                return writer.finish();
                            }
                        }));
                    }
                    for (Future<ShardInfo> shard : shards) {
                        shard.get();
                    }
                    checkpoints.finalizeCheckpoint(current, current / 10, "torch", 4, Map.of("seed", Long.toString(seed)));
                    out.println("saved " + current);
                    checkpoints.retain(3);
                    step++;
                }
            }
        } finally {
            ranks.shutdownNow();
        }
    }
}
