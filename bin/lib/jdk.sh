# Sourced by the project's scripts: finds a JDK >= 21 and exports JAVA_HOME, or stops with what to install.
# Order: $JAVA_HOME if it is new enough, then the newest JDK under /usr/lib/jvm (and ~/.sdkman, ~/.jdks).

s3dlio_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 21, 25), or nothing if it is not a JDK.
  local home=$1 release
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    release=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  fi
  if [ -z "$release" ]; then
    release=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$release"
}

s3dlio_find_jdk() {
  local min=21 candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(s3dlio_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -d "$candidate" ] || continue
    major=$(s3dlio_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ]; then
    cat >&2 <<MSG
s3dlio-java needs a JDK 21 or newer, and none was found.
  Looked at: JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm/*, ~/.sdkman/candidates/java/*, ~/.jdks/*
  Install one, for example:  apt-get install openjdk-21-jdk-headless   (or Temurin 21/25)
  or point JAVA_HOME at it:   export JAVA_HOME=/path/to/jdk-21
MSG
    return 1
  fi
  export JAVA_HOME=$best
}

s3dlio_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own Guice trips JDK 24+'s sun.misc.Unsafe warnings; they are Maven's, not ours.
if [ "$(s3dlio_java_major "$JAVA_HOME")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
