package io.s3dlio.cli;

import io.s3dlio.api.ObjectStore;
import picocli.CommandLine.Command;

@Command(name = "delete-bucket", aliases = "rb", description = "Delete an empty bucket/container; fails naming it when it is not empty. Absent is not an error.")
final class DeleteBucketCommand extends ContainerCommand {
    DeleteBucketCommand() {
        super("deleted", ObjectStore::deleteContainer);
    }
}
