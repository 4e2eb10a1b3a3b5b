# Sourced by the benchmark scripts that run against a loopback S3Proxy (bench/run-peers.sh,
# bench/run-adaptive-upload.sh), so the server is configured and awaited one way.
# Usage: s3proxy_start JAR DIR IDENTITY CREDENTIAL [HEAP=1g]
# Starts S3Proxy on a free loopback port with a filesystem store under DIR/s3proxy-data (config and log in DIR)
# and sets s3proxy_pid (at once, so the caller's cleanup can stop it) and s3proxy_endpoint. Returns once the
# server answers; returns 1 with the reason on stderr if it exits or does not answer within 60 s.

s3proxy_start() {
  local jar=$1 dir=$2 identity=$3 credential=$4 heap=${5:-1g} port deadline
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  mkdir -p "$dir/s3proxy-data"
  cat > "$dir/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$identity
s3proxy.credential=$credential
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$dir/s3proxy-data
CONF
  java -Xmx"$heap" -XX:+ExitOnOutOfMemoryError -jar "$jar" --properties "$dir/s3proxy.conf" > "$dir/s3proxy.log" 2>&1 &
  s3proxy_pid=$!
  s3proxy_endpoint="http://127.0.0.1:$port"
  deadline=$((SECONDS + 60)) # it took 34 s to answer at load 14 on two cores
  while [ "$SECONDS" -lt "$deadline" ]; do
    curl -s -o /dev/null "$s3proxy_endpoint/" && return 0
    if ! kill -0 "$s3proxy_pid" 2>/dev/null; then
      echo "S3Proxy exited: $(tail -n 20 "$dir/s3proxy.log")" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "S3Proxy did not answer on $s3proxy_endpoint" >&2
  return 1
}
