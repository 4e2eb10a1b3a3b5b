package io.s3dlio.testkit.python;

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
public final class ReferencePython {
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /**
     * An independent TFRecord reader (CRC-32C from python3-crcmod), run on a file path: prints "offset size sha256"
     * per record (offset and size as in a DALI index), then "records N"; exits 3 naming the offset of a corrupt
     * or truncated record.
     */
    public static final String TFRECORD_READER = """
            import sys, struct, hashlib, crcmod.predefined
            crc32c = crcmod.predefined.mkCrcFun('crc-32c')
            def masked(data):
                c = crc32c(data)
                return (((c >> 15) | (c << 17)) + 0xa282ead8) & 0xffffffff
            data = open(sys.argv[1], 'rb').read()
            pos = 0
            out = []
            while pos < len(data):
                if len(data) - pos < 12:
                    print('truncated header at', pos); sys.exit(3)
                header = data[pos:pos + 8]
                (length,) = struct.unpack('<Q', header)
                (lcrc,) = struct.unpack('<I', data[pos + 8:pos + 12])
                if lcrc != masked(header):
                    print('bad length crc at', pos); sys.exit(3)
                body = data[pos + 12:pos + 12 + length]
                if len(body) != length or len(data) < pos + 16 + length:
                    print('truncated record at', pos); sys.exit(3)
                (dcrc,) = struct.unpack('<I', data[pos + 12 + length:pos + 16 + length])
                if dcrc != masked(body):
                    print('bad data crc at', pos); sys.exit(3)
                out.append('%d %d %s' % (pos, 16 + length, hashlib.sha256(body).hexdigest()))
                pos += 16 + length
            print('\\n'.join(out))
            print('records', len(out))
            """;

    private ReferencePython() {
    }

    private static void fail(String message) {
        throw new AssertionError(message);
    }

    /** Exit code and combined stdout/stderr. */
    public record Result(int exitCode, String output) {
    }

    /** Runs {@code script} with {@code args}; fails the test when Python or a module is missing. */
    public static Result run(String script, String... args) throws IOException, InterruptedException {
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
    public static String check(String script, String... args) throws IOException, InterruptedException {
        Result result = run(script, args);
        if (result.exitCode() != 0) {
            fail("python check failed (exit " + result.exitCode() + "):\n" + result.output());
        }
        return result.output();
    }
}
