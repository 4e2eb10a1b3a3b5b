"""Errors as Python users expect them: the built-in types, one line naming the URI."""
from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

import s3dlio

PYTHON_DIR = str(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize("uri", ["nope://bucket/key", "s3:/missing-slash", "relative/path"])
def test_bad_uri_is_a_value_error_naming_it(uri):
    with pytest.raises(ValueError) as raised:
        s3dlio.get(uri)
    assert uri in str(raised.value)


def test_missing_bucket_is_file_not_found(servers):
    uri = f"s3://no-such-bucket-{uuid.uuid4().hex[:8]}/key"
    with pytest.raises(FileNotFoundError, match="no-such-bucket"):
        s3dlio.get(uri)
    container = f"az://{servers['S3DLIO_TEST_AZURE_ACCOUNT']}/missing{uuid.uuid4().hex[:8]}/key"
    with pytest.raises(FileNotFoundError, match="missing"):
        s3dlio.get(container)


def test_refused_credentials_are_a_permission_error(servers):
    # A fresh process: credentials are read when its JVM starts.
    bucket = f"s3://py-{uuid.uuid4().hex[:10]}/"
    s3dlio.create_bucket(bucket)
    s3dlio.put(bucket + "k", b"x")
    env = dict(os.environ, AWS_SECRET_ACCESS_KEY="wrong-secret", PYTHONPATH=PYTHON_DIR)
    code = ("import s3dlio\n"
            f"try:\n    s3dlio.get({bucket + 'k'!r})\n"
            "except PermissionError as e:\n    print('PermissionError', e)\n")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PermissionError") and bucket + "k" in result.stdout
    assert "wrong-secret" not in result.stdout + result.stderr


def test_java_stack_trace_only_when_asked(tmp_path, monkeypatch):
    missing = f"file://{tmp_path}/absent"
    with pytest.raises(FileNotFoundError) as quiet:
        s3dlio.get(missing)
    assert "\tat " not in str(quiet.value)
    monkeypatch.setenv("S3DLIO_PYTHON_TRACEBACK", "1")
    with pytest.raises(FileNotFoundError) as loud:
        s3dlio.get(missing)
    assert "Java stack trace" in str(loud.value) and "\tat " in str(loud.value)
