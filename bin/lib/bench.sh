# Sourced by the bin/bench-* launchers: builds the bench module and what it needs from this checkout, then
# runs one of its benchmark mains (bench/src/main). Usage: bench_main DEFAULT_HEAP MAIN_CLASS [ARGS...]
# BENCH_HEAP overrides the heap; BENCH_JAVA_OPTS adds JVM options (docs/CONFIGURATION.md, "Benchmarks").

bench_main() {
  local heap=$1 main=$2
  shift 2
  # Compile and build-classpath in one reactor, so sibling modules resolve to this checkout's target/classes
  # (not to jars another checkout installed into ~/.m2). Every module writes its own target/bench-classpath.txt;
  # bench's is the one used. The compile also copies S3Proxy into bench/target/it-servers.
  ./mvnw -q -pl bench -am compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=runtime
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS: extra JVM options, split on spaces on purpose
  exec "$JAVA_HOME/bin/java" -Xmx"${BENCH_HEAP:-$heap}" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} \
    -Ds3dlio.it.servers="$PWD/bench/target/it-servers" \
    -cp "bench/target/classes:$(cat bench/target/bench-classpath.txt)" "$main" "$@"
}
