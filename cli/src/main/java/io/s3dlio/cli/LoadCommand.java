package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.loader.LastBatch;
import io.s3dlio.loader.LoaderOptions;
import io.s3dlio.loader.LoaderStats;
import io.s3dlio.workload.DatasetSource;
import io.s3dlio.workload.DeliveryOrder;
import io.s3dlio.workload.EpochReport;
import io.s3dlio.workload.LoadReport;
import io.s3dlio.workload.LoadRun;
import io.s3dlio.workload.LoadRunOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "load", description =
        "Run the data loader over every object under URI (or the URIs in --keylist) the way storage benchmarks do:"
        + " batches fetched by concurrent workers while an emulated accelerator computes --compute-ms per batch."
        + " Reports items, batches, bytes, MB/s, consumer wait and accelerator utilisation per epoch."
        + " With --records, the items are the TFRecord records or NPZ arrays inside the files."
        + " Rank and world size default to the launcher's (torchrun, Open MPI, PMI, Slurm).")
final class LoadCommand extends CommandBase {
    @Parameters(paramLabel = "URI", description = "Prefix to load (one listing), or with --keylist the store to load from.")
    String uri;

    @Option(names = "--batch-size", paramLabel = "N", description = "Items per batch (default ${DEFAULT-VALUE}).")
    int batchSize = LoaderOptions.DEFAULT_BATCH_SIZE;

    @Option(names = "--workers", paramLabel = "N",
            description = "Fetches in flight at once (default S3DLIO_LOADER_NUM_WORKERS, else 8).")
    Integer workers;

    @Option(names = "--prefetch", paramLabel = "BATCHES", description = "Batches fetched ahead of the consumer (default ${DEFAULT-VALUE}).")
    int prefetch = LoaderOptions.DEFAULT_PREFETCH;

    @Option(names = "--shuffle", description = "Shuffle each epoch (seeded by --seed and the epoch number).")
    boolean shuffle;

    @Option(names = "--seed", paramLabel = "S", description = "Shuffle seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--drop-last", description = "Drop each shard's final short batch.")
    boolean dropLast;

    @Option(names = "--epochs", paramLabel = "E", description = "Epochs to run (default ${DEFAULT-VALUE}).")
    int epochs = 1;

    @Option(names = "--rank", paramLabel = "R", description = "This process's rank (with --world-size).")
    Integer rank;

    @Option(names = "--world-size", paramLabel = "W", description = "Number of ranks (with --rank).")
    Integer worldSize;

    @Option(names = "--compute-ms", paramLabel = "T", description = "Emulated compute time per batch in ms (default ${DEFAULT-VALUE}).")
    double computeMs;

    @Option(names = "--keylist", paramLabel = "FILE", description = "Load the URIs in FILE (one per line; blank and # lines skipped).")
    Path keyList;

    @Option(names = "--order", description = "With --json: list each epoch's URIs in delivery order.")
    boolean order;

    @Option(names = "--records", paramLabel = "FORMAT", description = "Items are the records inside each file instead of"
            + " whole objects: tfrecord (each record, located through FILE.idx when present, else a header scan) or npz"
            + " (each array member). Each batch reads its records with range requests, never whole files.")
    String records;

    @Override
    public Integer call() throws Exception {
        if ((rank == null) != (worldSize == null)) {
            throw new IllegalArgumentException("--rank and --world-size go together: give both or neither");
        }
        if (computeMs < 0 || !Double.isFinite(computeMs)) {
            throw new IllegalArgumentException("--compute-ms must be a non-negative number, got " + computeMs);
        }
        Location location = Targets.directoryAware(uri);
        DatasetSource.RecordKind recordKind = records == null ? null : DatasetSource.RecordKind.parse(records);
        LoaderOptions.Builder loader = LoaderOptions.builder(env().config()).batchSize(batchSize).prefetch(prefetch)
                .seed(seed).lastBatch(dropLast ? LastBatch.DROP : LastBatch.KEEP);
        if (shuffle) {
            loader.shuffle(seed);
        }
        if (workers != null) {
            loader.numWorkers(workers);
        }
        if (rank != null) {
            loader.shard(rank, worldSize);
        }
        DatasetSource source = keyList != null
                ? new DatasetSource.KeyList(keyList.toAbsolutePath())
                : new DatasetSource.Prefix(location);
        if (recordKind != null) {
            source = new DatasetSource.Records(source, recordKind);
        }
        LoadRunOptions options = new LoadRunOptions(source, loader.build(), epochs,
                Duration.ofNanos(Math.round(computeMs * 1e6)), order ? DeliveryOrder.RECORDED : DeliveryOrder.OMITTED);
        LoadReport report = LoadRun.run(store(location), options);
        if (!json()) {
            env().out().print(report.toText());
            if (root.verbosity() > 0) {
                EndpointLines.print(root.connection.endpointStatistics(), env().err());
            }
            Reporter.latencyLines(root.latencies()).forEach(env().out()::println);
            return ExitCodes.OK;
        }
        for (EpochReport epoch : report.epochs()) {
            Json line = stats(Json.object("epoch").put("epoch", epoch.epoch()), epoch.stats());
            line.put("skippedItems", epoch.skipped().stream()
                    .map(skipped -> Map.of("uri", skipped.location().toString(), "reason", skipped.reason())).toList());
            epoch.order().ifPresent(uris -> line.put("order", uris));
            env().out().println(line);
        }
        LoaderOptions used = options.loader();
        Json summary = Json.object("summary").put("uri", location.toString()).put("datasetSize", report.datasetSize())
                .put("rank", used.shard().rank()).put("worldSize", used.shard().worldSize())
                .put("batchSize", used.batchSize()).put("workers", used.numWorkers()).put("prefetch", used.prefetch())
                .put("shuffle", shuffle).put("seed", seed).put("dropLast", dropLast).put("computeMs", computeMs)
                .put("records", recordKind == null ? "objects" : recordKind.name().toLowerCase(Locale.ROOT))
                .put("epochs", report.epochs().size());
        if (!root.connection.endpointStatistics().isEmpty()) {
            summary.put("endpoints", EndpointLines.json(root.connection.endpointStatistics()));
        }
        Reporter.addLatencies(summary, root.latencies());
        env().out().println(stats(summary, report.total()));
        return ExitCodes.OK;
    }

    private static Json stats(Json json, LoaderStats stats) {
        return json.put("items", stats.items()).put("batches", stats.batches()).put("bytes", stats.bytes())
                .put("skipped", stats.skipped()).put("seconds", stats.elapsed().toNanos() / 1e9)
                .put("mbPerSecond", stats.bytesPerSecond() / 1e6).put("itemsPerSecond", stats.itemsPerSecond())
                .put("consumerWaitSeconds", stats.consumerWait().toNanos() / 1e9)
                .put("acceleratorUtilisation", stats.utilisation());
    }
}
