package io.s3dlio.cli;

import io.s3dlio.api.Location;
import io.s3dlio.api.ObjectInfo;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stat", description = "Show an object's metadata: size, last-modified, ETag, content type, user metadata.")
final class StatCommand extends CommandBase {
    @Parameters(paramLabel = "URI", description = "Object URI or local path.")
    String uri;

    @Override
    public Integer call() throws Exception {
        Location location = Targets.location(uri);
        ObjectInfo info = store(location).stat(location);
        Map<String, String> metadata = new TreeMap<>(info.metadata());
        if (json()) {
            env().out().println(Json.object("stat").put("uri", info.location().toString()).put("size", info.size())
                    .put("lastModified", info.lastModified()).put("etag", info.etag())
                    .put("contentType", info.contentType()).put("metadata", metadata)
                    .put("storageClass", info.storageClass()).put("version", info.version())
                    .put("crc32c", info.crc32c()));
            return ExitCodes.OK;
        }
        StringBuilder out = new StringBuilder();
        line(out, "uri", info.location().toString());
        line(out, "size", Long.toString(info.size()));
        info.lastModified().ifPresent(t -> line(out, "last-modified", t.toString()));
        info.etag().ifPresent(e -> line(out, "etag", e));
        info.contentType().ifPresent(c -> line(out, "content-type", c));
        info.storageClass().ifPresent(c -> line(out, "storage-class", c));
        info.version().ifPresent(v -> line(out, "version", v));
        info.crc32c().ifPresent(c -> line(out, "crc32c", c));
        metadata.forEach((k, v) -> line(out, "metadata." + k, v));
        env().out().print(out);
        return ExitCodes.OK;
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "%-14s %s%n", name + ":", value));
    }
}
