#!/bin/bash
# CPU cost of the end-to-end checks on a 1 GiB ranged GET (s3-cli get -o) from the in-process fixture.
#   bench/run-integrity-cost.sh        the CRC32C check: response checks off against on (multipart object)
#   bench/run-integrity-cost.sh md5    the in-order MD5 of a single-part object (an MD5 ETag, no CRC32C kept,
#                                      as S3Proxy 4.1): S3DLIO_S3_VERIFY_CHUNKED_MD5 true against false, for
#                                      get -o (readInto) and load --batch-size 1 (one buffer); ROUNDS=3
# Builds nothing: package cli and bench first (./mvnw -pl cli,bench -am package -DskipTests).
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/lib/jdk.sh
what=${1:-crc32c}
work=${TMPDIR:-/tmp}/s3dlio-integrity-cost; rm -rf "$work"; mkdir -p "$work"
java -Xmx3g -XX:+UseParallelGC -cp "bench/target/classes:bench/target/lib/*" io.s3dlio.bench.fixture.BenchS3Server --port-file "$work/port" > "$work/fixture.log" 2>&1 &
fx=$!
trap 'kill $fx 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do [ -s "$work/port" ] && break; sleep 0.1; done
export AWS_ENDPOINT_URL=http://127.0.0.1:$(cat "$work/port") S3DLIO_S3_PATH_STYLE=true AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=testtest AWS_REGION=us-east-1
export S3DLIO_PART_SIZE=8MiB
S=cli/target/s3-cli/bin/s3-cli
head -c $((1024*1024*1024)) /dev/urandom > "$work/big.bin"
$S mb s3://bench >/dev/null 2>&1 || true
if [ "$what" = md5 ]; then
  # One plain PUT (the fixture takes unsigned requests; s3-cli's writer would upload one part): an MD5 ETag,
  # no checksum kept by the fixture.
  curl -sS -f -T "$work/big.bin" "$AWS_ENDPOINT_URL/bench/big/big.bin"
  $S stat s3://bench/big/big.bin
  for round in $(seq 1 "${ROUNDS:-3}"); do
    for md5 in true false; do
      rm -f "$work/out.bin"
      uptime | sed 's/.*load/load/'
      S3DLIO_S3_VERIFY_CHUNKED_MD5=$md5 /usr/bin/time -f "get -o md5=$md5 round $round: %e s wall, %U user %S sys CPU-s, %M KiB RSS" $S get s3://bench/big/big.bin -o "$work/out.bin"
      cmp "$work/out.bin" "$work/big.bin"
      S3DLIO_S3_VERIFY_CHUNKED_MD5=$md5 /usr/bin/time -f "load md5=$md5 round $round: %e s wall, %U user %S sys CPU-s, %M KiB RSS" $S load s3://bench/big/ --batch-size 1 > /dev/null
    done
  done
  exit 0
fi
# Written with checksums on: a FULL_OBJECT CRC32C multipart upload (if the fixture keeps it).
AWS_REQUEST_CHECKSUM_CALCULATION=when_supported $S cp "$work/big.bin" s3://bench/big/big.bin
AWS_RESPONSE_CHECKSUM_VALIDATION=when_supported $S stat s3://bench/big/big.bin || true
for round in 1 2 3; do
  for mode in when_required when_supported; do
    rm -f "$work/out.bin"
    uptime | sed 's/.*load/load/'
    AWS_REQUEST_CHECKSUM_CALCULATION=$mode AWS_RESPONSE_CHECKSUM_VALIDATION=$mode /usr/bin/time -f "$mode round $round: %e s wall, %U user %S sys CPU-s, %M KiB RSS" $S get s3://bench/big/big.bin -o "$work/out.bin"
    cmp "$work/out.bin" "$work/big.bin"
  done
done
