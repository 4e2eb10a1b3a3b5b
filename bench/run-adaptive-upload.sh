#!/usr/bin/env bash
# Adaptive part sizes vs fixed 8 MiB and 16 MiB parts: one 2 GiB upload per run through `s3-cli put`
# (streaming writer, known size) to a loopback S3Proxy, interleaved rounds, wall time and the client's
# peak RSS from /usr/bin/time. Prints medians and ratios against the adaptive default.
# Usage: bench/run-adaptive-upload.sh [--size 2GiB] [--rounds 3]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
size=2GiB
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "usage: $0 [--size 2GiB] [--rounds 3]" >&2; exit 2 ;;
  esac
done
source "$repo/bin/lib/jdk.sh"
source "$repo/bin/lib/s3proxy.sh"
[ -x /usr/bin/time ] || { apt-get install -y time >/dev/null 2>&1 || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }; }
"$repo/bin/s3-cli" --version >/dev/null   # builds the CLI on first use
jar="$repo/backends/s3/target/it-servers/s3proxy-4.1.0-jar-with-dependencies.jar"
[ -f "$jar" ] || (cd "$repo" && ./mvnw -q -pl backends/s3 -am generate-test-resources >/dev/null)

work=$(mktemp -d)
trap 'kill "${s3proxy_pid:-}" 2>/dev/null; rm -rf "$work"' EXIT
s3proxy_start "$jar" "$work" bench benchbench

export AWS_ENDPOINT_URL="$s3proxy_endpoint" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=benchbench AWS_REGION=us-east-1
"$repo/bin/s3-cli" create-bucket s3://bench >/dev/null

declare -A settings=(
  [adaptive-10G]="S3DLIO_NETWORK_SPEED_GBPS=10"
  [adaptive-100G]="S3DLIO_NETWORK_SPEED_GBPS=100"
  [fixed-8MiB]="S3DLIO_PART_SIZE=8MiB"
  [fixed-16MiB]="S3DLIO_PART_SIZE=16MiB"
)
order=(adaptive-10G fixed-8MiB fixed-16MiB adaptive-100G)
results="$work/results.tsv"
for round in $(seq 1 "$rounds"); do
  for name in "${order[@]}"; do
    start=$(date +%s.%N)
    env ${settings[$name]} /usr/bin/time -f '%M' -o "$work/rss" \
      "$repo/bin/s3-cli" put "s3://bench/$name/" -n 1 -s "$size" -j 1 >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
    end=$(date +%s.%N)
    echo -e "$name\t$round\t$(echo "$end - $start" | bc)\t$(cat "$work/rss")" >> "$results"
    "$repo/bin/s3-cli" delete -r "s3://bench/$name/" >/dev/null
  done
done
python3 - "$results" "$size" <<'PY'
import sys, statistics, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, _, secs, rss = line.split('\t')
    rows[name].append((float(secs), int(rss)))
size = sys.argv[2]
units = {'GiB': 1 << 30, 'MiB': 1 << 20}
nbytes = next(float(size[:-3]) * v for k, v in units.items() if size.endswith(k))
base = statistics.median(s for s, _ in rows['adaptive-10G'])
print(f"| Setting | Median s | Min-max s | MB/s | vs adaptive-10G (time) | Peak RSS MiB (median) |")
print(f"| --- | --- | --- | --- | --- | --- |")
for name in ['adaptive-10G', 'adaptive-100G', 'fixed-8MiB', 'fixed-16MiB']:
    secs = [s for s, _ in rows[name]]
    rss = statistics.median(r for _, r in rows[name]) / 1024
    med = statistics.median(secs)
    print(f"| {name} | {med:.2f} | {min(secs):.2f}-{max(secs):.2f} | {nbytes / med / 1e6:.0f} | {med / base:.2f} | {rss:.0f} |")
PY
