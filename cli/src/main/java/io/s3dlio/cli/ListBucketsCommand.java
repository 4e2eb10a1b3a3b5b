package io.s3dlio.cli;

import io.s3dlio.api.Location;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "list-buckets", description = "List the buckets/containers visible in SCOPE: s3://, gs://, az://account, mem://, or a local directory.")
final class ListBucketsCommand extends CommandBase {
    @Parameters(paramLabel = "SCOPE", description = "Scheme root (s3://), Azure account (az://account) or local directory.")
    String scope;

    @Override
    public Integer call() throws Exception {
        Location location = Targets.location(scope);
        Reporter reporter = newReporter();
        long count = 0;
        try (Stream<Location> containers = store(location).listContainers(location)) {
            for (Iterator<Location> it = containers.iterator(); it.hasNext(); ) {
                Location container = it.next();
                count++;
                reporter.item(Json.object("bucket").put("uri", container.toString()).put("name",
                        container.isLocal() ? container.name() : container.container()), container.toString());
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("buckets", count);
        return reporter.finish(summary, count + " buckets");
    }
}
