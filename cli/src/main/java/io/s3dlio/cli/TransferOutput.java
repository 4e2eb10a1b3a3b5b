package io.s3dlio.cli;

import io.s3dlio.engine.transfer.ItemDone;
import io.s3dlio.engine.transfer.ItemFailure;
import io.s3dlio.engine.transfer.TransferListener;
import io.s3dlio.engine.transfer.TransferSnapshot;

/**
 * The one listener a command hands the transfer engine: it feeds the progress line, prints each finished
 * item as the command wants (or nothing), and records failed items with the {@link Reporter}.
 */
final class TransferOutput implements TransferListener {
    /** Prints one finished item, or nothing. */
    @FunctionalInterface
    interface ItemPrinter {
        void print(ItemDone item);
    }

    static final ItemPrinter SILENT = item -> {};

    private final Progress progress;
    private final Reporter reporter;
    private final ItemPrinter printer;

    TransferOutput(Progress progress, Reporter reporter, ItemPrinter printer) {
        this.progress = progress;
        this.reporter = reporter;
        this.printer = printer;
    }

    @Override
    public void started(TransferSnapshot snapshot) {
        if (snapshot.expectedObjects().isPresent()) {
            progress.expect(snapshot.expectedObjects().getAsLong(), snapshot.expectedBytes());
        }
    }

    @Override
    public void bytesTransferred(long bytes, TransferSnapshot snapshot) {
        progress.addBytes(bytes);
    }

    @Override
    public void itemDone(ItemDone item, TransferSnapshot snapshot) {
        progress.addObject();
        printer.print(item);
    }

    @Override
    public void itemFailed(ItemFailure failure, TransferSnapshot snapshot) {
        reporter.fail(failure.item(), failure.cause());
        // A clean-up that failed (an AbortMultipartUpload naming its upload id) is printed now, not with the
        // summary: after Ctrl-C the process may end before a summary is printed.
        reporter.cleanupFailed(failure.item(), failure.cause());
    }
}
