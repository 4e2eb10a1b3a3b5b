package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import io.s3dlio.format.TfRecordIndex;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tfrecord-index", description =
        "Build the DALI index of a TFRecord file (one 'offset size' line per record) by walking its record headers "
        + "with range reads (record data larger than the 8 MiB window is skipped, never downloaded) and write it to "
        + "INDEX_URI (default: URI.idx). Each length's CRC-32C is checked; a corrupt header fails naming its offset.")
final class TfRecordIndexCommand extends CommandBase {
    @Parameters(index = "0", paramLabel = "URI", description = "The TFRecord file.")
    String uri;

    @Parameters(index = "1", arity = "0..1", paramLabel = "INDEX_URI", description = "Where to write the index (default: URI.idx).")
    String indexUri;

    @Override
    public Integer call() throws Exception {
        Location file = Targets.location(uri);
        Location target = indexUri != null ? Targets.location(indexUri) : TfRecordIndex.defaultLocation(file);
        ObjectStore store = store(file);
        long started = System.nanoTime();
        TfRecordIndex index = TfRecordIndex.build(store, file);
        store(target).put(target, java.nio.ByteBuffer.wrap(index.toText().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                io.s3dlio.api.WriteOptions.DEFAULT);
        long bytes = index.entries().isEmpty() ? 0
                : index.entries().getLast().offset() + index.entries().getLast().size();
        Reporter reporter = newReporter();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("uri", file.toString());
        summary.put("index", target.toString());
        summary.put("records", index.size());
        summary.put("bytes", bytes);
        summary.put("seconds", (System.nanoTime() - started) / 1e9);
        return reporter.finish(summary, "indexed " + index.size() + " records of " + file + " into " + target);
    }
}
