package io.s3dlio.workload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.loader.LoaderOptions;
import java.time.Duration;

/**
 * A {@link LoadRun}: what to load, how, for how many epochs, and how long the emulated accelerator computes on
 * each batch (as MLPerf Storage / DLIO emulate training).
 *
 * @param source a prefix or a key-list file
 * @param loader the loader's settings
 * @param epochs epochs to run (1 to 1,000,000)
 * @param computePerBatch emulated compute time per batch (zero: consume as fast as possible)
 * @param deliveryOrder whether the report lists each epoch's URIs in delivery order
 */
public record LoadRunOptions(DatasetSource source, LoaderOptions loader, int epochs, Duration computePerBatch,
        DeliveryOrder deliveryOrder) {
    public LoadRunOptions {
        requireNonNull(source, "source is null");
        requireNonNull(loader, "loader is null");
        requireNonNull(computePerBatch, "computePerBatch is null");
        requireNonNull(deliveryOrder, "deliveryOrder is null");
        if (epochs < 1 || epochs > 1_000_000) {
            throw new IllegalArgumentException("epochs must be in [1, 1000000], got " + epochs);
        }
        if (computePerBatch.isNegative()) {
            throw new IllegalArgumentException("computePerBatch must not be negative, got " + computePerBatch);
        }
    }
}
