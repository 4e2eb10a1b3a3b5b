"""The options of the JVM the package starts: a fixed young generation unless the user sizes it (issue 17)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from s3dlio import _java

PYTHON_DIR = str(Path(__file__).resolve().parents[1])
MEMORY = _java._memory_limit()
DEFAULT_YOUNG = max(64 << 20, min(1 << 30, MEMORY // 16))


def test_young_generation_is_a_sixteenth_of_memory_within_bounds():
    assert _java.young_generation([]) == [f"-Xmn{DEFAULT_YOUNG >> 20}m"]


@pytest.mark.parametrize("user", [["-Xmn256m"], ["-XX:NewSize=64m"], ["-XX:MaxNewSize=1g"], ["-XX:NewRatio=3"],
                                  ["-XX:+UseZGC"], ["-XX:+UseShenandoahGC"]])
def test_no_young_generation_when_the_user_sizes_it_or_picks_a_collector_without_one(user):
    assert _java.young_generation(user) == []


def test_young_generation_is_at_most_a_quarter_of_the_users_heap():
    assert _java.young_generation(["-Xmx4g", "-Xmx256m"]) == [f"-Xmn{min(DEFAULT_YOUNG, 64 << 20) >> 20}m"]
    assert _java.young_generation(["-Xmx512m"]) == [f"-Xmn{min(DEFAULT_YOUNG, 128 << 20) >> 20}m"]
    assert _java.young_generation(["-Xmx32m"]) == []  # too small to split: the JVM decides
    assert _java.young_generation(["-Xmx256m", "-Xmx8g"]) == [f"-Xmn{min(DEFAULT_YOUNG, 2 << 30) >> 20}m"]


def test_memory_limit_is_at_most_physical_memory():
    assert 0 < MEMORY <= os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def _max_new_size(tmp_path, options):
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, S3DLIO_PYTHON_JVM_OPTS=options)
    code = ("import s3dlio, jpype\n"
            f"s3dlio.exists('file://{tmp_path}/absent')\n"
            "bean = jpype.JClass('java.lang.management.ManagementFactory').getPlatformMXBean("
            "jpype.JClass('com.sun.management.HotSpotDiagnosticMXBean'))\n"
            "print(bean.getVMOption('MaxNewSize').getValue())\n")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip())


def test_the_started_jvm_has_the_young_generation(tmp_path):
    assert _max_new_size(tmp_path, "") == DEFAULT_YOUNG
    assert _max_new_size(tmp_path, "-Xmn96m") == 96 << 20


def test_parallel_collector_unless_the_user_picks_one():
    assert _java.collector([]) == ["-XX:+UseParallelGC"]
    assert _java.collector(["-Xmx2g"]) == ["-XX:+UseParallelGC"]
    assert _java.collector(["-XX:+UseG1GC"]) == []
    assert _java.collector(["-XX:+UseZGC", "-Xmx2g"]) == []


def test_a_collector_the_user_picks_starts(tmp_path):
    assert _max_new_size(tmp_path, "-XX:+UseG1GC -Xmn80m") == 80 << 20
