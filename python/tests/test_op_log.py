"""init_op_log / finalize_op_log / is_op_log_active: the operation log (warp's .csv.zst format) from Python, read
back through the Java reader (io.s3dlio.oplog.OpLogReader) and as raw text."""
from __future__ import annotations

import os

import pytest

import s3dlio
from conftest import make_prefix

COLUMNS = ["idx", "thread", "op", "client_id", "n_objects", "bytes", "endpoint", "file", "error", "start",
           "first_byte", "last_byte", "end", "duration_ns", "cat"]


def _text(path: str) -> str:
    """The decompressed file, through zstd-jni (on the facade's class path), independent of the reader."""
    import jpype

    stream = jpype.JClass("com.github.luben.zstd.ZstdInputStream")(jpype.JClass("java.io.FileInputStream")(path))
    try:
        return bytes(stream.readAllBytes()).decode("utf-8")
    finally:
        stream.close()


def _records(path: str):
    import jpype

    reader = jpype.JClass("io.s3dlio.oplog.OpLogReader")
    return list(reader.readAll(jpype.JClass("java.nio.file.Path").of(path, [])))


@pytest.mark.parametrize("scheme", ["file", "s3"])
def test_op_log_records_each_call_and_reads_back(scheme, tmp_path, servers):
    prefix = make_prefix(scheme, tmp_path, servers)
    log = str(tmp_path / f"py-{scheme}.csv.zst")
    s3dlio.put(prefix + "warm", b"w")  # starts the JVM; not logged
    s3dlio.init_op_log(log)
    assert s3dlio.is_op_log_active()
    s3dlio.init_op_log(log)  # the same file again: nothing happens (as in the original)
    sizes = [1000, 2000, 3000]
    for i, size in enumerate(sizes):
        s3dlio.put(f"{prefix}obj-{i}", os.urandom(size))
    for i in range(len(sizes)):
        s3dlio.get(f"{prefix}obj-{i}")
    with pytest.raises(FileNotFoundError):
        s3dlio.get(prefix + "missing")
    with pytest.raises(ValueError, match="finalize"):
        s3dlio.init_op_log(str(tmp_path / "other.csv.zst"))
    assert not os.path.exists(log)  # complete files only under the final name
    s3dlio.finalize_op_log()
    assert not s3dlio.is_op_log_active()
    s3dlio.finalize_op_log()  # twice is harmless
    s3dlio.get(f"{prefix}obj-0")  # after finalize: not logged

    records = _records(log)
    ops = [(str(r.op()), str(r.uri()), int(r.bytes()), bool(r.failed())) for r in records]
    puts = [op for op in ops if op[0] == "PUT"]
    gets = [op for op in ops if op[0] == "GET"]
    assert [(uri, size) for _, uri, size, _ in puts] == [(f"{prefix}obj-{i}", size) for i, size in enumerate(sizes)]
    assert sorted((uri, size) for _, uri, size, failed in gets if not failed) == \
        [(f"{prefix}obj-{i}", size) for i, size in enumerate(sizes)]
    failed = [r for r in records if r.failed()]
    assert len(failed) >= 1 and all(str(r.uri()) == prefix + "missing" for r in failed)
    assert all(str(r.error().get()) for r in failed)
    assert not any("warm" in uri for _, uri, _, _ in ops)

    text = _text(log)
    assert text.splitlines()[0].split("\t") == COLUMNS
    for line in text.splitlines()[1:]:
        if not line.startswith("#"):
            assert len(line.split("\t")) == len(COLUMNS), line
    # The secret key (the access key, "test", is in every temporary path here) and the Azure account key.
    secrets = [servers["AWS_SECRET_ACCESS_KEY"]] + [part.partition("=")[2] for part in
                                                    servers["AZURE_STORAGE_CONNECTION_STRING"].split(";")
                                                    if part.startswith("AccountKey=")]
    assert len(secrets) == 2 and all(secrets)
    for secret in secrets:
        assert secret not in text


def test_is_op_log_active_is_false_without_a_log():
    s3dlio.finalize_op_log()
    assert not s3dlio.is_op_log_active()
