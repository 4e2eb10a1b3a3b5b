#!/usr/bin/env bash
# Op-log overhead and replay lag (docs/BENCHMARKS.md, "Operation log"): 10,000 GETs of 64 KiB at 32 in flight,
# recording on vs off in interleaved ABBA pairs, on file:// and on s3:// against the S3 fixture (a JVM of its own);
# the headline is the "RESULT" line: 1 - the median of the pairs' on/off throughput ratios, with quartiles.
# Warm-up: ABBA pairs, discarded, until the JIT is nearly idle (at least [warmup] pairs); every run's process CPU per
# GET is split by thread (GET threads, writer, GC and VM, JIT, other).
# Usage: bench/run-oplog-overhead.sh [gets] [size] [jobs] [pairs] [stores] [baseline] [warmup]
#        (defaults 10000 65536 32 16 file,s3 none 4; baseline 'latency' keeps the CLI's latency histograms on when off)
#        bench/run-oplog-overhead.sh cost [ops] [jobs] [rounds] [work]
#        (recording's CPU per operation on a mem:// store, off / histograms / op log / both; defaults 200000 32 7 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/jdk.sh
./mvnw -q -B -ntp -pl bench -am package -DskipTests
main=io.s3dlio.bench.OpLogOverheadBenchmark
if [[ "${1:-}" == cost ]]; then
  main=io.s3dlio.bench.OpLogRecordingCost
  shift
fi
# A fixed, pre-touched heap: G1 growing the heap during a run cost that run page faults (10 a GET, 60% more CPU).
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xms2g -Xmx2g -XX:+AlwaysPreTouch ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/classes:bench/target/lib/*" "$main" "$@"
