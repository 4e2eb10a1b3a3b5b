package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectStore;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Parameters;

/**
 * create-bucket and delete-bucket: one call on the container a URI names (a local path is its own directory),
 * reported under an outcome word ("created", "deleted"). A subclass only names the call and the word.
 */
abstract class ContainerCommand extends CommandBase {
    /** One call on a store's containers. */
    @FunctionalInterface
    interface ContainerAction {
        void apply(ObjectStore store, Location container) throws IOException;
    }

    @Parameters(paramLabel = "URI", description = "Bucket URI such as s3://name, az://account/name, mem://name, or a local directory.")
    String uri;

    private final String outcome;
    private final ContainerAction action;

    ContainerCommand(String outcome, ContainerAction action) {
        this.outcome = outcome;
        this.action = action;
    }

    @Override
    public final Integer call() throws Exception {
        Location container = Targets.container(Targets.location(uri));
        action.apply(store(container), container);
        Reporter reporter = newReporter();
        reporter.item(Json.object("bucket").put("uri", container.toString()).put(outcome, true),
                outcome + " " + container);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put(outcome, 1);
        return reporter.finish(summary, outcome + " " + container);
    }
}
