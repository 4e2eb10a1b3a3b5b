package io.s3dlio.cli;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Standard output that remembers why it failed. {@link PrintStream} swallows write errors, which let
 * {@code get > /dev/full} exit 0; this one keeps the first {@link IOException} so a command can stop writing
 * at once ({@link #check}) and the command line can exit with it. A reader that went away ({@code | head})
 * is told apart from a real failure ({@link #readerGone}): that one ends the command quietly.
 */
final class Stdout extends PrintStream {
    private final Recorder recorder;

    private Stdout(Recorder recorder, int bufferSize) {
        super(new BufferedOutputStream(recorder, bufferSize), false, StandardCharsets.UTF_8);
        this.recorder = recorder;
    }

    /** Standard output over {@code target}, buffered. */
    static Stdout over(OutputStream target) {
        return new Stdout(new Recorder(target), 1 << 16);
    }

    /** Why writing failed, or null while it has not. */
    IOException failure() {
        return recorder.failure;
    }

    /**
     * Throws {@link StdoutException} when {@code out} is a {@link Stdout} that failed; checks without flushing,
     * so it costs nothing per line.
     */
    static void check(PrintStream out) {
        if (out instanceof Stdout stdout && stdout.recorder.failure != null) {
            throw new StdoutException(stdout.recorder.failure);
        }
    }

    /** Flushes {@code out} and throws {@link StdoutException} if any write to it failed. */
    static void flushAndCheck(PrintStream out) {
        out.flush();
        check(out);
        if (!(out instanceof Stdout) && out.checkError()) {
            throw new StdoutException(new IOException("write error"));
        }
    }

    /** Whether {@code failure} says the reading end of a pipe closed (EPIPE), as {@code head} does. */
    static boolean readerGone(IOException failure) {
        String message = failure.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("broken pipe");
    }

    /** A failed write to standard output (exit 5, or quiet when the reader went away). */
    static final class StdoutException extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        StdoutException(IOException cause) {
            super("cannot write to stdout: " + cause.getMessage(), cause);
        }

        boolean readerGone() {
            return Stdout.readerGone(getCause());
        }
    }

    private static final class Recorder extends FilterOutputStream {
        private volatile IOException failure;

        Recorder(OutputStream target) {
            super(target);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            if (failure != null) {
                throw failure; // once failed, stay failed: nothing after a gap may land
            }
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            if (failure != null) {
                throw failure;
            }
            try {
                out.flush();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
