package io.s3dlio.workload;

import static java.util.Objects.requireNonNull;

import io.s3dlio.loader.LastBatch;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.loader.LoaderStats;
import io.s3dlio.loader.Order;
import io.s3dlio.loader.SkippedItem;
import io.s3dlio.text.JsonStrings;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The result of a {@link LoadRun}: the settings used and one {@link EpochReport} per epoch, printable as text or
 * JSON.
 */
public record LoadReport(LoadRunOptions options, int datasetSize, List<EpochReport> epochs) {
    public LoadReport {
        requireNonNull(options, "options is null");
        epochs = List.copyOf(requireNonNull(epochs, "epochs is null"));
    }

    /** The epochs' statistics added up. */
    public LoaderStats total() {
        LoaderStats total = LoaderStats.ZERO;
        for (EpochReport epoch : epochs) {
            total = total.plus(epoch.stats());
        }
        return total;
    }

    /** One line per epoch and a total, for people. */
    public String toText() {
        LoaderOptions loader = options.loader();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT,
                "dataset %d objects; rank %d of %d; batch %d, workers %d, prefetch %d, %s%s, last batch %s, compute %d ms/batch%n",
                datasetSize, loader.shard().rank(), loader.shard().worldSize(), loader.batchSize(), loader.numWorkers(),
                loader.prefetch(), loader.order().name().toLowerCase(Locale.ROOT),
                loader.order() == Order.SHUFFLED ? " (seed " + loader.seed() + ")" : "",
                loader.lastBatch().name().toLowerCase(Locale.ROOT), options.computePerBatch().toMillis()));
        for (EpochReport epoch : epochs) {
            out.append(line("epoch " + epoch.epoch(), epoch.stats()));
            for (SkippedItem skipped : epoch.skipped()) {
                out.append("  skipped ").append(skipped.location()).append(": ").append(skipped.reason()).append('\n');
            }
        }
        if (epochs.size() > 1) {
            out.append(line("total", total()));
        }
        return out.toString();
    }

    private static String line(String label, LoaderStats stats) {
        return String.format(Locale.ROOT,
                "%s: %d items, %d batches, %d bytes in %.3f s = %.1f MB/s, %.0f items/s; consumer wait %.3f s;"
                        + " accelerator utilisation %.1f%%%s%n",
                label, stats.items(), stats.batches(), stats.bytes(), seconds(stats.elapsed()),
                stats.bytesPerSecond() / 1e6, stats.itemsPerSecond(), seconds(stats.consumerWait()),
                stats.utilisation() * 100, stats.skipped() > 0 ? "; " + stats.skipped() + " skipped" : "");
    }

    /** The same as JSON (one object), with the URIs per epoch when the order was recorded. */
    public String toJson() {
        LoaderOptions loader = options.loader();
        StringBuilder out = new StringBuilder(256);
        out.append("{\"datasetSize\":").append(datasetSize)
                .append(",\"rank\":").append(loader.shard().rank())
                .append(",\"worldSize\":").append(loader.shard().worldSize())
                .append(",\"batchSize\":").append(loader.batchSize())
                .append(",\"workers\":").append(loader.numWorkers())
                .append(",\"prefetch\":").append(loader.prefetch())
                .append(",\"shuffle\":").append(loader.order() == Order.SHUFFLED)
                .append(",\"seed\":").append(loader.seed())
                .append(",\"dropLast\":").append(loader.lastBatch() == LastBatch.DROP)
                .append(",\"computeMs\":").append(number(options.computePerBatch().toNanos() / 1e6))
                .append(",\"epochs\":[");
        for (int i = 0; i < epochs.size(); i++) {
            EpochReport epoch = epochs.get(i);
            out.append(i == 0 ? "" : ",").append("{\"epoch\":").append(epoch.epoch());
            stats(out, epoch.stats());
            out.append(",\"skippedItems\":[");
            for (int s = 0; s < epoch.skipped().size(); s++) {
                SkippedItem skipped = epoch.skipped().get(s);
                out.append(s == 0 ? "" : ",").append("{\"uri\":").append(string(skipped.location().toString()))
                        .append(",\"reason\":").append(string(skipped.reason())).append('}');
            }
            out.append(']');
            if (epoch.order().isPresent()) {
                out.append(",\"order\":[");
                List<String> uris = epoch.order().get();
                for (int u = 0; u < uris.size(); u++) {
                    out.append(u == 0 ? "" : ",").append(string(uris.get(u)));
                }
                out.append(']');
            }
            out.append('}');
        }
        out.append("],\"total\":{");
        out.append("\"epochs\":").append(epochs.size());
        stats(out, total());
        out.append("}}");
        return out.toString();
    }

    private static void stats(StringBuilder out, LoaderStats stats) {
        out.append(",\"items\":").append(stats.items())
                .append(",\"batches\":").append(stats.batches())
                .append(",\"bytes\":").append(stats.bytes())
                .append(",\"skipped\":").append(stats.skipped())
                .append(",\"seconds\":").append(number(seconds(stats.elapsed())))
                .append(",\"mbPerSecond\":").append(number(stats.bytesPerSecond() / 1e6))
                .append(",\"itemsPerSecond\":").append(number(stats.itemsPerSecond()))
                .append(",\"consumerWaitSeconds\":").append(number(seconds(stats.consumerWait())))
                .append(",\"acceleratorUtilisation\":").append(number(stats.utilisation()));
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    /** A JSON string literal. */
    static String string(String text) {
        return JsonStrings.quote(text);
    }
}
