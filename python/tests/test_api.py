"""Round trips of every function on file://, direct://, s3:// (S3Proxy) and az:// (Azurite)."""
from __future__ import annotations

import os
import warnings

import numpy
import pytest
import torch

import s3dlio


def payload(size: int, seed: int = 0) -> bytes:
    return numpy.random.default_rng(seed).integers(0, 256, size, dtype=numpy.uint8).tobytes()


def test_put_get_and_zero_copy_views(prefix):
    data = payload(300_000)
    s3dlio.put(prefix + "a.bin", data)
    view = s3dlio.get(prefix + "a.bin")
    assert isinstance(view, memoryview) and view.readonly and view.nbytes == len(data)
    array = numpy.frombuffer(view, dtype=numpy.uint8)
    assert array.tobytes() == data
    assert numpy.shares_memory(array, numpy.asarray(view))  # a view of the same memory, not a copy
    with warnings.catch_warnings():  # torch takes read-only memory without copying, and warns once that it is
        warnings.simplefilter("ignore", UserWarning)
        tensor = torch.frombuffer(view, dtype=torch.uint8)
    assert tensor.data_ptr() == array.ctypes.data
    assert tensor.numel() == len(data) and bytes(tensor[:10].numpy()) == data[:10]
    assert s3dlio.get(prefix + "a.bin", as_bytes=True) == data


def test_put_accepts_numpy_bytearray_and_memoryview(prefix):
    floats = numpy.arange(1000, dtype=numpy.float32)
    s3dlio.put(prefix + "f.bin", floats)
    assert numpy.array_equal(numpy.frombuffer(s3dlio.get(prefix + "f.bin"), numpy.float32), floats)
    s3dlio.put(prefix + "b.bin", bytearray(b"xyz"))
    s3dlio.put(prefix + "m.bin", memoryview(b"0123456789")[2:5])
    assert s3dlio.get(prefix + "b.bin", as_bytes=True) == b"xyz"
    assert s3dlio.get(prefix + "m.bin", as_bytes=True) == b"234"


def test_zero_byte_object_is_an_empty_item(prefix):
    s3dlio.put(prefix + "empty", b"")
    assert bytes(s3dlio.get(prefix + "empty")) == b""
    assert s3dlio.get_many([prefix + "empty"])[0].nbytes == 0
    assert s3dlio.stat(prefix + "empty")["size"] == 0
    batches = list(s3dlio.create_async_loader(prefix, {"batch_size": 1}))
    assert [[bytes(item) for item in batch] for batch in batches] == [[b""]]


def test_get_range(prefix):
    data = payload(10_000, 1)
    s3dlio.put(prefix + "r", data)
    assert bytes(s3dlio.get_range(prefix + "r", 100, 50)) == data[100:150]
    assert bytes(s3dlio.get_range(prefix + "r", 9_990)) == data[9_990:]
    assert bytes(s3dlio.get_range(prefix + "r", 9_990, 100)) == data[9_990:]
    assert bytes(s3dlio.get_range(prefix + "r", 10_000)) == b""
    with pytest.raises(ValueError):
        s3dlio.get_range(prefix + "r", -1)


def test_get_many_keeps_order(prefix):
    uris = [f"{prefix}k{i:03d}" for i in range(40)]
    result = s3dlio.put_many({uri: payload(1000 + i, i) for i, uri in enumerate(uris)}, max_in_flight=8)
    assert result == {"done": 40, "failures": []}
    wanted = list(reversed(uris))
    got = s3dlio.get_many(wanted, max_in_flight=8)
    assert [bytes(item) for item in got] == [payload(1000 + int(u[-3:]), int(u[-3:])) for u in wanted]
    assert s3dlio.get_many([]) == []


def test_get_into_fills_the_callers_array(prefix):
    data = payload(123_457, 2)
    s3dlio.put(prefix + "into", data)
    out = numpy.zeros(200_000, dtype=numpy.uint8)
    assert s3dlio.get_into(prefix + "into", out) == len(data)
    assert out[:len(data)].tobytes() == data and not out[len(data):].any()
    small = numpy.zeros(10, dtype=numpy.uint8)
    with pytest.raises(ValueError, match="into"):
        s3dlio.get_into(prefix + "into", small)


def test_list_lazy_recursive_and_one_level(prefix):
    for key in ["a/1", "a/2", "b/c/3", "top"]:
        s3dlio.put(prefix + key, b"x")
    listing = s3dlio.list(prefix, recursive=True)
    assert iter(listing) is listing  # a lazy iterator
    assert sorted(listing) == sorted(prefix + key for key in ["a/1", "a/2", "b/c/3", "top"])
    assert sorted(s3dlio.list(prefix)) == sorted([prefix + "a/", prefix + "b/", prefix + "top"])


def test_stat_exists_delete(prefix):
    s3dlio.put(prefix + "s", b"12345")
    info = s3dlio.stat(prefix + "s")
    assert info["size"] == 5 and info["uri"] == prefix + "s"
    assert info["last_modified"] is not None
    assert set(info) >= {"etag", "content_type", "metadata", "storage_class", "version", "crc32c"}
    assert s3dlio.exists(prefix + "s") and not s3dlio.exists(prefix + "nope")
    s3dlio.delete(prefix + "s")
    assert not s3dlio.exists(prefix + "s")
    s3dlio.delete(prefix + "s")  # absent: not an error


def test_delete_prefix_returns_failures_as_data(prefix):
    for i in range(25):
        s3dlio.put(f"{prefix}d/{i}", b"x")
    s3dlio.put(prefix + "keep", b"k")
    result = s3dlio.delete_prefix(prefix + "d/")
    assert result == {"deleted": 25, "failures": []}
    assert list(s3dlio.list(prefix, recursive=True)) == [prefix + "keep"]


def test_copy_within_and_across_stores(prefix, tmp_path):
    s3dlio.put(prefix + "src", b"copy me")
    s3dlio.copy(prefix + "src", prefix + "dst")
    assert s3dlio.get(prefix + "dst", as_bytes=True) == b"copy me"
    other = f"file://{tmp_path}/other/copied"
    s3dlio.copy(prefix + "src", other)
    assert s3dlio.get(other, as_bytes=True) == b"copy me"


def test_upload_and_download(prefix, tmp_path):
    source = tmp_path / "up"
    (source / "sub").mkdir(parents=True)
    (source / "one.bin").write_bytes(payload(5000, 3))
    (source / "sub" / "two.bin").write_bytes(payload(7000, 4))
    (source / "empty.bin").write_bytes(b"")
    result = s3dlio.upload([str(source / "*.bin")], prefix + "flat/")
    assert result == {"uploaded": 2, "failures": []}
    result = s3dlio.upload(str(source), prefix + "tree", recursive=True)
    assert result["uploaded"] == 3 and result["failures"] == []
    assert s3dlio.get(prefix + "tree/up/sub/two.bin", as_bytes=True) == payload(7000, 4)

    target = tmp_path / "down"
    result = s3dlio.download(prefix + "tree/", str(target))
    assert result == {"downloaded": 3, "failures": []}
    assert (target / "up" / "sub" / "two.bin").read_bytes() == payload(7000, 4)
    assert (target / "up" / "empty.bin").read_bytes() == b""
    assert not [name for name in os.listdir(target / "up") if name.startswith(".")]  # no temporary files left
    single = tmp_path / "single"
    assert s3dlio.download(prefix + "flat/one.bin", str(single))["downloaded"] == 1
    assert (single / "one.bin").read_bytes() == payload(5000, 3)


def test_writer_streams_and_an_exception_leaves_nothing(prefix):
    with s3dlio.open_writer(prefix + "w") as writer:
        for i in range(5):
            writer.write(payload(100_000, i))
    assert s3dlio.get(prefix + "w", as_bytes=True) == b"".join(payload(100_000, i) for i in range(5))

    with pytest.raises(RuntimeError, match="boom"):
        with s3dlio.open_writer(prefix + "aborted") as writer:
            writer.write(payload(1000))
            raise RuntimeError("boom")
    assert not s3dlio.exists(prefix + "aborted")
    assert prefix + "aborted" not in set(s3dlio.list(prefix, recursive=True))


def test_missing_object_raises_file_not_found_naming_it(prefix):
    missing = prefix + "no/such/object"
    for call in (lambda: s3dlio.get(missing), lambda: s3dlio.stat(missing), lambda: s3dlio.get_range(missing, 0, 1),
                 lambda: s3dlio.get_many([missing])):
        with pytest.raises(FileNotFoundError) as raised:
            call()
        assert missing in str(raised.value)
        assert "at io.s3dlio" not in str(raised.value)  # no Java stack trace unless asked
