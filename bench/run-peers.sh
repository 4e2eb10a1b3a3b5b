#!/usr/bin/env bash
# Side-by-side benchmark of s3-cli against the tools users would pick instead (docs/BENCHMARKS.md,
# "Side-by-side against other tools"). One command: it builds what it needs, installs missing peers with apt,
# starts loopback S3 servers, creates the data, runs every tool in turn INTERLEAVED (A B C A B C ...) after
# one warm-up round, and writes a markdown table of medians, min-max and ratios to bench/results/.
#
#   bench/run-peers.sh [--server fixture|s3proxy|both] [--quick | --full] [--reps N] [--jobs N]
#                      [--tools s3-cli,aws,rclone,s3cmd,tm] [--workloads LIST] [--no-build]
#                      (tool s3-cli-base: the s3-cli launcher at $S3CLI_BASE, e.g. another build, for before/after)
#                      [--big-mib N] [--big-count N] [--small-count N] [--put-count N] [--list-count N] [--local-mib N]
#                      [--proxy-big-mib N] [--proxy-small-count N] [--proxy-put-count N] [--proxy-list-count N]
#
# Workloads: get1g put1g get4g put4g get64k put1m list stat (S3, per server) and file direct (local 2 GiB reads
# vs dd, fio). get4g/put4g move --big-count objects of --big-mib each (download -r / upload -r); stat is one HEAD.
# The fixture runs on G1 (BENCH_FIXTURE_GC="-XX:+UseParallelGC" the collector of earlier reports).
# Each run logs the client's wall, CPU and peak RSS, the server's CPU and the fixture's GC pauses during it.
# Every measured command runs under /usr/bin/time: wall seconds, user+sys CPU seconds, peak RSS.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../bin/lib/jdk.sh
source "$repo/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/s3proxy.sh
source "$repo/bin/lib/s3proxy.sh"

invocation="bench/run-peers.sh${*:+ $*}"
servers=both
quick=0
reps=5
jobs=16
tools=s3-cli,aws,rclone,s3cmd,tm
workloads=get1g,put1g,get4g,put4g,get64k,put1m,list,stat,file,direct
build=1
full_sizes=0
overrides=()
while [ $# -gt 0 ]; do
  case "$1" in
    --server) servers=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --full) full_sizes=1; shift ;;
    --reps) reps=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --tools) tools=$2; shift 2 ;;
    --workloads) workloads=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --big-mib|--big-count|--small-count|--put-count|--list-count|--local-mib|--proxy-big-mib|--proxy-small-count|--proxy-put-count|--proxy-list-count)
      [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || { echo "run-peers: $1 needs a positive number, got '${2:-}'" >&2; exit 2; }
      overrides+=("$1=$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "run-peers: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case "$servers" in fixture) servers="fixture" ;; s3proxy) servers="s3proxy" ;; both) servers="fixture s3proxy" ;;
  *) echo "run-peers: --server must be fixture, s3proxy or both, not '$servers'" >&2; exit 2 ;; esac

# Sizes. Default: issue 16's rows on the fixture: 1 GiB objects (one, and 4 x 1 GiB with download -r / upload -r),
# 20,000 x 64 KiB GETs, 2,000 x 1 MiB PUTs, a 100,000-key listing, one stat, and a 2 GiB local file. That is
# well over an hour with five tools and six rounds on 2 cores: --quick (tiny sizes, 2 rounds) checks that it
# runs, and the size flags or --workloads/--tools pick a subset. --full is kept as a synonym of the defaults.
# S3Proxy (filesystem, itself the bottleneck on 2 cores) gets smaller sizes; the table prints the sizes that ran.
MiB=$((1024 * 1024))
if [ "$quick" = 1 ]; then
  [ "$reps" = 5 ] && reps=2
  big_mib=32; big_count=2; small_count=200; small_kib=64; put_count=40; put_mib=1; list_count=2000; local_mib=64
  proxy_big_mib=32; proxy_small_count=200; proxy_put_count=40; proxy_list_count=2000
else
  big_mib=1024; big_count=4; small_count=20000; small_kib=64; put_count=2000; put_mib=1; list_count=100000; local_mib=2048
  proxy_big_mib=256; proxy_small_count=500; proxy_put_count=100; proxy_list_count=5000
fi
if [ "$full_sizes" = 1 ]; then
  proxy_small_count=2000; proxy_put_count=500; proxy_list_count=20000
fi
for o in ${overrides[@]+"${overrides[@]}"}; do
  name=${o%%=*}; value=${o#*=}
  case "$name" in
    --big-mib) big_mib=$value ;; --big-count) big_count=$value ;; --small-count) small_count=$value ;; --put-count) put_count=$value ;;
    --list-count) list_count=$value ;; --local-mib) local_mib=$value ;; --proxy-small-count) proxy_small_count=$value ;;
    --proxy-big-mib) proxy_big_mib=$value ;;
    --proxy-put-count) proxy_put_count=$value ;; --proxy-list-count) proxy_list_count=$value ;;
  esac
done
[ "$proxy_put_count" -le "$put_count" ] || proxy_put_count=$put_count
[ "$proxy_big_mib" -le "$big_mib" ] || proxy_big_mib=$big_mib
block=8M   # s3-cli's read chunk (Transfers.CHUNK); dd and fio read with the same block size

has() { case ",$1," in *",$2,"*) return 0 ;; *) return 1 ;; esac; }
log() { printf '[run-peers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------ set-up: peers, build, work area
need_apt=()
has "$tools" rclone && ! command -v rclone >/dev/null && need_apt+=(rclone)
has "$tools" s3cmd && ! command -v s3cmd >/dev/null && need_apt+=(s3cmd)
{ has "$workloads" file || has "$workloads" direct; } && ! command -v fio >/dev/null && need_apt+=(fio)
[ -x /usr/bin/time ] || need_apt+=(time)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} with apt"
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null; fi
fi
has "$tools" aws && { command -v aws >/dev/null || die "the aws CLI is not on PATH (pip install awscli)"; }

if [ "$build" = 1 ]; then
  log "building cli and bench (./mvnw -q -pl cli,bench -am install -DskipTests)"
  (cd "$repo" && ./mvnw -q -pl cli,bench -am install -DskipTests) >&2 || die "the build failed"
fi
s3cli="$repo/cli/target/s3-cli/bin/s3-cli"
[ -x "$s3cli" ] || die "$s3cli is missing: run without --no-build"
bench_cp="$repo/bench/target/classes:$repo/bench/target/lib/*"
[ -d "$repo/bench/target/lib" ] || die "bench/target/lib is missing: run without --no-build"

work=$(mktemp -d "${TMPDIR:-/tmp}/s3dlio-peers.XXXXXX")
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
cleanup() {
  stop_server
  # A run that stopped early still leaves its raw figures behind.
  if [ -z "${report:-}" ] && [ -s "${runs:-}" ]; then
    mkdir -p "$repo/bench/results"
    local partial
    partial="$repo/bench/results/peers-$(date -u +%Y-%m-%dT%H%M%SZ)-partial"
    cp "$runs" "$partial.tsv" || true
    # The servers' own logs say why one stopped answering (S3Proxy once died mid-run without a word here).
    for server_log in "$work"/s3proxy.log "$work"/fixture.log; do
      [ -s "$server_log" ] && cp "$server_log" "$partial-$(basename "$server_log")"
    done
  fi
  rm -rf "$work"
}
report=""
trap cleanup EXIT
trap 'exit 130' INT TERM
runs="$work/runs.tsv"
: > "$runs"

# The sandbox's AWS_CA_BUNDLE breaks rclone on plain http ("unable to load custom CA bundle"); loopback needs none.
unset AWS_CA_BUNDLE
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
# s3-cli: objects in flight (-j) and multipart parts in flight both at the common concurrency; 8 MiB parts as
# everyone else's multipart chunk.
export S3DLIO_S3_PATH_STYLE=true S3DLIO_JOBS=$jobs S3DLIO_UPLOAD_CONCURRENCY=$jobs S3DLIO_PART_SIZE=8MiB
# Downloads: no fdatasync per file, as rclone, the aws CLI and the Transfer Manager (s3-cli's default flushes each
# file before its rename; S3DLIO_DOWNLOAD_FSYNC=true in the environment measures that setting instead).
export S3DLIO_DOWNLOAD_FSYNC=${S3DLIO_DOWNLOAD_FSYNC:-false}
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE="$work/aws-credentials"
cat > "$AWS_CONFIG_FILE" <<EOF
[default]
region = us-east-1
request_checksum_calculation = when_required
response_checksum_validation = when_required
s3 =
  addressing_style = path
  max_concurrent_requests = $jobs
  multipart_threshold = 8MB
  multipart_chunksize = 8MB
EOF
printf '[default]\naws_access_key_id = test\naws_secret_access_key = testtest\n' > "$AWS_SHARED_CREDENTIALS_FILE"

# The Transfer Manager harness as a command (/usr/bin/time runs executables, not shell functions).
mkdir -p "$work/bin"
cat > "$work/bin/tm" <<EOF
#!/usr/bin/env bash
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g -cp "$bench_cp" \\
  io.s3dlio.bench.peers.TransferManagerPeer --endpoint "\$BENCH_ENDPOINT" --jobs "$jobs" "\$@"
EOF
chmod +x "$work/bin/tm"
tm() { "$work/bin/tm" "$@"; }

log "work area $work; creating source files"
src="$work/src"
mkdir -p "$src"
head -c $((big_mib * MiB)) /dev/urandom > "$src/big.bin"
head -c $((proxy_big_mib * MiB)) "$src/big.bin" > "$src/big-proxy.bin"
mkdir -p "$src/put1m"
# PUT sources: put_count files of put_mib MiB, cut from random bytes.
head -c $((put_count * put_mib * MiB)) /dev/urandom | (cd "$src/put1m" && split -b "${put_mib}M" -a 5 -d - obj_)

# ------------------------------------------------------------------ measurement
# The server's CPU seconds so far (user + system, from /proc; our fixture or S3Proxy process), or nothing: printed
# per run beside the client's, since client and server share the cores (a tool that costs the server more CPU per
# byte leaves itself less of them).
clock_ticks=$(getconf CLK_TCK)
server_cpu() {
  [ -n "$server_pid" ] && [ -r "/proc/$server_pid/stat" ] || return 0
  awk -v hz="$clock_ticks" '{sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz}' "/proc/$server_pid/stat"
}
# measure SERVER WORKLOAD TOOL ROUND BYTES OBJECTS -- command...   (stdout of the command goes to $work/out)
measure() {
  local server=$1 workload=$2 tool=$3 round=$4 bytes=$5 objects=$6
  shift 7
  local timing="$work/time.txt" gc_log="$work/fixture-gc.log" gc_before=0 gc_ms=""
  [ -f "$gc_log" ] && gc_before=$(wc -l < "$gc_log")
  local server_before server_after server_used=""
  server_before=$(server_cpu)
  if ! /usr/bin/time -f '%e %U %S %M' -o "$timing" "$@" > "$work/out" 2> "$work/err"; then
    log "$tool $workload on $server failed (round $round): $(tail -n 5 "$work/err" | tr '\n' ' ')"
    if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
      local status=0; wait "$server_pid" || status=$?; server_pid=""
      die "the $server server exited (status $status) during $tool $workload: $(tail -n 20 "$work"/"$server".log 2>/dev/null)"
    fi
    printf '%s\t%s\t%s\t%s\tFAILED\t\t\t\t%s\t%s\n' "$server" "$workload" "$tool" "$round" "$bytes" "$objects" >> "$runs"
    return 1
  fi
  read -r wall user sys rss < <(tail -n 1 "$timing")
  server_after=$(server_cpu)
  [ -n "$server_before" ] && [ -n "$server_after" ] && server_used=$(awk "BEGIN{print $server_after-$server_before}")
  # The fixture's GC pauses during this run (-Xlog:gc: "... Pause Young (...) 2229M->2220M(2238M) 66.366ms"; G1's
  # "Concurrent Mark Cycle 692.732ms" is not a pause).
  [ -f "$gc_log" ] && gc_ms=$(tail -n +$((gc_before + 1)) "$gc_log" | awk '/ Pause / && $NF ~ /ms$/ {sub("ms", "", $NF); t += $NF; n++}
    END {printf ", fixture GC %d pauses %.0f ms", n, t}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$server" "$workload" "$tool" "$round" "$wall" "$user" "$sys" \
    "$rss" "$bytes" "$objects" >> "$runs"
  log "$server $workload $tool round $round: ${wall}s wall, $(awk "BEGIN{print $user+$sys}")s CPU, $((rss / 1024)) MiB RSS${server_used:+, server CPU ${server_used}s}$gc_ms"
}

# Counts regular files and bytes under a directory (verification of downloads).
# %.0f, not %d: mawk's %d stops at 2^31 - 1, which 4 x 1 GiB (get4g) passes.
tree_size() { find "$1" -type f -printf '%s\n' | awk '{n++; b+=$1} END {printf "%d %.0f\n", n, b}'; }

# ------------------------------------------------------------------ per-tool commands
# Each sets the command to run in the array cmd for one workload and tool.
rclone_env() {
  export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENV_AUTH=false
  export RCLONE_CONFIG_BENCH_ACCESS_KEY_ID=test RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY=testtest
  export RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true
  export RCLONE_CONFIG_BENCH_ENDPOINT="$endpoint" RCLONE_CONFIG=/dev/null
}
# rclone: same concurrency for files (--transfers) and for parts of one file (upload concurrency, multi-thread
# streams); no client-side MD5 work, as the others run with checksums when_required.
rclone_flags=(--s3-no-check-bucket --s3-disable-checksum --ignore-checksum --s3-chunk-size 8M)
s3cmd_cfg() {
  cat > "$work/s3cmd.cfg" <<EOF
[default]
access_key = test
secret_key = testtest
host_base = ${endpoint#http://}
host_bucket = ${endpoint#http://}
use_https = False
signature_v2 = False
bucket_location = us-east-1
multipart_chunk_size_mb = 8
progress_meter = False
EOF
}

command_for() {
  local workload=$1 tool=$2 dest=$3
  if [ "$tool" = s3-cli-base ]; then
    command_for "$workload" s3-cli "$dest"
    cmd[0]=${S3CLI_BASE:?"tool s3-cli-base needs S3CLI_BASE, the path of another s3-cli launcher"}
    return
  fi
  case "$workload/$tool" in
    get1g/s3-cli) cmd=("$s3cli" get "s3://bench/big/big.bin" -o "$dest/big.bin") ;;
    get1g/aws) cmd=(aws --endpoint-url "$endpoint" s3 cp --only-show-errors "s3://bench/big/big.bin" "$dest/big.bin") ;;
    get1g/rclone) cmd=(rclone copyto "${rclone_flags[@]}" --multi-thread-streams "$jobs" --multi-thread-cutoff 8M \
                       "bench:bench/big/big.bin" "$dest/big.bin") ;;
    get1g/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" -q get "s3://bench/big/big.bin" "$dest/big.bin") ;;
    get1g/tm) cmd=("$work/bin/tm" get-one "s3://bench/big/big.bin" "$dest/big.bin") ;;

    put1g/s3-cli) cmd=("$s3cli" cp "$big_src" "s3://bench/putbig/big.bin") ;;
    put1g/aws) cmd=(aws --endpoint-url "$endpoint" s3 cp --only-show-errors "$big_src" "s3://bench/putbig/big.bin") ;;
    put1g/rclone) cmd=(rclone copyto "${rclone_flags[@]}" --s3-upload-concurrency "$jobs" --s3-upload-cutoff 8M \
                       "$big_src" "bench:bench/putbig/big.bin") ;;
    put1g/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" -q put "$big_src" "s3://bench/putbig/big.bin") ;;
    put1g/tm) cmd=("$work/bin/tm" put-one "$big_src" "s3://bench/putbig/big.bin") ;;

    get4g/s3-cli) cmd=("$s3cli" download "s3://bench/big4/" "$dest" -r -j "$jobs") ;;
    get4g/aws) cmd=(aws --endpoint-url "$endpoint" s3 cp --only-show-errors --recursive "s3://bench/big4/" "$dest") ;;
    get4g/rclone) cmd=(rclone copy "${rclone_flags[@]}" --transfers "$jobs" --checkers "$jobs" --multi-thread-streams "$jobs" \
                       --multi-thread-cutoff 8M "bench:bench/big4" "$dest") ;;
    get4g/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" -q get --recursive "s3://bench/big4/" "$dest/") ;;
    get4g/tm) cmd=("$work/bin/tm" get-dir "s3://bench/big4/" "$dest") ;;

    put4g/s3-cli) cmd=("$s3cli" upload "$src/big4" "s3://bench/putbig4/" -r -j "$jobs") ;;
    put4g/aws) cmd=(aws --endpoint-url "$endpoint" s3 cp --only-show-errors --recursive "$src/big4" "s3://bench/putbig4/big4/") ;;
    put4g/rclone) cmd=(rclone copy "${rclone_flags[@]}" --transfers "$jobs" --checkers "$jobs" --no-traverse \
                       --s3-upload-concurrency "$jobs" --s3-upload-cutoff 8M "$src/big4" "bench:bench/putbig4/big4") ;;
    put4g/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" -q put --recursive "$src/big4" "s3://bench/putbig4/") ;;
    put4g/tm) cmd=("$work/bin/tm" put-dir "$src/big4" "s3://bench/putbig4/big4/") ;;

    stat/s3-cli) cmd=("$s3cli" stat "s3://bench/big/big.bin") ;;
    stat/aws) cmd=(aws --endpoint-url "$endpoint" s3api head-object --bucket bench --key big/big.bin) ;;
    stat/rclone) cmd=(rclone lsjson "${rclone_flags[@]}" --stat "bench:bench/big/big.bin") ;;
    stat/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" info "s3://bench/big/big.bin") ;;

    get64k/s3-cli) cmd=("$s3cli" download "s3://bench/small/" "$dest" -r -j "$jobs") ;;
    get64k/aws) cmd=(aws --endpoint-url "$endpoint" s3 cp --only-show-errors --recursive "s3://bench/small/" "$dest") ;;
    get64k/rclone) cmd=(rclone copy "${rclone_flags[@]}" --transfers "$jobs" --checkers "$jobs" "bench:bench/small" "$dest") ;;
    get64k/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" -q get --recursive "s3://bench/small/" "$dest/") ;;
    get64k/tm) cmd=("$work/bin/tm" get-dir "s3://bench/small/" "$dest") ;;

    put1m/s3-cli) cmd=("$s3cli" upload "$src/put1m" "s3://bench/putsmall/" -r -j "$jobs") ;;
    put1m/aws) cmd=(aws --endpoint-url "$endpoint" s3 cp --only-show-errors --recursive "$src/put1m" "s3://bench/putsmall/put1m/") ;;
    put1m/rclone) cmd=(rclone copy "${rclone_flags[@]}" --transfers "$jobs" --checkers "$jobs" --no-traverse \
                       "$src/put1m" "bench:bench/putsmall/put1m") ;;
    put1m/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" -q put --recursive "$src/put1m" "s3://bench/putsmall/") ;;
    put1m/tm) cmd=("$work/bin/tm" put-dir "$src/put1m" "s3://bench/putsmall/put1m/") ;;

    list/s3-cli) cmd=("$s3cli" ls -r "s3://bench/list/") ;;
    list/aws) cmd=(aws --endpoint-url "$endpoint" s3 ls --recursive "s3://bench/list/") ;;
    list/rclone) cmd=(rclone lsf "${rclone_flags[@]}" --files-only "bench:bench/list") ;;
    list/s3cmd) cmd=(s3cmd -c "$work/s3cmd.cfg" ls --recursive "s3://bench/list/") ;;
    list/tm) cmd=("$work/bin/tm" ls "s3://bench/list/") ;;
    *) die "no command for $workload/$tool" ;;
  esac
}

# Checks what a run produced, so a fast failure can never pass as a fast run.
verify() {
  local workload=$1 tool=$2 dest=$3 objects=$4 bytes=$5 got
  case "$workload" in
    get1g|get4g|get64k) got=$(tree_size "$dest"); [ "$got" = "$objects $bytes" ] || die "$tool $workload wrote '$got' (files bytes), expected '$objects $bytes'" ;;
    list) if [ "$tool" = tm ]; then got=$(grep -o 'objects=[0-9]*' "$work/out" | cut -d= -f2); else got=$(grep -c . "$work/out" || true); fi
          [ "$got" = "$objects" ] || die "$tool listed $got keys, expected $objects" ;;
    stat) grep -q . "$work/out" || die "$tool stat printed nothing" ;;
    put1g|put4g|put1m) local prefix=putsmall; if [ "$workload" = put1g ]; then prefix=putbig; fi
          if [ "$workload" = put4g ]; then prefix=putbig4; fi
          got=$(tm ls "s3://bench/$prefix/" | sed 's/ok ls //')
          [ "$got" = "objects=$objects bytes=$bytes" ] || die "$tool $workload stored '$got', expected objects=$objects bytes=$bytes" ;;
  esac
}

run_s3_workload() {
  local server=$1 workload=$2 objects=$3 bytes=$4
  local selected=()
  for t in s3-cli s3-cli-base aws rclone s3cmd tm; do has "$tools" "$t" && selected+=("$t"); done
  local round tool dest
  for round in $(seq 0 "$reps"); do   # round 0 is the warm-up and is not counted
    for tool in "${selected[@]}"; do
      if [ "$server" = s3proxy ] && [ "$tool" = tm ] && [ "$workload" = put1g ]; then
        # Gotcha G1: the CRT's CreateMultipartUpload carries Expect: 100-continue, S3Proxy's Jetty answers with a
        # close-delimited body the CRT reads as empty ("Upload Id not found"). Recorded as such, not measured.
        printf '%s\t%s\t%s\t%s\tG1\t\t\t\t%s\t%s\n' "$server" "$workload" "$tool" "$round" "$bytes" "$objects" >> "$runs"
        continue
      fi
      if [ "$server" = s3proxy ] && [ "$tool" = tm ] && [ "$workload" = put4g ]; then
        printf '%s\t%s\t%s\t%s\tG1\t\t\t\t%s\t%s\n' "$server" "$workload" "$tool" "$round" "$bytes" "$objects" >> "$runs"
        continue
      fi
      # The Transfer Manager harness has no stat command: no row for it.
      if [ "$workload" = stat ] && [ "$tool" = tm ]; then continue; fi
      # Many small files: each run writes into a directory of its own, and all are deleted after the workload's
      # last round. Deleted right away, the previous run's 20,000 files made the next tool's creates slow on an
      # ext4 without a journal (this VM's): each new inode is allocated past the bits of inodes deleted in the last
      # minute (recently_deleted(), find_inode_bit() in perf: 3.6 -> 20 system CPU-s per run for both tools).
      if [ "$workload" = get64k ]; then dest="$work/dest-$tool-$round"; else dest="$work/dest"; rm -rf "$dest"; fi
      mkdir -p "$dest"
      command_for "$workload" "$tool" "$dest"
      if measure "$server" "$workload" "$tool" "$round" "$bytes" "$objects" -- "${cmd[@]}"; then
        [ "$round" = 0 ] && verify "$workload" "$tool" "$dest" "$objects" "$bytes"
      fi
      [ "$workload" = get64k ] || rm -rf "$dest"
      case "$workload" in put1g) tm purge "s3://bench/putbig/" >/dev/null ;; put4g) tm purge "s3://bench/putbig4/" >/dev/null ;; put1m) tm purge "s3://bench/putsmall/" >/dev/null ;; esac
    done
  done
  rm -rf "$work"/dest-*
}


start_fixture() {
  local port_file="$work/fixture.port"
  rm -f "$port_file"
  # The fixture keeps every uploaded byte on its heap (1 MiB bodies, 8 MiB part segments) until the purge after
  # each run. With ParallelGC every young collection copied them into the old generation: pauses of 1-17 s under
  # load that fell on whichever tool was running, the scatter of the PUT rows (issue 16, putcpu). G1 with 2 MiB
  # regions allocates each array of 1 MiB or more as a humongous object in regions of its own: never copied, and
  # freed by the next young collection once purged. BENCH_FIXTURE_GC=-XX:+UseParallelGC measures the old way.
  # Its GC log says which runs its pauses fell in (measure prints them per run).
  # shellcheck disable=SC2086 # the options are words
  java -Xmx12g ${BENCH_FIXTURE_GC:--XX:+UseG1GC -XX:G1HeapRegionSize=2m} -Xlog:gc:file="$work/fixture-gc.log" \
    -cp "$bench_cp" io.s3dlio.bench.fixture.BenchS3Server --port-file "$port_file" \
    --preload "bench/small/,$small_count,$((small_kib * 1024))" --preload "bench/list/,$list_count,16" \
    > "$work/fixture.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do [ -s "$port_file" ] && break; kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
  [ -s "$port_file" ] || die "the fixture did not start: $(cat "$work/fixture.log")"
  endpoint="http://127.0.0.1:$(cat "$port_file")"
  export BENCH_ENDPOINT=$endpoint AWS_ENDPOINT_URL=$endpoint
}

start_s3proxy() {
  local jar_dir="$repo/bench/target/servers" jar
  jar="$jar_dir/s3proxy-4.1.0-jar-with-dependencies.jar"
  if [ ! -f "$jar" ]; then
    (cd "$repo" && ./mvnw -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
       -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies -DoutputDirectory="$jar_dir") >&2 \
       || die "could not fetch S3Proxy 4.1.0 from Maven Central"
  fi
  local started=0
  s3proxy_start "$jar" "$work" test testtest 2g && started=1
  server_pid=$s3proxy_pid
  endpoint=$s3proxy_endpoint
  [ "$started" = 1 ] || die "S3Proxy did not start (see above)"
  export BENCH_ENDPOINT=$endpoint AWS_ENDPOINT_URL=$endpoint
}

# ------------------------------------------------------------------ S3 workloads per server
started=$(date +%s)
for server in $servers; do
  s3_work=0
  for w in get1g put1g get4g put4g get64k put1m list stat; do has "$workloads" "$w" && s3_work=1; done
  [ "$s3_work" = 1 ] || continue
  if [ "$server" = fixture ]; then
    start_fixture
    n_small=$small_count; n_put=$put_count; n_list=$list_count; n_big=$big_mib; big_src="$src/big.bin"
    log "fixture on $endpoint (preloaded $small_count x ${small_kib} KiB and $list_count listing keys in memory)"
    tm seed "s3://bench/big/big.bin" 1 0 >/dev/null   # creates the bucket
    tm put-one "$big_src" "s3://bench/big/big.bin" >/dev/null
    if has "$workloads" get4g; then
      for i in $(seq 1 "$big_count"); do tm put-one "$big_src" "s3://bench/big4/big-$i.bin" >/dev/null; done
    fi
  else
    start_s3proxy
    n_small=$proxy_small_count; n_put=$proxy_put_count; n_list=$proxy_list_count; n_big=$proxy_big_mib
    big_src="$src/big-proxy.bin"
    log "S3Proxy on $endpoint; seeding $n_small x ${small_kib} KiB and $n_list listing keys over HTTP"
    tm seed "s3://bench/small/" "$n_small" $((small_kib * 1024)) >/dev/null
    tm seed "s3://bench/list/" "$n_list" 16 >/dev/null
    aws --endpoint-url "$endpoint" s3 cp --only-show-errors "$big_src" "s3://bench/big/big.bin"
    if has "$workloads" get4g; then
      for i in $(seq 1 "$big_count"); do
        aws --endpoint-url "$endpoint" s3 cp --only-show-errors "$big_src" "s3://bench/big4/big-$i.bin"
      done
    fi
  fi
  s3cmd_cfg; rclone_env
  # The PUT sources for this server: the first n_put files.
  rm -rf "$src/put1m.cur"; mkdir -p "$src/put1m.cur"
  (cd "$src/put1m" && ls | head -n "$n_put" | while read -r f; do ln "$f" "../put1m.cur/$f"; done)
  mv "$src/put1m" "$src/put1m.all"; mv "$src/put1m.cur" "$src/put1m"
  has "$workloads" get1g && run_s3_workload "$server" get1g 1 $((n_big * MiB))
  has "$workloads" put1g && run_s3_workload "$server" put1g 1 $((n_big * MiB))
  # The 4-object source: hard links of the one big file (same bytes on disk, four names).
  rm -rf "$src/big4"; mkdir -p "$src/big4"
  for i in $(seq 1 "$big_count"); do ln "$big_src" "$src/big4/big-$i.bin"; done
  has "$workloads" get4g && run_s3_workload "$server" get4g "$big_count" $((big_count * n_big * MiB))
  has "$workloads" put4g && run_s3_workload "$server" put4g "$big_count" $((big_count * n_big * MiB))
  has "$workloads" get64k && run_s3_workload "$server" get64k "$n_small" $((n_small * small_kib * 1024))
  has "$workloads" put1m && run_s3_workload "$server" put1m "$n_put" $((n_put * put_mib * MiB))
  has "$workloads" list && run_s3_workload "$server" list "$n_list" 0
  has "$workloads" stat && run_s3_workload "$server" stat 1 0
  rm -rf "$src/put1m"; mv "$src/put1m.all" "$src/put1m"
  stop_server
done

# ------------------------------------------------------------------ local reads: s3-cli vs dd vs fio
run_local() {
  local mode=$1 file=$2 bytes=$3 round tool
  local selected=(s3-cli dd fio)
  for round in $(seq 0 "$reps"); do
    for tool in "${selected[@]}"; do
      case "$mode/$tool" in
        file/s3-cli) cmd=(sh -c "exec '$s3cli' get 'file://$file' > /dev/null") ;;
        direct/s3-cli) cmd=(sh -c "exec '$s3cli' get 'direct://$file' > /dev/null") ;;
        file/dd) cmd=(dd if="$file" of=/dev/null bs=$block status=none) ;;
        direct/dd) cmd=(dd if="$file" of=/dev/null bs=$block iflag=direct status=none) ;;
        file/fio) cmd=(fio --name=read --filename="$file" --rw=read --bs=$block --ioengine=psync --direct=0 --numjobs=1 --output=/dev/null) ;;
        direct/fio) cmd=(fio --name=read --filename="$file" --rw=read --bs=$block --ioengine=psync --direct=1 --numjobs=1 --output=/dev/null) ;;
      esac
      measure local "$mode" "$tool" "$round" "$bytes" 1 -- "${cmd[@]}" || true
    done
  done
}
if has "$workloads" file || has "$workloads" direct; then
  local_file="$work/local.bin"
  log "local: ${local_mib} MiB file for file:// and direct:// reads (block $block for dd and fio)"
  while [ "$(stat -c %s "$local_file" 2>/dev/null || echo 0)" -lt $((local_mib * MiB)) ]; do
    head -c $((local_mib * MiB - $(stat -c %s "$local_file" 2>/dev/null || echo 0))) "$src/big.bin" >> "$local_file"
  done
  has "$workloads" file && run_local file "$local_file" $((local_mib * MiB))
  has "$workloads" direct && run_local direct "$local_file" $((local_mib * MiB))
fi

# ------------------------------------------------------------------ report
mkdir -p "$repo/bench/results"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
suffix=""
if [ "$quick" = 1 ]; then suffix="-quick"; fi
report="$repo/bench/results/peers-$stamp$suffix.md"
cp "$runs" "${report%.md}.tsv"
[ -s "$work/fixture-gc.log" ] && cp "$work/fixture-gc.log" "${report%.md}-fixture-gc.log"
elapsed=$(( $(date +%s) - started ))
/usr/bin/python3 "$repo/bench/peers-report.py" "$runs" \
  --command "$invocation" --reps "$reps" --jobs "$jobs" --elapsed "$elapsed" --quick "$quick" > "$report"
cat "$report"
log "results: $report (raw runs: ${report%.md}.tsv); took ${elapsed}s"
