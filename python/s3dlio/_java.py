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
        # -Xrs: signals stay with Python. ExplicitGCInvokesConcurrent: with G1 (when the user picks it) the collection
        # _local asks for to release memory JPype lent to Java starts a concurrent cycle instead of a full one.
        # The collector and the young generation: see collector() and young_generation().
        user = shlex.split(os.environ.get(JVM_OPTIONS_VARIABLE, ""))
        options = ["-Xrs", "--enable-native-access=ALL-UNNAMED", "-XX:+ExplicitGCInvokesConcurrent"]
        options += collector(user) + young_generation(user) + user
        jpype.startJVM(str(find_libjvm(home)), *options, classpath=find_jars(), convertStrings=False)
        owner_pid = os.getpid()


#: Options that size the young generation themselves; with any of them the package adds no -Xmn of its own.
_YOUNG_OPTIONS = ("-Xmn", "-XX:NewSize=", "-XX:MaxNewSize=", "-XX:NewRatio=", "-XX:G1NewSizePercent=",
                  "-XX:G1MaxNewSizePercent=", "-XX:+UseZGC", "-XX:+UseShenandoahGC", "-XX:+UseEpsilonGC")
_YOUNG_MAX = 1 << 30
_YOUNG_MIN = 64 << 20


def collector(user_options: List[str]) -> List[str]:
    """``-XX:+UseParallelGC`` unless the user picks a collector: the throughput collector, for a process whose JVM
    mostly turns reads into short-lived heap arrays. Beside G1 it cost the loader's threads less CPU per MiB
    (docs/BENCHMARKS.md, issue 17, pyloader); ``System.gc()``, which the package calls after every 1 GiB lent to
    Java outside its pool, is then a stop-the-world collection of a heap that holds little."""
    if any(option.startswith("-XX:+Use") and option.endswith("GC") for option in user_options):
        return []
    return ["-XX:+UseParallelGC"]


def young_generation(user_options: List[str]) -> List[str]:
    """A fixed young generation: one sixteenth of physical memory (or of the cgroup's limit), 64 MiB to 1 GiB (``[]`` when the user's options
    size it, or pick a collector without one).

    Every object read lands first in a heap array of its size, and a loader keeps a prefetch window of batches
    (4 x 32 x 1 MiB by default) alive in the young generation. G1 left to itself sizes the young generation for
    its pause goal and, on a busy machine, shrank it until each collection copied that window again: collector
    threads used 2-10 ms of CPU per MiB loaded, more than everything else together (docs/BENCHMARKS.md, issue 17,
    pyloader). With a young generation many times the window, collections are rare and copy little."""
    if any(option.startswith(_YOUNG_OPTIONS) for option in user_options):
        return []
    memory = _memory_limit()
    if memory is None:
        return []
    young = max(_YOUNG_MIN, min(_YOUNG_MAX, memory // 16))
    heaps = [_size(option[len("-Xmx"):]) for option in user_options if option.startswith("-Xmx")]
    if heaps and heaps[-1] is not None:
        young = min(young, heaps[-1] // 4)  # the last -Xmx wins, as in the JVM
    return [f"-Xmn{young >> 20}m"] if young >= 16 << 20 else []


def _memory_limit() -> Optional[int]:
    """Physical memory, or the cgroup's limit when it is lower (the JVM sizes its heap from the same figure)."""
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            limit = _size(Path(limit_file).read_text().strip())
        except OSError:
            continue
        if limit is not None and 0 < limit < memory:
            memory = limit
    return memory


def _size(text: str) -> Optional[int]:
    """A JVM size (``512m``, ``4g``, ``1073741824``) in bytes, or None when it is not one."""
    match = re.fullmatch(r"(\d+)([kKmMgGtT]?)", text)
    if not match:
        return None
    return int(match.group(1)) << {"": 0, "k": 10, "m": 20, "g": 30, "t": 40}[match.group(2).lower()]


def _after_fork_in_child() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
