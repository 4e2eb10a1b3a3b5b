#!/usr/bin/env bash
# Interleaved LIST of N keys (`ls -r`, issue 16): s3-cli with S3DLIO_S3_LEAN_LIST=false (every page through the
# SDK's XML unmarshalling), s3-cli with the lean ListObjectsV2 (the default), rclone `lsf` as run-peers.sh runs
# it; bench/run-peers.sh's environment on the in-memory fixture, one warm-up round then REPS rounds. Build first
# (cli, bench). Usage: N=100000 REPS=3 $0 OUT.tsv
# Columns: round, tool, wall s, CPU s (user+sys), peak RSS MiB, load average at the start, lines printed.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
s3cli=$repo/cli/target/s3-cli/bin/s3-cli
source "$repo/bin/lib/jdk.sh" >/dev/null
bench_cp="$repo/bench/target/classes:$repo/bench/target/lib/*"
n=${N:-100000}; reps=${REPS:-3}; out=${1:?usage: N=100000 REPS=3 $0 OUT.tsv}
work=$(mktemp -d "${TMPDIR:-/tmp}/s3dlio-list-ab.XXXXXX")
server_pid=""
trap '[ -n "$server_pid" ] && kill $server_pid; rm -rf "$work"' EXIT
unset AWS_CA_BUNDLE
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
export S3DLIO_S3_PATH_STYLE=true
java -Xmx2g -XX:+UseParallelGC -cp "$bench_cp" io.s3dlio.bench.fixture.BenchS3Server --port-file "$work/port" \
  --preload "bench/list/,$n,16" > "$work/fixture.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 600); do [ -s "$work/port" ] && break; sleep 0.1; done
endpoint="http://127.0.0.1:$(cat "$work/port")"
export AWS_ENDPOINT_URL=$endpoint
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENV_AUTH=false
export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=test RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=testtest
export RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
export RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" RCLONE_CONFIG=/dev/null
: > "$out"
for round in $(seq 0 "$reps"); do
  for tool in before after rclone; do
    case $tool in
      before) cmd=(env S3DLIO_S3_LEAN_LIST=false "$s3cli" ls -r "s3://bench/list/") ;;
      after) cmd=("$s3cli" ls -r "s3://bench/list/") ;;
      rclone) cmd=(rclone lsf --s3-no-check-bucket --s3-disable-checksum --ignore-checksum --files-only "bench:bench/list") ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %U %S %M' -o "$work/t" "${cmd[@]}" > "$work/out" 2> "$work/err" || { echo "$tool failed: $(tail -3 "$work/err")"; }
    read -r wall user sys rss < <(tail -n 1 "$work/t")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$wall" "$(awk "BEGIN{print $user+$sys}")" "$((rss/1024))" "$load" "$(grep -c . "$work/out")" | tee -a "$out"
  done
done
