#!/usr/bin/env bash
# Whole-process `s3-cli get` of one large object to a file, in variants, against rclone (issue 16, "GET one 1 GiB
# object as a process" in docs/BENCHMARKS.md). Starts the in-memory fixture, stores one object, then runs every
# variant and rclone in turn, INTERLEAVED (A B C A B C ...), each under /usr/bin/time, and prints each run and the
# medians of wall, user and system CPU and peak RSS per variant. A variant is NAME=ENV: variables set for that
# s3-cli run only (the launcher reads S3DLIO_CLI_JAVA_OPTS for JVM flags), e.g.
#
#   bench/run-get-variants.sh --reps 3 'default=' 'conc4=S3DLIO_RANGE_CONCURRENCY=4' \
#       'thp=S3DLIO_CLI_JAVA_OPTS=-XX:+UseTransparentHugePages'
#
# Options: --reps N (default 3), --mib N (object size, default 1024), --no-rclone. Needs cli and bench built
# (./mvnw -pl cli,bench -am package -DskipTests) and rclone on PATH. Destination: a directory under $TMPDIR.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../bin/lib/jdk.sh
source "$repo/bin/lib/jdk.sh"

reps=3 mib=1024 with_rclone=1 variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps=$2; shift 2 ;;
    --mib) mib=$2; shift 2 ;;
    --no-rclone) with_rclone=0; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    -*) echo "run-get-variants: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *=*) variants+=("$1"); shift ;;
    *) echo "run-get-variants: a variant is NAME=ENV, got '$1'" >&2; exit 2 ;;
  esac
done
[ ${#variants[@]} -gt 0 ] || variants=("default=")
s3cli="$repo/cli/target/s3-cli/bin/s3-cli"
[ -x "$s3cli" ] || { echo "run-get-variants: $s3cli is missing (build cli first)" >&2; exit 1; }
[ -d "$repo/bench/target/lib" ] || { echo "run-get-variants: bench/target/lib is missing (build bench first)" >&2; exit 1; }
if [ "$with_rclone" = 1 ] && ! command -v rclone >/dev/null; then
  echo "run-get-variants: rclone is not on PATH (or pass --no-rclone)" >&2; exit 1
fi
bench_cp="$repo/bench/target/classes:$repo/bench/target/lib/*"

work=$(mktemp -d "${TMPDIR:-/tmp}/s3dlio-getvar.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The fixture holds the object in its heap: its size plus room for the requests' buffers.
java -Xmx$((mib * 2 + 1024))m -XX:+UseParallelGC -cp "$bench_cp" io.s3dlio.bench.fixture.BenchS3Server \
  --port-file "$work/port" > "$work/fixture.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
[ -s "$work/port" ] || { echo "run-get-variants: the fixture did not start: $(cat "$work/fixture.log")" >&2; exit 1; }
endpoint="http://127.0.0.1:$(cat "$work/port")"

unset AWS_CA_BUNDLE
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL=$endpoint S3DLIO_S3_PATH_STYLE=true
# rclone as bench/run-peers.sh runs it (16 streams of 8 MiB, no client-side MD5).
export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENV_AUTH=false
export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=test RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=testtest
export RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
export RCLONE_CONFIG_BENCH_ENDPOINT=$endpoint RCLONE_CONFIG=/dev/null

head -c $((mib * 1024 * 1024)) /dev/urandom > "$work/big.bin"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$bench_cp" io.s3dlio.bench.peers.TransferManagerPeer \
  --endpoint "$endpoint" --jobs 16 seed "s3://bench/big/big.bin" 1 0 >/dev/null   # creates the bucket
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$bench_cp" io.s3dlio.bench.peers.TransferManagerPeer \
  --endpoint "$endpoint" --jobs 16 put-one "$work/big.bin" "s3://bench/big/big.bin" >/dev/null
expected=$(stat -c %s "$work/big.bin")
rm -f "$work/big.bin"

names=() commands=()
for v in "${variants[@]}"; do
  names+=("${v%%=*}")
  commands+=("env ${v#*=} '$s3cli' get s3://bench/big/big.bin -o \"\$dest/big.bin\"")
done
if [ "$with_rclone" = 1 ]; then
  names+=(rclone)
  commands+=("rclone copyto --s3-no-check-bucket --s3-disable-checksum --ignore-checksum --s3-chunk-size 8M \
--multi-thread-streams 16 --multi-thread-cutoff 8M bench:bench/big/big.bin \"\$dest/big.bin\"")
fi

results="$work/results.tsv"
: > "$results"
printf 'round\tvariant\twall_s\tuser_s\tsys_s\trss_kib\tminor_faults\tload\n'
for round in $(seq 0 "$reps"); do   # round 0 warms the page cache and the fixture, and is not counted
  for i in "${!names[@]}"; do
    dest="$work/dest"; rm -rf "$dest"; mkdir -p "$dest"
    export dest
    if ! /usr/bin/time -f '%e %U %S %M %R' -o "$work/time.txt" bash -c "${commands[$i]}" > "$work/out" 2> "$work/err"; then
      echo "run-get-variants: ${names[$i]} failed: $(tail -n 3 "$work/err")" >&2; exit 1
    fi
    got=$(stat -c %s "$dest/big.bin")
    [ "$got" = "$expected" ] || { echo "run-get-variants: ${names[$i]} wrote $got bytes, expected $expected" >&2; exit 1; }
    read -r wall user sys rss faults < <(tail -n 1 "$work/time.txt")
    load=$(cut -d' ' -f1 /proc/loadavg)
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "${names[$i]}" "$wall" "$user" "$sys" "$rss" "$faults" "$load"
    [ "$round" = 0 ] || printf '%s\t%s\t%s\t%s\t%s\t%s\n' "${names[$i]}" "$wall" "$user" "$sys" "$rss" "$faults" >> "$results"
  done
done

median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else printf "%.3f\n", (v[NR/2]+v[NR/2+1])/2}'; }
echo
printf 'variant\tmedian wall s\tmedian user+sys s\tmedian user s\tmedian sys s\tmedian peak RSS MiB\tmedian minor faults\n'
for name in "${names[@]}"; do
  rows=$(awk -F'\t' -v n="$name" '$1 == n' "$results")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" \
    "$(cut -f2 <<< "$rows" | median)" "$(awk -F'\t' '{print $3 + $4}' <<< "$rows" | median)" \
    "$(cut -f3 <<< "$rows" | median)" "$(cut -f4 <<< "$rows" | median)" \
    "$(awk -F'\t' '{print int($5 / 1024)}' <<< "$rows" | median)" "$(cut -f6 <<< "$rows" | median)"
done
