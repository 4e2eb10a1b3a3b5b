package io.s3dlio.cli;

import io.s3dlio.api.Location;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "create-bucket", aliases = "mb", description = "Create a bucket/container (a directory on file stores). Succeeds if it already exists and is yours.")
final class CreateBucketCommand extends CommandBase {
    @Parameters(paramLabel = "URI", description = "Bucket URI such as s3://name, az://account/name, mem://name, or a local directory.")
    String uri;

    @Override
    public Integer call() throws Exception {
        Location location = Targets.location(uri);
        Location container = location.isLocal() ? location : location.containerRoot();
        store(container).createContainer(container);
        Reporter reporter = newReporter();
        reporter.item(Json.object("bucket").put("uri", container.toString()).put("created", true), "created " + container);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("created", 1);
        return reporter.finish(summary, "created " + container);
    }
}
