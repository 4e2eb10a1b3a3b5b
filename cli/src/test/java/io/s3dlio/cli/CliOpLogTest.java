package io.s3dlio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3dlio.oplog.OpLogReader;
import io.s3dlio.oplog.OpRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --op-log, latency percentiles in the summaries, oplog-stats and replay, in-process on mem:// and file://. */
class CliOpLogTest {
    @TempDir
    Path temp;

    private static CliHarness.Result ok(CliHarness cli, String... args) {
        CliHarness.Result result = cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
        return result;
    }

    @Test
    @SuppressWarnings("unchecked")
    void opLogLatenciesStatsAndReplay() throws Exception {
        Path putLog = temp.resolve("put.csv.zst");
        Path getLog = temp.resolve("get.csv.zst");
        try (CliHarness cli = new CliHarness()) {
            CliHarness.Result put = ok(cli, "--op-log", putLog.toString(), "put", "mem://b/data/", "-n", "40",
                    "-s", "4KiB", "-c", "-j", "4");
            assertThat(put.stderr()).contains("put: latency PUT 40 ok: p50 ");
            CliHarness.Result get = ok(cli, "get", "mem://b/data/", "-r", "-j", "4", "--json", "--op-log", getLog.toString());
            List<Map<String, Object>> latency = (List<Map<String, Object>>) get.summary().get("latency");
            assertThat(latency).extracting(m -> m.get("op")).contains("GET");
            Map<String, Object> gets = latency.stream().filter(m -> m.get("op").equals("GET")).findFirst().orElseThrow();
            assertThat(((Number) gets.get("count")).longValue()).isEqualTo(40);
            assertThat(((Map<String, Object>) gets.get("latency")).keySet())
                    .containsExactly("count", "p50Ms", "p90Ms", "p99Ms", "p999Ms", "maxMs");

            List<OpRecord> puts = OpLogReader.readAll(putLog);
            assertThat(puts.stream().filter(r -> r.op().equals("PUT")).count()).isEqualTo(40);
            assertThat(puts.stream().filter(r -> r.op().equals("PUT")).mapToLong(OpRecord::bytes).sum()).isEqualTo(40 * 4096L);
            Map<String, Long> getOps = OpLogReader.readAll(getLog).stream()
                    .collect(Collectors.groupingBy(OpRecord::op, Collectors.counting()));
            assertThat(getOps.get("GET")).isEqualTo(40);

            CliHarness.Result stats = ok(cli, "oplog-stats", getLog.toString(), "--json");
            assertThat(stats.json()).anySatisfy(line -> {
                assertThat(line.get("type")).isEqualTo("op");
                assertThat(line.get("op")).isEqualTo("GET");
                assertThat(((Number) line.get("count")).longValue()).isEqualTo(40);
            });
            assertThat(((Number) stats.summary().get("bytes")).longValue()).isEqualTo(40 * 4096L);
            assertThat(ok(cli, "oplog-stats", getLog.toString()).stdout()).contains("GET 40 ok: p50 ");

            // Replay the PUT run into a directory, then the GET run from it at twice the speed.
            Path target = temp.resolve("replayed");
            CliHarness.Result replayPut = ok(cli, "replay", putLog.toString(), "--target", target.toUri().toString(),
                    "--ops", "PUT", "--json");
            Map<String, Object> summary = replayPut.summary();
            assertThat(((Number) summary.get("operations")).longValue()).isEqualTo(40);
            assertThat(((Number) summary.get("bytes")).longValue()).isEqualTo(40 * 4096L);
            assertThat(summary).containsKeys("lag", "latency", "recordedSeconds", "seconds");
            try (var files = Files.list(target)) {
                assertThat(files.count()).isEqualTo(40);
            }
            CliHarness.Result replayGet = ok(cli, "replay", getLog.toString(), "--target", target.toString() + "/",
                    "--speed", "2", "--ops", "GET");
            assertThat(replayGet.stderr()).contains("replay: 40 operations (0 failed, ").contains("at speed 2.0")
                    .contains("replay: latency GET 40 ok: p50 ");

            CliHarness.Result badOps = cli.run("replay", getLog.toString(), "--target", "mem://b/x/", "--ops", "COPY");
            assertThat(badOps.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(badOps.stderr()).contains("'COPY' is not a replayable operation");
            assertThat(cli.run("oplog-stats", temp.resolve("absent.csv.zst").toString()).exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
            CliHarness.Result badLog = cli.run("--op-log", temp.resolve("no/such/dir/x.csv.zst").toString(), "ls", "mem://b/");
            assertThat(badLog.exitCode()).as(badLog.toString()).isNotZero();
            assertThat(badLog.stderr()).contains("no/such/dir/x.csv.zst");
        }
    }
}
