#!/usr/bin/env bash
# Shows that the public API check works (issue 22), with the very configuration every module inherits: builds the
# fixture module build-support/api-check-selftest (whose parent is the real parent pom), records its API, then
# makes one change at a time and expects the check's verdict:
#   a method added to a listed package, a method of an unlisted package changed -> the build passes
#   a public method removed                                                    -> fails, naming the method
#   a parameter's type changed (int -> long)                                   -> fails, naming the method
# Run by bin/test; extra arguments go to Maven (bin/test passes -o and -Dmaven.repo.local on).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=target/api-selftest
rm -rf "$work" && mkdir -p "$work" && cp -r build-support/api-check-selftest/. "$work/"
baseline=$(pwd)/target/api-selftest-baseline
rm -rf "$baseline" && mkdir -p "$baseline"
widget="$work/src/main/java/io/s3dlio/selftest/api/Widget.java"
helper="$work/src/main/java/io/s3dlio/selftest/internal/Helper.java"
original=$(cat "$widget")
log=$(pwd)/target/api-selftest.log
# Javadoc and sources jars are not what this tests; the build's own compiler and static checks still run.
mvn_verify() {
  ./mvnw -B -ntp -f "$work/pom.xml" verify -Ds3dlio.api.baseline.dir="$baseline" -Dmaven.javadoc.skip=true \
    -Dmaven.source.skip=true "$@" >"$log" 2>&1
}
fail() { echo "api-check-selftest: $1 (Maven's output: $log)" >&2; exit 1; }

./mvnw -B -ntp -q -f "$work/pom.xml" package -Ds3dlio.api.skip=true "$@" >"$log" 2>&1 || fail "the fixture does not build"
cp "$work"/target/s3dlio-api-selftest-*.jar "$baseline/s3dlio-api-selftest.jar"

# Additions, and changes outside the listed packages, pass.
sed -i 's|// MARKER: the self-test inserts members here|/** Added later. */\n    public long weight() {\n        return count;\n    }|' "$widget"
sed -i 's|return 2 \* value;|return value + value;|; s|public static int twice(int value)|public static long twice(long value)|' "$helper"
mvn_verify "$@" || fail "adding a public method (or changing an unlisted package) failed the check; it must pass"
grep -q 'japicmp:.*:cmp (api-check)' "$log" || fail "the API check did not run at all"
echo "api-check-selftest: a method added passes" >&2
cp "build-support/api-check-selftest/src/main/java/io/s3dlio/selftest/internal/Helper.java" "$helper"

# A removed public method fails, and the message names it.
printf '%s\n' "$original" | sed '/The number of parts/,/^    }$/d' > "$widget"
if mvn_verify "$@"; then fail "removing the public method Widget.parts(int) passed the check; it must fail"; fi
grep -q 'parts(int)' "$log" && grep -q 'METHOD_REMOVED' "$log" \
  || fail "removing Widget.parts(int) failed the build, but the message does not name the method and the change"
echo "api-check-selftest: a method removed fails: $(grep -m1 -o 'There is at least one incompatibility.*' "$log" | cut -c1-200)" >&2

# A changed parameter type fails, and the message names the method.
printf '%s\n' "$original" | sed 's|public int parts(int name)|public int parts(long name)|; s|return count + name;|return (int) (count + name);|' > "$widget"
if mvn_verify "$@"; then fail "changing Widget.parts(int) to parts(long) passed the check; it must fail"; fi
grep -q 'parts(int)' "$log" || fail "changing the parameter type of Widget.parts failed the build, but the message does not name the method"
echo "api-check-selftest: a parameter type changed fails: $(grep -m1 -o 'There is at least one incompatibility.*' "$log" | cut -c1-200)" >&2
echo "api-check-selftest: passed" >&2
