package io.s3dlio.cli;

import io.s3dlio.api.ObjectStore;
import picocli.CommandLine.Command;

@Command(name = "create-bucket", aliases = "mb", description = "Create a bucket/container (a directory on file stores). Succeeds if it already exists and is yours.")
final class CreateBucketCommand extends ContainerCommand {
    CreateBucketCommand() {
        super("created", ObjectStore::createContainer);
    }
}
