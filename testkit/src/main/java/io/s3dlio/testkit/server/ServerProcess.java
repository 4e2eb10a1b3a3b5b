package io.s3dlio.testkit.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * One test server process: started on a free loopback port with its data in a temp dir, polled until it
 * answers, stopped by PID (with its children), its directory removed. Start failures are loud: the exception
 * carries the command and the tail of the server's log. Generic so every server helper can share it.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path directory;
    private final Path log;
    private boolean closed;

    private ServerProcess(String name, Process process, Path directory, Path log) {
        this.name = name;
        this.process = process;
        this.directory = directory;
        this.log = log;
    }

    /**
     * Starts {@code command} with its output going to {@code directory/server.log}. The directory is
     * removed by {@link #close()}.
     */
    public static ServerProcess start(String name, List<String> command, Path directory) {
        requireNonNull(name, "name is null");
        requireNonNull(command, "command is null");
        requireNonNull(directory, "directory is null");
        Path log = directory.resolve("server.log");
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServerProcess(name, process, directory, log);
        } catch (IOException e) {
            deleteTree(directory);
            throw new IllegalStateException(name + " could not be started with " + command + ": " + e.getMessage(), e);
        }
    }

    /** A free TCP port on 127.0.0.1 (the OS picks it; a race with another process is possible but rare). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    /** A new temp directory for one server's data. */
    public static Path tempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp directory for " + prefix, e);
        }
    }

    /** The java launcher of the JVM running the tests, so JVM-based servers run on the same JDK. */
    public static String currentJava() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The directory Maven copies server jars into ({@code target/it-servers}, system property
     * {@code s3dlio.it.servers}), failing loudly when {@code fileName} is not there.
     */
    public static Path serverJar(String fileName) {
        Path dir = Path.of(System.getProperty("s3dlio.it.servers", "target/it-servers"));
        Path jar = dir.resolve(fileName);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: the module's build copies it there "
                    + "in the generate-test-resources phase (run the tests through Maven: ./mvnw -pl <module> test)");
        }
        return jar;
    }

    /** True when an HTTP request to {@code url} gets any response at all. */
    public static boolean answersHttp(String url) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() > 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Polls {@code ready} until it holds; fails loudly (and stops the process) on timeout or early exit. */
    public void awaitReady(BooleanSupplier ready, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (ready.getAsBoolean()) {
                return;
            }
            if (!process.isAlive()) {
                String tail = logTail();
                close();
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " before it was ready; its log ends with:\n" + tail);
            }
            if (System.nanoTime() > deadline) {
                String tail = logTail();
                close();
                throw new IllegalStateException(name + " did not become ready within " + timeout
                        + "; its log ends with:\n" + tail);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException(name + ": interrupted while waiting for it to start", e);
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public Path directory() {
        return directory;
    }

    /** The last lines of the server's log (for failure messages). */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process and its children by PID, then removes the data directory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(process.toHandle());
        deleteTree(directory);
    }

    /** Stops one process and its descendants: TERM, then KILL after 10 s. */
    public static void stop(ProcessHandle handle) {
        List<ProcessHandle> children = handle.descendants().toList();
        handle.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** Removes a directory tree, ignoring what is already gone. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // Best effort: a leftover file in /tmp must not fail the test run.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // Same: best effort.
        }
    }
}
