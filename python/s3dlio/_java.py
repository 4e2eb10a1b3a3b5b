"""Finding a JDK 21+ and the project's jars, and starting the JVM once per process (lazily).

The rules mirror ``bin/lib/jdk.sh``: ``JAVA_HOME`` when it is new enough, otherwise the newest JDK 21+ under
``/usr/lib/jvm``, ``~/.sdkman/candidates/java`` and ``~/.jdks``. Jars come from ``S3DLIO_JARS`` (directories
and/or jar files separated by ``os.pathsep``) or, in a checkout, from ``python-facade/target/lib`` (built by
``./mvnw -pl python-facade -am package -DskipTests``).
"""
from __future__ import annotations

import glob
import os
import re
import shlex
import threading
from pathlib import Path
from typing import List, Optional

MIN_JAVA = 21
JARS_VARIABLE = "S3DLIO_JARS"
JVM_OPTIONS_VARIABLE = "S3DLIO_PYTHON_JVM_OPTS"
_FACADE_JAR = "s3dlio-python-facade-*.jar"
_JPYPE_JAR = "/usr/share/java/org.jpype.jar"

_lock = threading.Lock()
#: The pid of the process that started the JVM through this module; a forked child sees its parent's pid here.
owner_pid: Optional[int] = None


def _java_major(home: Path) -> Optional[int]:
    if not (home / "bin" / "java").exists() or not (home / "bin" / "javac").exists():
        return None
    release = home / "release"
    if release.is_file():
        match = re.search(r'^JAVA_VERSION="(\d+)', release.read_text(encoding="utf-8", errors="replace"), re.M)
        if match:
            return int(match.group(1))
    return None


def find_java_home() -> Path:
    """The JDK to run: ``JAVA_HOME`` if it is 21 or newer, else the newest 21+ found in the usual places."""
    env_home = os.environ.get("JAVA_HOME")
    if env_home:
        major = _java_major(Path(env_home))
        if major is not None and major >= MIN_JAVA:
            return Path(env_home)
    best, best_major = None, 0
    for pattern in ("/usr/lib/jvm/*", "~/.sdkman/candidates/java/*", "~/.jdks/*"):
        for candidate in sorted(glob.glob(os.path.expanduser(pattern))):
            major = _java_major(Path(candidate))
            if major is not None and major >= MIN_JAVA and major > best_major:
                best, best_major = Path(candidate), major
    if best is None:
        raise RuntimeError(
            f"s3dlio needs a JDK {MIN_JAVA} or newer and none was found (looked at JAVA_HOME="
            f"{env_home or '<unset>'}, /usr/lib/jvm/*, ~/.sdkman/candidates/java/*, ~/.jdks/*). Install one, for "
            "example 'apt-get install openjdk-21-jdk-headless', or point JAVA_HOME at it.")
    return best


def find_libjvm(home: Path) -> Path:
    for candidate in ("lib/server/libjvm.so", "lib/server/libjvm.dylib", "jre/lib/amd64/server/libjvm.so"):
        path = home / candidate
        if path.exists():
            return path
    raise RuntimeError(f"no libjvm under the JDK at {home}")


def _checkout_lib() -> Path:
    return Path(__file__).resolve().parents[2] / "python-facade" / "target" / "lib"


def find_jars() -> List[str]:
    """The class path: every jar of ``S3DLIO_JARS`` (or of the checkout's facade build), plus JPype's own jar."""
    setting = os.environ.get(JARS_VARIABLE)
    entries = setting.split(os.pathsep) if setting else [str(_checkout_lib())]
    jars: List[str] = []
    for entry in filter(None, entries):
        path = Path(entry)
        if path.is_dir():
            jars.extend(sorted(str(jar) for jar in path.glob("*.jar")))
        elif path.is_file():
            jars.append(str(path))
        else:
            raise RuntimeError(f"{JARS_VARIABLE} names {entry}, which does not exist" if setting else
                               f"the s3dlio jars are not built: {entry} is missing. Run "
                               "'./mvnw -pl python-facade -am package -DskipTests' in the checkout, or set "
                               f"{JARS_VARIABLE} to a directory holding them")
    if not any(Path(jar).match(_FACADE_JAR) for jar in jars):
        raise RuntimeError(f"no {_FACADE_JAR} among the jars of {setting or _checkout_lib()}; build it with "
                           "'./mvnw -pl python-facade -am package -DskipTests' or fix " + JARS_VARIABLE)
    if os.path.exists(_JPYPE_JAR):
        jars.append(_JPYPE_JAR)
    return jars


def jvm_inherited() -> bool:
    """True in a process forked after its parent started the JVM: that JVM must never be touched here."""
    return owner_pid is not None and owner_pid != os.getpid()


def start() -> None:
    """Starts the JVM in this process unless it runs already. Never call it in a forked child (see jvm_inherited)."""
    global owner_pid
    import jpype

    with _lock:
        if jpype.isJVMStarted():
            if jvm_inherited():
                raise RuntimeError("internal error: the JVM was inherited through fork and must not be used")
            return
        home = find_java_home()
        # -Xrs: signals stay with Python. ExplicitGCInvokesConcurrent: the collection _local asks for to release
        # memory JPype lent to Java starts a concurrent cycle instead of stopping the JVM for a full collection.
        options = ["-Xrs", "--enable-native-access=ALL-UNNAMED", "-XX:+ExplicitGCInvokesConcurrent"]
        options += shlex.split(os.environ.get(JVM_OPTIONS_VARIABLE, ""))
        jpype.startJVM(str(find_libjvm(home)), *options, classpath=find_jars(), convertStrings=False)
        owner_pid = os.getpid()


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
