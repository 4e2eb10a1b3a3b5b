#!/usr/bin/env bash
# Checkpoint save/restore vs raw multipart upload and raw ranged GET of the same bytes, in one run, on a
# loopback S3 endpoint (the in-memory benchmark fixture, so the client is what is measured). Raw and
# checkpoint phases alternate order round by round, counted from the first measured round (with the default 8
# measured rounds each side goes first 4 times); warm-up rounds are shown but left out of the medians.
# The fixture gets a heap well above what it holds at once (2 x ranks x size, plus parts in flight) and is
# told to collect between rounds (jcmd GC.run, outside the timings), so neither side pays for a full
# collection of the other's deleted objects; its GC log is summarised at the end.
# Each round reads the objects --read-pairs times (default 3) both ways, alternating which goes first by the
# pair's index, so the restore medians are over rounds x pairs; every phase reports the requests it sent.
# --jfr DIR records both JVMs with JFR into DIR (client.jfr, fixture.jfr: CPU-time and execution samples, socket
# reads and writes without stack traces, GC; the client's phases are s3dlio.bench.CheckpointPhase events) for
# bench/checkpoint-profile.py; the recording costs CPU, so take timings from runs without it.
# Usage: bench/run-checkpoint-bench.sh [--ranks 4] [--size 256MiB] [--rounds 8] [--warmup 1] [--read-pairs 3]
#        [--server-heap 8g] [--jfr DIR] [--no-build]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
args=()
build=1
server_heap=8g
jfr_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --ranks|--size|--rounds|--warmup|--read-pairs) args+=("$1" "$2"); shift 2 ;;
    --server-heap) server_heap=$2; shift 2 ;;
    --jfr) jfr_dir=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "usage: $0 [--ranks 4] [--size 256MiB] [--rounds 8] [--warmup 1] [--read-pairs 3] [--server-heap 8g] [--jfr DIR] [--no-build]" >&2
       exit 2 ;;
  esac
done
source "$repo/bin/lib/jdk.sh"
client_jfr=()
server_jfr=()
if [ -n "$jfr_dir" ]; then
  events="settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms"
  events+=",jdk.SocketRead#threshold=0ms,jdk.SocketRead#stackTrace=false"
  events+=",jdk.SocketWrite#threshold=0ms,jdk.SocketWrite#stackTrace=false"
  client_jfr=("-XX:StartFlightRecording:filename=$jfr_dir/client.jfr,$events")
  server_jfr=("-XX:StartFlightRecording:filename=$jfr_dir/fixture.jfr,settings=profile,jdk.CPUTimeSample#enabled=true,jdk.CPUTimeSample#throttle=1ms")
fi
if [ "$build" = 1 ]; then
  (cd "$repo" && ./mvnw -B -ntp -q -pl bench -am package -DskipTests) >&2
fi
bench_cp="$repo/bench/target/classes:$repo/bench/target/lib/*"
work=$(mktemp -d "${TMPDIR:-/tmp}/s3dlio-ckpt-bench.XXXXXX")
# A fixed young generation of three quarters of the heap (eden ~60%): a round's objects (2 x ranks x size) fit
# in eden, so no young collection copies hundreds of MiB of segments inside a phase; the collection asked
# for between rounds empties it.
young_mib=$(( $(numfmt --from=iec "${server_heap^^}") * 3 / 4 / 1048576 ))
"$JAVA_HOME/bin/java" -Xms"$server_heap" -Xmx"$server_heap" -Xmn${young_mib}m -XX:+UseParallelGC \
  -XX:-UseAdaptiveSizePolicy -XX:SurvivorRatio=8 -Xlog:gc:file="$work/fixture-gc.log" \
  ${server_jfr[@]+"${server_jfr[@]}"} -cp "$bench_cp" io.s3dlio.bench.fixture.BenchS3Server \
  --port-file "$work/port" > "$work/fixture.log" 2>&1 &
server=$!
trap '{ kill $server && wait $server; } 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the fixture did not start: $(cat "$work/fixture.log")" >&2; exit 1; }
endpoint="http://127.0.0.1:$(cat "$work/port")"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
# The client's heap is fixed too (-Xms = -Xmx): with only -Xmx, G1 shrank the heap at the collection before each
# phase and grew it again inside the phase (1 GiB of shard buffers), with concurrent cycles whose pauses and CPU
# landed in whichever phase ran (client CPU per 1 GiB read swung 1-7 s under load, against 0.7-1.1 s fixed).
# The client holds the ranks' source bytes (ranks x size) all run long, and a read phase adds as much again in
# result buffers: 2 GiB of a 4 GiB heap crossed G1's initiating occupancy (45%, adaptive), so every read phase,
# raw or restore, started a concurrent cycle at its humongous allocations (a young pause, marking on one of the 2
# cores, remark and cleanup pauses: 50-140 ms of pauses a phase under load, landing unevenly; JFR, issue 18). A
# fixed threshold of 75% keeps marking out of the phases; the collection before each phase still empties the heap.
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms4g -Xmx4g -XX:-G1UseAdaptiveIHOP \
  -XX:InitiatingHeapOccupancyPercent=75 -Xlog:gc:file="$work/client-gc.log" ${client_jfr[@]+"${client_jfr[@]}"} \
  -cp "$bench_cp" \
  io.s3dlio.bench.checkpoint.CheckpointBenchmark s3://ckpt-bench/run/ "${args[@]}" --server-pid "$server" \
  AWS_ENDPOINT_URL="$endpoint" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1
# What the collectors did: the full collections asked for (the fixture's between rounds by jcmd GC.run, the
# client's System.gc() before each phase) are outside the timings; any other pause may have landed in a phase.
gc_summary() {
  awk -v who="$1" -v asked_where="$2" '/Pause/ { ms = $NF; sub(/ms$/, "", ms); if ($0 ~ /System.gc|Diagnostic Command/) { asked++; next }
               n++; total += ms; if ($0 ~ /Full/) full++ }
     END { printf "%s GC besides the collections asked for (in a phase or between): %d pauses (%d full), %.0f ms in all; %d asked for %s\n",
           who, n, full, total, asked, asked_where }' "$3"
}
gc_summary fixture "between rounds" "$work/fixture-gc.log"
gc_summary client "before the phases" "$work/client-gc.log"
