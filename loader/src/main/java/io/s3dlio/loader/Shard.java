package io.s3dlio.loader;

import io.s3dlio.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * This process's slice of the dataset in a data-parallel job: rank {@code rank} of {@code worldSize}.
 *
 * <p>Sharding is <b>strided</b>: after the epoch's global order is fixed (the same on every rank for the same
 * seed and epoch), rank {@code r} takes the items at positions {@code r, r + worldSize, r + 2*worldSize, ...}.
 * Shards are therefore disjoint and together cover the dataset; their sizes differ by at most one item.
 */
public record Shard(int rank, int worldSize) {
    /** The whole dataset: rank 0 of 1. */
    public static final Shard WHOLE = new Shard(0, 1);

    /** Launchers, in the order they are tried: each is a (rank variable, world-size variable) pair. */
    static final List<List<String>> LAUNCHER_VARIABLES = List.of(
            List.of("RANK", "WORLD_SIZE"),                                   // torchrun / torch.distributed
            List.of("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE"),         // Open MPI
            List.of("PMI_RANK", "PMI_SIZE"),                                 // MPICH / Intel MPI (PMI)
            List.of("SLURM_PROCID", "SLURM_NTASKS"));                        // Slurm srun

    public Shard {
        if (worldSize < 1) {
            throw new IllegalArgumentException("worldSize must be at least 1, got " + worldSize);
        }
        if (rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank must be in [0, " + worldSize + "), got " + rank);
        }
    }

    /**
     * Rank and world size as set by the first launcher found, in this order: torchrun ({@code RANK},
     * {@code WORLD_SIZE}), Open MPI ({@code OMPI_COMM_WORLD_RANK}, {@code OMPI_COMM_WORLD_SIZE}), PMI
     * ({@code PMI_RANK}, {@code PMI_SIZE}), Slurm ({@code SLURM_PROCID}, {@code SLURM_NTASKS}). Empty when
     * none is set.
     *
     * @throws IllegalArgumentException naming the variables when only one of a pair is set, a value is not a
     *         number, or the rank is outside {@code [0, worldSize)}
     */
    public static Optional<Shard> fromLaunchers(ConfigSource config) {
        java.util.Objects.requireNonNull(config, "config is null");
        for (List<String> pair : LAUNCHER_VARIABLES) {
            String rankName = pair.get(0);
            String sizeName = pair.get(1);
            OptionalInt rank = config.intValue(rankName);
            OptionalInt size = config.intValue(sizeName);
            if (rank.isEmpty() && size.isEmpty()) {
                continue;
            }
            if (rank.isEmpty() || size.isEmpty()) {
                throw new IllegalArgumentException(
                        (rank.isEmpty() ? sizeName : rankName) + " is set but " + (rank.isEmpty() ? rankName : sizeName)
                                + " is not: set both, or neither");
            }
            try {
                return Optional.of(new Shard(rank.getAsInt(), size.getAsInt()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(rankName + "=" + rank.getAsInt() + ", " + sizeName + "="
                        + size.getAsInt() + " is not valid: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    /** This rank's items of {@code ordered}: every {@code worldSize}-th one, starting at {@code rank}. */
    public <T> List<T> select(List<T> ordered) {
        if (worldSize == 1) {
            return ordered;
        }
        List<T> mine = new ArrayList<>(ordered.size() / worldSize + 1);
        for (int i = rank; i < ordered.size(); i += worldSize) {
            mine.add(ordered.get(i));
        }
        return mine;
    }
}
