package io.s3dlio.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Azurite (the Azure Storage emulator), blob service only, in memory, on a free port of 127.0.0.1. It installs
 * the pinned version from npm into {@code <repo>/tools/azurite} the first time (a file lock keeps parallel
 * builds from installing twice), starts {@code node .../blob/main.js} directly so the recorded PID is the
 * server's, waits until it answers, and stops that PID on {@link #close()}. Anything that prevents a start
 * throws {@link IllegalStateException} with the reason and the server's log: tests never skip.
 */
public final class AzuriteServer implements AutoCloseable {
    public static final String VERSION = "3.37.0";
    public static final String ACCOUNT = "devstoreaccount1";
    /** The emulator's published development key (documented by Microsoft; not a secret). */
    public static final String ACCOUNT_KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    /**
     * The REST API version clients should pin: the SDK's default is newer than Azurite knows, and although
     * {@code --skipApiVersionCheck} lets it through, the emulator's newest version is the honest choice.
     */
    public static final String SERVICE_VERSION = "2026-06-06";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;

    private AzuriteServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Installs Azurite if needed and starts it; fails loudly if either cannot be done. */
    public static AzuriteServer start() {
        Path prefix = repositoryRoot().resolve("tools").resolve("azurite");
        Path main = install(prefix);
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return launch(main);
            } catch (IllegalStateException e) {
                // Another process may have taken the free port between the probe and the bind: try a new one.
                last = e;
            }
        }
        throw last;
    }

    private static AzuriteServer launch(Path main) {
        int port = freePort();
        Path log;
        try {
            log = Files.createTempFile("azurite-" + port + "-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file for Azurite", e);
        }
        List<String> command = List.of("node", main.toString(), "--blobHost", "127.0.0.1", "--blobPort",
                Integer.toString(port), "--inMemoryPersistence", "--skipApiVersionCheck", "--disableTelemetry", "--silent");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Azurite (" + String.join(" ", command)
                    + "); is Node.js (node) on the PATH? " + e.getMessage(), e);
        }
        AzuriteServer server = new AzuriteServer(process, port, log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Azurite " + VERSION + " exited with status " + process.exitValue()
                        + " while starting on port " + port + "; its log:\n" + server.logText());
            }
            if (answers(port)) {
                return server;
            }
            sleep(100);
        }
        server.close();
        throw new IllegalStateException("Azurite " + VERSION + " did not answer on 127.0.0.1:" + port + " within "
                + START_TIMEOUT.toSeconds() + " s; its log:\n" + server.logText());
    }

    /** Ready means the blob service answers HTTP (any status: an unauthenticated request gets 403). */
    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write(("GET /" + ACCOUNT + "?comp=list HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ");
        } catch (IOException e) {
            return false;
        }
    }

    /** Installs the pinned Azurite under {@code prefix} unless it is there; returns the blob server's main.js. */
    @SuppressWarnings("try") // the lock is held for the block, never read
    static Path install(Path prefix) {
        Path main = prefix.resolve("node_modules/azurite/dist/src/blob/main.js");
        Path packageJson = prefix.resolve("node_modules/azurite/package.json");
        try {
            Files.createDirectories(prefix);
            try (FileChannel channel = FileChannel.open(prefix.resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                    FileLock lock = channel.lock()) {
                if (Files.exists(main) && installedVersion(packageJson).equals(VERSION)) {
                    return main;
                }
                Path npmLog = prefix.resolve("npm-install.log");
                List<String> command = List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        prefix.toString(), "azurite@" + VERSION);
                Process npm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
                if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    npm.destroyForcibly();
                    throw new IllegalStateException("npm install azurite@" + VERSION + " took longer than "
                            + INSTALL_TIMEOUT.toMinutes() + " min; see " + npmLog);
                }
                if (npm.exitValue() != 0 || !Files.exists(main)) {
                    throw new IllegalStateException("'" + String.join(" ", command) + "' failed (status " + npm.exitValue()
                            + "); its output:\n" + Files.readString(npmLog));
                }
                return main;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot install Azurite " + VERSION + " into " + prefix + " (needs npm and the "
                    + "npm registry): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing Azurite into " + prefix, e);
        }
    }

    private static String installedVersion(Path packageJson) throws IOException {
        if (!Files.exists(packageJson)) {
            return "";
        }
        String text = Files.readString(packageJson);
        int key = text.indexOf("\"version\"");
        if (key < 0) {
            return "";
        }
        int open = text.indexOf('"', text.indexOf(':', key) + 1);
        int close = text.indexOf('"', open + 1);
        return open < 0 || close < 0 ? "" : text.substring(open + 1, close);
    }

    /** The directory holding {@code mvnw}: tests run with a module directory as working directory. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path at = dir; at != null; at = at.getParent()) {
            if (Files.exists(at.resolve("mvnw")) && Files.exists(at.resolve("pom.xml"))) {
                return at;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with mvnw) above " + dir);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Azurite", e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The blob endpoint with the account as its path, as the emulator expects. */
    public String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /** A connection string for the development account on this server. */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + ACCOUNT_KEY
                + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** The settings that point a store registry at this server: its connection string and the service version it speaks. */
    public Map<String, String> settings() {
        return Map.of("AZURE_STORAGE_CONNECTION_STRING", connectionString(), "S3DLIO_AZURE_SERVICE_VERSION", SERVICE_VERSION);
    }

    public String description() {
        return "Azurite " + VERSION + " (pid " + pid() + ") at " + blobEndpoint();
    }

    private String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** Stops the server by its PID (TERM, then KILL after 10 s) and removes its log. Idempotent. */
    @Override
    public void close() {
        ProcessHandle handle = process.toHandle();
        if (handle.isAlive()) {
            handle.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    handle.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover temp log is harmless.
        }
    }
}
