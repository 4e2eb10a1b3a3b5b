package io.s3dlio.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "delete-bucket", aliases = "rb", description = "Delete an empty bucket/container; fails naming it when it is not empty. Absent is not an error.")
final class DeleteBucketCommand extends CommandBase {
    @Parameters(paramLabel = "URI", description = "Bucket URI such as s3://name, az://account/name, mem://name, or a local directory.")
    String uri;

    @Override
    public Integer call() throws Exception {
        return onContainer(uri, "deleted", (store, container) -> store.deleteContainer(container));
    }
}
