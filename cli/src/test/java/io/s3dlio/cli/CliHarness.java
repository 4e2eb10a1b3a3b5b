package io.s3dlio.cli;

import io.s3dlio.api.ObjectStores;
import io.s3dlio.config.ConfigSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Runs s3-cli command lines in-process against one shared registry (mem:// is one store per registry, so
 * commands see each other's objects), capturing stdout and stderr.
 */
final class CliHarness implements AutoCloseable {
    private final ObjectStores stores;
    private final ConfigSource config;

    CliHarness() {
        this(ConfigSource.empty());
    }

    CliHarness(ConfigSource config) {
        this.config = config;
        this.stores = ObjectStores.create(config);
    }

    ObjectStores stores() {
        return stores;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = S3Cli.execute(new CliEnvironment(stores, config, outStream, errStream,
                CliEnvironment.Terminal.NOT_INTERACTIVE), args);
        return new Result(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        stores.close();
    }

    record Result(int exitCode, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, StandardCharsets.UTF_8);
        }

        List<Map<String, Object>> json() {
            return JsonLines.parse(stdout());
        }

        /** The last JSON line, which --json guarantees is the summary (or an error). */
        Map<String, Object> summary() {
            List<Map<String, Object>> lines = json();
            return lines.get(lines.size() - 1);
        }

        List<String> lines() {
            return stdout().lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr;
        }
    }
}
