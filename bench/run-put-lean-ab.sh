#!/usr/bin/env bash
# Interleaved PUT of N x 1 MiB files (`upload -r`, issue 16): s3-cli with S3DLIO_S3_LEAN_PUT=false (every PutObject
# through the SDK), s3-cli with the lean PutObject (the default), rclone; bench/run-peers.sh's environment on the
# in-memory fixture, one warm-up round then REPS rounds. Build first (cli, bench). Usage: N=500 REPS=3 $0 OUT.tsv
# Columns: round, tool, wall s, CPU s (user+sys), peak RSS MiB, load average at the start, what the bucket held.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
s3cli=$repo/cli/target/s3-cli/bin/s3-cli
source "$repo/bin/lib/jdk.sh" >/dev/null
bench_cp="$repo/bench/target/classes:$repo/bench/target/lib/*"
n=${N:-500}; reps=${REPS:-3}; jobs=16; out=${1:?usage: N=500 REPS=3 $0 OUT.tsv}
work=$(mktemp -d "${TMPDIR:-/tmp}/s3dlio-put-ab.XXXXXX")
server_pid=""
trap '[ -n "$server_pid" ] && kill $server_pid; rm -rf "$work"' EXIT
unset AWS_CA_BUNDLE
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
export S3DLIO_S3_PATH_STYLE=true S3DLIO_JOBS=$jobs S3DLIO_UPLOAD_CONCURRENCY=$jobs S3DLIO_PART_SIZE=8MiB
export S3DLIO_DOWNLOAD_FSYNC=false S3DLIO_CLI_AOT=0
java -Xmx6g -XX:+UseParallelGC -cp "$bench_cp" io.s3dlio.bench.fixture.BenchS3Server --port-file "$work/port" \
  > "$work/fixture.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
endpoint="http://127.0.0.1:$(cat "$work/port")"
export BENCH_ENDPOINT=$endpoint AWS_ENDPOINT_URL=$endpoint
tm() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp "$bench_cp" \
  io.s3dlio.bench.peers.TransferManagerPeer --endpoint "$endpoint" --jobs "$jobs" "$@"; }
tm seed "s3://bench/seed/x" 1 0 >/dev/null
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENV_AUTH=false
export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=test RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=testtest
export RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
export RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" RCLONE_CONFIG=/dev/null
mkdir -p "$work/src"
head -c $((n * 1048576)) /dev/urandom | (cd "$work/src" && split -b 1M -a 5 -d - obj_)
: > "$out"
for round in $(seq 0 "$reps"); do
  for tool in before after rclone; do
    case $tool in
      before) cmd=(env S3DLIO_S3_LEAN_PUT=false "$s3cli" upload "$work/src" "s3://bench/putsmall/" -r -j "$jobs") ;;
      after) cmd=("$s3cli" upload "$work/src" "s3://bench/putsmall/" -r -j "$jobs") ;;
      rclone) cmd=(rclone copy --s3-no-check-bucket --s3-disable-checksum --ignore-checksum --s3-chunk-size 8M \
                   --transfers "$jobs" --checkers "$jobs" --no-traverse "$work/src" "bench:bench/putsmall/put1m") ;;
    esac
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f '%e %U %S %M' -o "$work/t" "${cmd[@]}" > /dev/null 2> "$work/err" || { echo "$tool failed: $(tail -3 "$work/err")"; }
    read -r wall user sys rss < <(tail -n 1 "$work/t")
    got=$(tm ls "s3://bench/putsmall/" | sed 's/ok ls //')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$wall" "$(awk "BEGIN{print $user+$sys}")" "$((rss/1024))" "$load" "$got" | tee -a "$out"
    tm purge "s3://bench/putsmall/" >/dev/null
  done
done
