"""The pytest suite's servers and stores: S3Proxy and Azurite started once per session (through the test kit's
launchers, run by ``io.s3dlio.python.TestServers`` from the facade module's test class path), file:// and
direct:// under pytest's temporary directory. A server that cannot start fails the session: nothing is skipped.

Needs the facade built with its test class path: ``./mvnw -pl python-facade -am package -DskipTests``.
"""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FACADE = REPO / "python-facade" / "target"
sys.path.insert(0, str(REPO / "python"))

BACKENDS = ["file", "direct", "s3", "az"]


def _java() -> str:
    from s3dlio import _java

    return str(_java.find_java_home() / "bin" / "java")


@pytest.fixture(scope="session", autouse=True)
def servers():
    """Starts S3Proxy and Azurite and exports the variables pointing s3dlio at them, before any JVM starts."""
    test_lib = FACADE / "test-lib"
    if not test_lib.is_dir() or not (FACADE / "test-classes").is_dir():
        pytest.fail(f"{test_lib} is missing: build with './mvnw -pl python-facade -am package -DskipTests'")
    classpath = os.pathsep.join([str(FACADE / "test-classes"), str(test_lib / "*")])
    process = subprocess.Popen(
        [_java(), "-Xmx512m", f"-Ds3dlio.it.servers={FACADE / 'it-servers'}", "-cp", classpath,
         "io.s3dlio.python.TestServers"],
        cwd=str(REPO), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    settings = {}
    for line in process.stdout:
        line = line.rstrip("\n")
        if line == "READY":
            break
        name, _, value = line.partition("=")
        settings[name] = value
    else:
        process.wait(timeout=60)
        pytest.fail(f"the test servers did not start (exit status {process.returncode}); see the output above")
    os.environ.update(settings)
    os.environ.setdefault("S3DLIO_LOADER_NUM_WORKERS", "8")
    yield settings
    process.stdin.close()
    process.wait(timeout=60)


@pytest.fixture(params=BACKENDS)
def prefix(request, tmp_path, servers):
    """A fresh, empty prefix URI ending in '/' on each backend."""
    return make_prefix(request.param, tmp_path, servers)


def make_prefix(scheme: str, tmp_path: Path, servers) -> str:
    import s3dlio

    name = "py-" + uuid.uuid4().hex[:12]
    if scheme == "file":
        return f"file://{tmp_path}/{name}/"
    if scheme == "direct":
        return f"direct://{tmp_path}/{name}/"
    if scheme == "s3":
        s3dlio.create_bucket(f"s3://{name}/")
        return f"s3://{name}/data/"
    if scheme == "az":
        account = servers["S3DLIO_TEST_AZURE_ACCOUNT"]
        s3dlio.create_bucket(f"az://{account}/{name}/")
        return f"az://{account}/{name}/data/"
    raise AssertionError(scheme)
