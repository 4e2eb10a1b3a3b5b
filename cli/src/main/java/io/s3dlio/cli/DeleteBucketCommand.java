package io.s3dlio.cli;

import io.s3dlio.api.Location;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete-bucket", aliases = "rb", description = "Delete an empty bucket/container; fails naming it when it is not empty. Absent is not an error.")
final class DeleteBucketCommand extends CommandBase {
    @Parameters(paramLabel = "URI", description = "Bucket URI such as s3://name, az://account/name, mem://name, or a local directory.")
    String uri;

    @Override
    public Integer call() throws Exception {
        Location location = Targets.location(uri);
        Location container = location.isLocal() ? location : location.containerRoot();
        store(container).deleteContainer(container);
        Reporter reporter = newReporter();
        reporter.item(Json.object("bucket").put("uri", container.toString()).put("deleted", true), "deleted " + container);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("deleted", 1);
        return reporter.finish(summary, "deleted " + container);
    }
}
