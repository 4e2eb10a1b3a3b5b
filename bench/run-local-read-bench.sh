#!/usr/bin/env bash
# Local reads: file:// and direct:// (JMH) against dd and fio on the same 1 GiB file, in one session.
# Usage: bench/run-local-read-bench.sh [data-dir]     (default: bench/target/bench-data; must be on a disk
#        file system that supports O_DIRECT, e.g. ext4 or xfs; not tmpfs)
# Needs: dd (coreutils), fio (apt-get install -y fio), python3, a JDK 21+ (found by bin/lib/jdk.sh).
# Writes bench/target/local-read-results/{machine.txt,raw.txt,jmh-*.json,jmh-*.log,table.md}; prints the table.
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
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
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
fio_run() { # label, direct flag; three runs, like dd
  for i in 1 2 3; do
    # invalidate=0: fio would otherwise drop the file from the page cache before a buffered run.
    fio --name="$label" --filename="$FILE" --readonly --rw=read --bs=$BS --ioengine=psync --direct="$1" \
        --invalidate=0 --size="$SIZE" --output-format=json \
      | python3 -c 'import sys,json; r=json.load(sys.stdin)["jobs"][0]["read"]; print(r["io_bytes"], r["runtime"]/1000.0)' \
      | sed "s/^/$label /" >> "$OUT/raw.txt"
  done
}

echo "warming the page cache"; cat "$FILE" > /dev/null
label=dd-buffered dd_run
label=fio-buffered fio_run 0
label=dd-direct dd_run iflag=direct
label=fio-direct fio_run 1

# JMH: one fork, 2 warm-up + 5 measured iterations (the reference machine has 2 shared cores).
# file:// with both kinds of read buffers; direct:// always reads into aligned native buffers.
jmh() { # output name, JMH parameters...
  local name=$1; shift
  java -jar bench/target/benchmarks.jar LocalReadBenchmark -p file="$FILE" -p chunk=8388608 "$@" \
    -f 1 -wi 2 -i 5 -w 3s -r 3s \
    -jvmArgs "-Xms4g -Xmx4g -XX:MaxDirectMemorySize=6g --enable-native-access=ALL-UNNAMED" \
    -rf json -rff "$OUT/$name.json" > "$OUT/$name.log" 2>&1 || { tail -40 "$OUT/$name.log"; exit 1; }
  grep -A10 '^Benchmark ' "$OUT/$name.log"
}
jmh jmh-file -p scheme=file -p buffers=heap,direct
jmh jmh-direct -p scheme=direct -p buffers=direct

echo "warming the page cache again and repeating dd (buffered) to see how far the machine drifted"
cat "$FILE" > /dev/null
label=dd-buffered-after dd_run

echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
python3 - "$OUT" "$SIZE" <<'PY'
# Median and best of each: the machine is shared, so the best runs are the least disturbed ones.
import json, statistics, sys
out, size = sys.argv[1], int(sys.argv[2])
raw = {}
for line in open(f"{out}/raw.txt"):
    label, nbytes, seconds = line.split()
    raw.setdefault(label, []).append(int(nbytes) / float(seconds) / 1e9)
ours = {}
for r in json.load(open(f"{out}/jmh-file.json")) + json.load(open(f"{out}/jmh-direct.json")):
    name = r["benchmark"].rsplit(".", 1)[1]
    runs = [size / (ms / 1000) / 1e9 for fork in r["primaryMetric"]["rawData"] for ms in fork]
    ours[(r["params"]["scheme"], r["params"]["buffers"], name)] = runs
med, best = statistics.median, max
rows = ["| Read | GB/s median (best) | ours / dd, median (best) | ours / fio, median (best) |",
        "| --- | --- | --- | --- |"]
for scheme, mode in (("file", "buffered"), ("direct", "direct")):
    dd, fio = raw["dd-" + mode], raw["fio-" + mode]
    for buffers in (("heap", "direct") if scheme == "file" else ("direct",)):
        for name, what in (("getWhole", "get, whole 1 GiB object"), ("getRangeChunks", "getRange, 8 MiB chunks")):
            r = ours[(scheme, buffers, name)]
            rows.append(f"| {scheme}:// {what}, {buffers} buffers (JMH, {len(r)} iterations) | {med(r):.2f} ({best(r):.2f}) "
                        f"| {med(r) / med(dd):.2f} ({best(r) / best(dd):.2f}) | {med(r) / med(fio):.2f} ({best(r) / best(fio):.2f}) |")
    flag = " iflag=direct" if mode == "direct" else ", page cache warm"
    rows.append(f"| dd bs=8M{flag} ({len(dd)} runs) | {med(dd):.2f} ({best(dd):.2f}) | 1 | |")
    rows.append(f"| fio psync bs=8M direct={1 if mode == 'direct' else 0} ({len(fio)} runs) | {med(fio):.2f} ({best(fio):.2f}) | | 1 |")
after = raw["dd-buffered-after"]
rows.append(f"| dd bs=8M, page cache warm, repeated after JMH ({len(after)} runs) | {med(after):.2f} ({best(after):.2f}) | | |")
open(f"{out}/table.md", "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
PY
