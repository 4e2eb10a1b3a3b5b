package io.s3dlio.testkit.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Ceph cluster (one monitor, one memstore OSD, radosgw) on 127.0.0.1 with free ports, its
 * state in a temp dir, auth off, and an S3 user {@code test}/{@code testtest}. Needs the Debian packages
 * {@code ceph-mon ceph-osd radosgw} (bin/lib/install-radosgw.sh); fails loudly when they are missing or the
 * cluster does not come up. About 10-20 s to start; one per test class.
 */
public final class RadosGwServer implements AutoCloseable {
    public static final String ACCESS_KEY = "test";
    public static final String SECRET_KEY = "testtest";

    private final Path directory;
    private final List<ServerProcess> daemons;
    private final int port;

    private RadosGwServer(Path directory, List<ServerProcess> daemons, int port) {
        this.directory = directory;
        this.daemons = daemons;
        this.port = port;
    }

    public static RadosGwServer start() {
        for (String tool : List.of("monmaptool", "ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "ceph")) {
            if (!onPath(tool)) {
                throw new IllegalStateException("radosgw tests need '" + tool + "' on the PATH: run "
                        + "bin/lib/install-radosgw.sh (apt-get install ceph-mon ceph-osd radosgw)");
            }
        }
        Path dir = ServerProcess.tempDirectory("radosgw-");
        List<ServerProcess> daemons = new ArrayList<>();
        int monPort = ServerProcess.freePort();
        int port = ServerProcess.freePort();
        try {
            String fsid = UUID.randomUUID().toString();
            Path conf = writeConfig(dir, fsid, monPort, port);
            String osdUuid = UUID.randomUUID().toString();
            run(dir, List.of("monmaptool", "--create", "--add", "a", "v2:127.0.0.1:" + monPort, "--fsid", fsid,
                    dir.resolve("monmap").toString()));
            run(dir, List.of("ceph-mon", "--mkfs", "-i", "a", "--monmap", dir.resolve("monmap").toString(),
                    "-c", conf.toString()));
            daemons.add(daemon(dir, "ceph-mon", List.of("ceph-mon", "-f", "-i", "a", "-c", conf.toString())));
            run(dir, List.of("ceph", "-c", conf.toString(), "--connect-timeout", "60", "osd", "new", osdUuid));
            run(dir, List.of("ceph-osd", "-i", "0", "--mkfs", "--osd-uuid", osdUuid, "-c", conf.toString()));
            daemons.add(daemon(dir, "ceph-osd", List.of("ceph-osd", "-f", "-i", "0", "-c", conf.toString())));
            ServerProcess rgw = daemon(dir, "radosgw", List.of("radosgw", "-f", "-n", "client.rgw", "-c", conf.toString()));
            daemons.add(rgw);
            rgw.awaitReady(() -> ServerProcess.answersHttp("http://127.0.0.1:" + port + "/"), Duration.ofSeconds(120));
            run(dir, List.of("radosgw-admin", "-c", conf.toString(), "user", "create", "--uid=test", "--display-name=test",
                    "--access-key=" + ACCESS_KEY, "--secret-key=" + SECRET_KEY));
            return new RadosGwServer(dir, daemons, port);
        } catch (RuntimeException e) {
            stopAll(daemons);
            String logs = logTails(dir);
            ServerProcess.deleteTree(dir);
            throw new IllegalStateException("radosgw cluster did not start: " + e.getMessage() + logs, e);
        }
    }

    private static Path writeConfig(Path dir, String fsid, int monPort, int port) {
        String d = dir.toString();
        String text = String.join("\n",
                "[global]",
                "fsid = " + fsid,
                "mon host = v2:127.0.0.1:" + monPort,
                "public addr = 127.0.0.1",
                "auth cluster required = none",
                "auth service required = none",
                "auth client required = none",
                "osd pool default size = 1",
                "osd pool default min size = 1",
                "osd pool default pg num = 8",
                "osd pool default pgp num = 8",
                "osd pool default pg autoscale mode = off",
                "mon allow pool size one = true",
                "osd crush chooseleaf type = 0",
                "run dir = " + d + "/run",
                "admin socket = " + d + "/run/$name.asok",
                "log file = " + d + "/log/$name.log",
                "pid file = " + d + "/run/$name.pid",
                "keyring = /dev/null",
                "[mon]",
                "mon data = " + d + "/$name",
                // Busy CI disks otherwise make the monitor refuse to run ("low on available space").
                "mon data avail warn = 1",
                "mon data avail crit = 0",
                "[osd]",
                "osd data = " + d + "/$name",
                "osd objectstore = memstore",
                "memstore device bytes = 2147483648",
                "[client]",
                // With auth none, radosgw's default "secure" mode can never connect (endless -13).
                "ms mon client mode = crc",
                "rgw frontends = beast endpoint=127.0.0.1:" + port,
                "");
        try {
            for (String sub : List.of("run", "log", "mon.a", "osd.0")) {
                Files.createDirectories(dir.resolve(sub));
            }
            Path conf = dir.resolve("ceph.conf");
            Files.writeString(conf, text, StandardCharsets.UTF_8);
            return conf;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("ceph.conf"), e);
        }
    }

    private static ServerProcess daemon(Path dir, String name, List<String> command) {
        Path own = dir.resolve("proc-" + name);
        try {
            Files.createDirectories(own);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ServerProcess.start(name, command, own);
    }

    /** Runs a setup command to completion; a non-zero exit or a hang fails with its output. */
    private static void run(Path dir, List<String> command) {
        Path out = dir.resolve("setup.log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                ServerProcess.stop(process.toHandle());
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static boolean onPath(String tool) {
        // Debian installs them here; the processes are started by these names.
        for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String logTails(Path dir) {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("setup.log", "log/mon.a.log", "log/osd.0.log", "log/client.rgw.log",
                "proc-ceph-mon/server.log", "proc-ceph-osd/server.log", "proc-radosgw/server.log")) {
            Path file = dir.resolve(name);
            try {
                if (Files.exists(file)) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    out.append("\n--- ").append(name).append(" (last lines):\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
                }
            } catch (IOException | UncheckedIOException e) {
                out.append("\n--- ").append(name).append(": unreadable (").append(e.getMessage()).append(')');
            }
        }
        return out.toString();
    }

    private static void stopAll(List<ServerProcess> daemons) {
        // Gateway first, the monitor last.
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Settings for the s3:// store; this radosgw (Pacific) rejects trailing checksums, hence when_required. */
    public Map<String, String> storeSettings() {
        return Map.of("AWS_ENDPOINT_URL", endpoint(), "AWS_ACCESS_KEY_ID", ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1", "S3DLIO_S3_CHECKSUM", "when_required");
    }

    public String description() {
        return "Ceph radosgw (memstore, single node) at 127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stopAll(daemons);
        ServerProcess.deleteTree(directory);
    }
}
