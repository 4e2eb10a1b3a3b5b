#!/usr/bin/env bash
# Peak RSS (and wall, CPU) of s3-cli uploads against the in-memory benchmark fixture (issue 16's row "PUT one
# 1 GiB object and 4 x 1 GiB: peak RSS at most parts in flight x part size + 128 MiB"). Same settings as
# bench/run-peers.sh: 16 parts in flight of 8 MiB, 16 files in flight. Measures, REPS times each, alternating:
#   cp FILE s3://bench/putbig/big.bin              (one object of --mib)
#   upload DIR s3://bench/putbig4/ -r -j 16        (--count hard links of that file)
# and prints one line per run: workload, wall s, user s, sys s, peak RSS MiB (/usr/bin/time -v fields).
#
#   bench/run-put-rss.sh [--mib 1024] [--count 4] [--reps 3] [--only cp|upload] [--no-build]
# Extra s3-cli JVM options go in S3DLIO_CLI_JAVA_OPTS as usual (e.g. to compare heap settings).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../bin/lib/jdk.sh
source "$repo/bin/lib/jdk.sh"
mib=1024; count=4; reps=3; build=1; only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --mib) mib=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "run-put-rss: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [ "$build" = 1 ]; then
  (cd "$repo" && ./mvnw -B -ntp -q -pl cli,bench -am package -DskipTests -Ds3dlio.api.skip=true) >&2
fi
s3cli="$repo/cli/target/s3-cli/bin/s3-cli"
[ -x "$s3cli" ] && [ -d "$repo/bench/target/lib" ] || { echo "run-put-rss: build first (without --no-build)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/s3dlio-put-rss.XXXXXX")
server_pid=""
cleanup() {
  # Under set -e a failing wait (the killed fixture's status) would end this function before the rm.
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
# The fixture keeps every uploaded byte in its heap: room for the 4 objects plus the parts arriving.
heap_mib=$(( mib * (count + 2) + 1024 ))
java -Xmx${heap_mib}m -XX:+UseParallelGC -cp "$repo/bench/target/classes:$repo/bench/target/lib/*" \
  io.s3dlio.bench.fixture.BenchS3Server --port-file "$work/port" > "$work/fixture.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "the fixture did not start: $(cat "$work/fixture.log")" >&2; exit 1; }
export AWS_ENDPOINT_URL="http://127.0.0.1:$(cat "$work/port")" AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest
export AWS_REGION=us-east-1 AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
export S3DLIO_S3_PATH_STYLE=true S3DLIO_JOBS=16 S3DLIO_UPLOAD_CONCURRENCY=16 S3DLIO_PART_SIZE=8MiB
"$s3cli" create-bucket s3://bench >/dev/null 2>&1 || true
head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/big.bin"
mkdir -p "$work/big4"
for i in $(seq 1 "$count"); do ln "$work/big.bin" "$work/big4/big-$i.bin"; done

run() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/time" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  awk -v name="$name" -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]) }
    /User time/ { user = $2 } /System time/ { sys = $2 } /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "%-28s wall %6.2f s  user %6.2f s  sys %6.2f s  peak RSS %6.0f MiB\n", name, wall, user, sys, rss }' "$work/time"
}
echo "# $(date -u +%FT%TZ) $(uptime | sed 's/.*load/load/') S3DLIO_CLI_JAVA_OPTS='${S3DLIO_CLI_JAVA_OPTS:-}'"
for round in $(seq 1 "$reps"); do
  if [ "$only" != upload ]; then
    run "cp ${mib} MiB" "$s3cli" cp "$work/big.bin" s3://bench/putbig/big.bin
    "$s3cli" delete -r s3://bench/putbig/ >/dev/null
  fi
  if [ "$only" != cp ]; then
    run "upload -r ${count} x ${mib} MiB" "$s3cli" upload "$work/big4" s3://bench/putbig4/ -r -j 16
    "$s3cli" delete -r s3://bench/putbig4/ >/dev/null
  fi
done
echo "# bar: 16 parts in flight x 8 MiB + 128 MiB = 256 MiB"
