package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.engine.transfer.TransferEngine;
import io.s3dlio.engine.transfer.TransferHandle;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferResult;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the environment, the global options, stores from the registry. */
abstract class CommandBase implements Callable<Integer> {
    /** What commands decide (jobs, server-side copy, seeds), shown with -v. */
    static final Logger LOG = Logger.getLogger("io.s3dlio.cli");

    @ParentCommand
    S3Cli root;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    final CliEnvironment env() {
        return root.env();
    }

    final boolean json() {
        return root.json();
    }

    final ObjectStore store(Location location) throws IOException {
        return root.connection.used(env().stores().forLocation(location));
    }

    final Reporter newReporter() {
        return new Reporter(env(), spec.name(), json(), root.latencies()).withEndpoints(root.connection::endpointStatistics,
                root.verbosity() > 0);
    }

    final Progress newProgress(String label) {
        return Progress.start(label, env().err(), env().terminal() == CliEnvironment.Terminal.INTERACTIVE && !json());
    }

    /**
     * Fails fast with {@link io.s3dlio.api.ContainerNotFoundException} (exit 3) when the bucket a bulk write
     * targets is missing, instead of reporting every object as failed. Local directories are created on write.
     */
    final void requireContainer(ObjectStore store, Location target) throws IOException {
        if (target.isLocal()) {
            return;
        }
        // S3: one lean HEAD bucket; a listing built the whole SDK client for this one request.
        io.s3dlio.spi.ContainerProbe.require(store, target);
    }

    /** A transfer engine over this command's stores; the command closes it. */
    final TransferEngine newTransferEngine() {
        // through store(): the stores used are the ones -v/--json report on
        TransferEngine.Builder builder = TransferEngine.builder(this::store)
                .fsync(env().config().booleanValue(TransferEngine.FSYNC).orElse(true));
        env().config().booleanValue(TransferEngine.DIRECT_WRITES).ifPresent(builder::directWrites);
        return root.track(builder.build());
    }

    /** Waits for a transfer; an interrupt (Ctrl-C) cancels it. */
    static TransferResult await(TransferHandle handle) throws InterruptedException {
        return handle.await();
    }

    /** Starts one transfer on the command's engine, reporting to the one listener it is given. */
    @FunctionalInterface
    interface TransferStart {
        TransferHandle start(TransferEngine engine, TransferListener listener) throws Exception;
    }

    /**
     * Runs one transfer the way every transfer command does: on a new engine, with a progress line labelled
     * {@code label}, each finished item printed by {@code printer} and each failed one recorded by
     * {@code reporter}; waits for it (Ctrl-C cancels it).
     */
    final TransferResult transfer(String label, Reporter reporter, TransferOutput.ItemPrinter printer, TransferStart start)
            throws Exception {
        try (Progress progress = newProgress(label); TransferEngine engine = newTransferEngine()) {
            return await(start.start(engine, new TransferOutput(progress, reporter, printer)));
        }
    }

    /**
     * For commands on one object: its failure, thrown as the command's own error, so the exit code says what
     * went wrong (not found, denied...) as it did before the transfer engine.
     */
    static TransferResult single(TransferResult result) throws Exception {
        if (!result.failures().isEmpty()) {
            Throwable cause = result.failures().getFirst().cause();
            if (cause instanceof Exception e) {
                throw e;
            }
            throw (Error) cause;
        }
        return result;
    }

    /** Effective jobs for work whose size is not known up front (it comes from a listing). */
    final int jobs(Integer flag, Location... locations) {
        return jobs(flag, -1, 0, locations);
    }

    /** Effective jobs for {@code objectCount} objects of {@code totalBytes} in all. */
    final int jobs(Integer flag, long objectCount, long totalBytes, Location... locations) {
        return Jobs.effective(flag == null ? OptionalInt.empty() : OptionalInt.of(flag), env().config(), List.of(locations),
                objectCount, totalBytes);
    }
}
