package io.s3dlio.format;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's Python (/usr/bin/python3, which sees the apt-installed python3-numpy, python3-h5py and
 * python3-crcmod) on a script: the independent reference readers. A missing interpreter or module FAILS the
 * test, naming the package to install; it never skips.
 */
final class Python {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    private Python() {
    }

    record Result(int exitCode, String output) {
    }

    /** Runs {@code script} with {@code args}; fails the test when Python or a module is missing. */
    static Result run(String script, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: apt-get install python3 python3-numpy python3-h5py python3-crcmod");
        }
        Path file = Files.createTempFile("s3dlio-check-", ".py");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(PYTHON.toString(), file.toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("python check did not end: " + output);
            }
            if (output.contains("ModuleNotFoundError")) {
                fail("a Python module is missing (apt-get install python3-numpy python3-h5py python3-crcmod): " + output);
            }
            return new Result(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Runs {@code script} and fails the test unless it exits 0; returns its output. */
    static String check(String script, String... args) throws IOException, InterruptedException {
        Result result = run(script, args);
        if (result.exitCode() != 0) {
            fail("python check failed (exit " + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }
}
