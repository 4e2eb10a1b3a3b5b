package io.s3dlio.workload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.api.ObjectStore;
import io.s3dlio.loader.DataLoader;
import io.s3dlio.loader.DataLoaderException;
import io.s3dlio.loader.Dataset;
import io.s3dlio.loader.ErrorPolicy;
import io.s3dlio.loader.LoaderEpoch;
import io.s3dlio.loader.Sample;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A storage benchmark in the style of MLPerf Storage / DLIO: runs the loader for some epochs while an emulated
 * accelerator "computes" on each batch for a fixed time, and reports throughput, consumer wait and accelerator
 * utilisation per epoch. This is what {@code s3-cli load} runs.
 */
public final class LoadRun {
    private LoadRun() {}

    /**
     * Runs {@code options} against {@code store} (the caller's; not closed).
     *
     * @throws IOException naming the prefix or key list when the dataset cannot be built
     * @throws InterruptedIOException when the calling thread is interrupted during emulated compute
     * @throws DataLoaderException naming the URI of an item that failed under {@link ErrorPolicy#FAIL_FAST}
     */
    public static LoadReport run(ObjectStore store, LoadRunOptions options) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(options, "options is null");
        Dataset dataset = options.source().resolve(store);
        List<EpochReport> reports = new ArrayList<>(options.epochs());
        try (DataLoader loader = DataLoader.create(store, dataset, options.loader())) {
            for (int number = 0; number < options.epochs(); number++) {
                reports.add(runEpoch(loader, number, options));
            }
        }
        return new LoadReport(options, dataset.size(), reports);
    }

    private static EpochReport runEpoch(DataLoader loader, int number, LoadRunOptions options)
            throws InterruptedIOException {
        boolean record = options.deliveryOrder() == DeliveryOrder.RECORDED;
        List<String> order = record ? new ArrayList<>() : List.of();
        Duration compute = options.computePerBatch();
        try (LoaderEpoch epoch = loader.epoch(number)) {
            while (epoch.hasNext()) {
                List<Sample> batch = epoch.next();
                if (record) {
                    for (Sample sample : batch) {
                        order.add(sample.location().toString());
                    }
                }
                emulateCompute(compute);
            }
            return new EpochReport(number, epoch.stats(), epoch.skipped(),
                    record ? Optional.of(order) : Optional.empty());
        }
    }

    /** The accelerator's time on one batch; sleeping leaves the CPU to the fetchers, as a GPU step would. */
    private static void emulateCompute(Duration compute) throws InterruptedIOException {
        if (compute.isZero()) {
            return;
        }
        try {
            Thread.sleep(compute);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during emulated compute");
        }
    }
}
