package io.s3dlio.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "create-bucket", aliases = "mb", description = "Create a bucket/container (a directory on file stores). Succeeds if it already exists and is yours.")
final class CreateBucketCommand extends CommandBase {
    @Parameters(paramLabel = "URI", description = "Bucket URI such as s3://name, az://account/name, mem://name, or a local directory.")
    String uri;

    @Override
    public Integer call() throws Exception {
        return onContainer(uri, "created", (store, container) -> store.createContainer(container));
    }
}
