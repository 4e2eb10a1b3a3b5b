#!/usr/bin/env bash
# Local reads: file:// and direct:// (JMH) against dd and fio on the same 1 GiB file, in one session.
# Usage: bench/run-local-read-bench.sh [data-dir]     (default: bench/target/bench-data; must be on a disk
#        file system that supports O_DIRECT, e.g. ext4 or xfs; not tmpfs)
# Needs: dd (coreutils), fio (apt-get install -y fio), python3, a JDK 21+ (found by bin/lib/jdk.sh).
# Writes bench/target/local-read-results/{machine.txt,raw.txt,jmh.json,table.md} and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/jdk.sh

DATA_DIR=$(realpath -m "${1:-bench/target/bench-data}")
OUT=bench/target/local-read-results
FILE="$DATA_DIR/read-1g.bin"
SIZE=$((1024 * 1024 * 1024))
BS=8M
mkdir -p "$DATA_DIR" "$OUT"
command -v fio >/dev/null || { echo "fio is missing: apt-get update && apt-get install -y fio" >&2; exit 1; }

if [ ! -f "$FILE" ] || [ "$(stat -c %s "$FILE")" -ne "$SIZE" ]; then
  echo "creating $FILE (1 GiB of random bytes)"
  head -c "$SIZE" /dev/urandom > "$FILE.tmp" && mv "$FILE.tmp" "$FILE"
fi

./mvnw -q -pl bench -am install -DskipTests

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpus: $(nproc) x $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
  echo "kernel: $(uname -r)"
  echo "file: $FILE on $(stat -f -c %T "$DATA_DIR") ($(df -T "$DATA_DIR" | awk 'NR==2 {print $2 " on " $1}')), block size $(stat -f -c %S "$DATA_DIR")"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "fio: $(fio --version)"
  echo "dd: $(dd --version | head -1)"
} > "$OUT/machine.txt"
cat "$OUT/machine.txt"

: > "$OUT/raw.txt"
dd_run() { # label, extra dd flags; three runs, each line "label bytes seconds"
  for i in 1 2 3; do
    dd if="$FILE" of=/dev/null bs=$BS "$@" 2>&1 | tail -1 \
      | python3 -c 'import sys,re; l=sys.stdin.read(); m=re.match(r"(\d+) bytes.*copied, ([0-9.e+-]+) s", l); print(m.group(1), m.group(2))' \
      | sed "s/^/$label /" >> "$OUT/raw.txt"
  done
}
fio_run() { # label, direct flag
  fio --name="$label" --filename="$FILE" --readonly --rw=read --bs=$BS --ioengine=psync --direct="$1" \
      --size="$SIZE" --loops=3 --output-format=json \
    | python3 -c 'import sys,json; r=json.load(sys.stdin)["jobs"][0]["read"]; print(r["io_bytes"], r["runtime"]/1000.0)' \
    | sed "s/^/$label /" >> "$OUT/raw.txt"
}

echo "warming the page cache"; cat "$FILE" > /dev/null
label=dd-buffered dd_run
label=fio-buffered fio_run 0
label=dd-direct dd_run iflag=direct
label=fio-direct fio_run 1

# JMH: one fork, 2 warm-up + 5 measured iterations (the reference machine has 2 shared cores).
java -jar bench/target/benchmarks.jar LocalReadBenchmark -p file="$FILE" -p chunk=8388608 \
  -f 1 -wi 2 -i 5 -w 3s -r 3s \
  -jvmArgs "-Xms2g -Xmx2g -XX:MaxDirectMemorySize=6g --enable-native-access=ALL-UNNAMED" \
  -rf json -rff "$OUT/jmh.json" | tail -20

python3 - "$OUT" "$SIZE" <<'PY'
import json, statistics, sys
out, size = sys.argv[1], int(sys.argv[2])
raw = {}
for line in open(f"{out}/raw.txt"):
    label, nbytes, seconds = line.split()
    raw.setdefault(label, []).append(int(nbytes) / float(seconds) / 1e9)
tool = {k: statistics.median(v) for k, v in raw.items()}
ours = {}
for r in json.load(open(f"{out}/jmh.json")):
    name = r["benchmark"].rsplit(".", 1)[1]
    ms = r["primaryMetric"]["score"]
    err = r["primaryMetric"]["scoreError"]
    ours[(r["params"]["scheme"], name)] = (size / (ms / 1000) / 1e9, ms, err)
rows = ["| Read | GB/s | ms per GiB (JMH, ±99.9%) | ours / dd | ours / fio |", "| --- | --- | --- | --- | --- |"]
for scheme, mode in (("file", "buffered"), ("direct", "direct")):
    for name, what in (("getWhole", "get (whole object, one buffer)"), ("getRangeChunks", "getRange, 8 MiB chunks")):
        gbs, ms, err = ours[(scheme, name)]
        rows.append(f"| {scheme}:// {what} | {gbs:.2f} | {ms:.0f} ± {err:.0f} | {gbs / tool['dd-' + mode]:.2f} | {gbs / tool['fio-' + mode]:.2f} |")
    rows.append(f"| dd bs=8M{' iflag=direct' if mode == 'direct' else ' (page cache warm)'} | {tool['dd-' + mode]:.2f} | | 1.00 | |")
    rows.append(f"| fio psync bs=8M direct={1 if mode == 'direct' else 0} | {tool['fio-' + mode]:.2f} | | | 1.00 |")
open(f"{out}/table.md", "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
PY
