"""Dataset formats from Python: NPY/NPZ arrays checked against NumPy, TFRecord indexes against an independent
indexer (CRC-32C from crcmod), and record-level loading (each TFRecord record once per epoch, with shuffle,
drop_last and sharding)."""
from __future__ import annotations

import io
import struct

import crcmod.predefined
import numpy
import pytest

import s3dlio
from conftest import make_prefix

_crc32c = crcmod.predefined.mkCrcFun("crc-32c")


def _masked(data: bytes) -> int:
    crc = _crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def tfrecord(records) -> bytes:
    """A TFRecord file written independently of the library: length, masked CRC-32C of it, data, masked CRC-32C."""
    out = io.BytesIO()
    for data in records:
        length = struct.pack("<Q", len(data))
        out.write(length + struct.pack("<I", _masked(length)) + data + struct.pack("<I", _masked(data)))
    return out.getvalue()


def independent_index(data: bytes):
    """(offset, size) per record, walking the framing and checking both CRCs."""
    entries, offset = [], 0
    while offset < len(data):
        (length,) = struct.unpack_from("<Q", data, offset)
        assert struct.unpack_from("<I", data, offset + 8)[0] == _masked(data[offset:offset + 8])
        payload = data[offset + 12:offset + 12 + length]
        assert struct.unpack_from("<I", data, offset + 12 + length)[0] == _masked(payload)
        entries.append((offset, length + 16))
        offset += length + 16
    return entries


def records_of(count: int, seed: int = 0):
    rng = numpy.random.default_rng(seed)
    return [rng.integers(0, 256, int(rng.integers(0, 64)), dtype=numpy.uint8).tobytes() + b"#%d" % i
            for i in range(count)]


def npy_bytes(array: numpy.ndarray) -> bytes:
    out = io.BytesIO()
    numpy.save(out, array)
    return out.getvalue()


def npz_bytes(compressed: bool = False, **arrays: numpy.ndarray) -> bytes:
    out = io.BytesIO()
    (numpy.savez_compressed if compressed else numpy.savez)(out, **arrays)
    return out.getvalue()


ARRAYS = [
    numpy.arange(24, dtype=numpy.float32).reshape(2, 3, 4),
    numpy.arange(10, dtype=numpy.uint64) * (1 << 40),
    numpy.linspace(-1, 1, 7).astype(numpy.float16),
    numpy.asfortranarray(numpy.arange(12, dtype=numpy.int16).reshape(3, 4)),
    numpy.zeros((0, 5), dtype=numpy.int8),
    numpy.array(3.5, dtype=numpy.float64),  # shape ()
]


def check_same(got: numpy.ndarray, want: numpy.ndarray) -> None:
    assert got.dtype == want.dtype and got.shape == want.shape
    assert numpy.array_equal(got, want)
    assert got.tobytes(order="A") == want.tobytes(order="A")
    # A view of the bytes read, not a copy: read-only and owning nothing.
    assert not got.flags.writeable and not got.flags.owndata


def test_read_npy_gives_numpys_dtype_shape_and_bytes_without_a_copy(prefix):
    for i, array in enumerate(ARRAYS):
        s3dlio.put(f"{prefix}a{i}.npy", npy_bytes(array))
        check_same(s3dlio.read_npy(f"{prefix}a{i}.npy"), array)
    s3dlio.put(prefix + "not.npy", b"hello world, not an array")
    with pytest.raises(OSError, match="not.npy"):
        s3dlio.read_npy(prefix + "not.npy")
    with pytest.raises(FileNotFoundError, match="absent.npy"):
        s3dlio.read_npy(prefix + "absent.npy")


def test_read_npz_by_name_first_and_all(prefix):
    x = numpy.arange(4 * 1000, dtype=numpy.float32).reshape(4, 1000)
    y = numpy.arange(4, dtype=numpy.int64)
    s3dlio.put(prefix + "s.npz", npz_bytes(x=x, y=y, empty=numpy.zeros(0, numpy.uint8)))
    check_same(s3dlio.read_npz(prefix + "s.npz", "y"), y)
    check_same(s3dlio.read_npz(prefix + "s.npz"), x)  # the first array, as the original did
    arrays = s3dlio.read_npz_arrays(prefix + "s.npz")
    assert list(arrays) == ["x", "y", "empty"]
    check_same(arrays["x"], x)
    check_same(arrays["empty"], numpy.zeros(0, numpy.uint8))
    with pytest.raises(OSError, match="'nope'"):
        s3dlio.read_npz(prefix + "s.npz", "nope")


def test_compressed_npz_members_are_refused_by_name(tmp_path, servers):
    prefix = make_prefix("file", tmp_path, servers)
    s3dlio.put(prefix + "c.npz", npz_bytes(compressed=True, big=numpy.zeros(1000)))
    with pytest.raises(OSError, match="big.npy is compressed"):
        s3dlio.read_npz(prefix + "c.npz")


@pytest.mark.parametrize("count", [0, 1, 10_000])
def test_tfrecord_index_matches_an_independent_one(count, tmp_path, servers):
    for scheme in ("file", "s3"):
        prefix = make_prefix(scheme, tmp_path / scheme, servers)
        data = tfrecord(records_of(count, count))
        want = independent_index(data)
        uri = prefix + "train.tfrecord"
        s3dlio.put(uri, data)
        assert s3dlio.create_tfrecord_index(uri) == count
        text = s3dlio.get(uri + ".idx", as_bytes=True).decode()
        assert text == "".join(f"{offset} {size}\n" for offset, size in want)
        assert s3dlio.read_tfrecord_index(uri + ".idx") == want
        assert s3dlio.parse_tfrecord_index(text) == want
        assert s3dlio.index_tfrecord_bytes(data) == text
        assert s3dlio.get_tfrecord_index_entries(memoryview(data)) == want
        assert s3dlio.create_tfrecord_index(uri, prefix + "elsewhere.idx") == count
        assert s3dlio.read_tfrecord_index(prefix + "elsewhere.idx") == want


def test_tfrecord_index_of_local_paths_and_corrupt_files(tmp_path):
    data = tfrecord(records_of(5))
    path = tmp_path / "plain.tfrecord"
    path.write_bytes(data)
    assert s3dlio.create_tfrecord_index(str(path)) == 5  # a plain path, as the original took
    assert s3dlio.read_tfrecord_index(str(path) + ".idx") == independent_index(data)

    flipped = bytearray(data)
    second = independent_index(data)[1][0]
    flipped[second + 3] ^= 0x10  # a bit of the second record's length
    bad = tmp_path / "bad.tfrecord"
    bad.write_bytes(bytes(flipped))
    with pytest.raises(OSError, match=f"bad.tfrecord.*offset {second}|offset {second}.*bad.tfrecord"):
        s3dlio.create_tfrecord_index(str(bad))
    with pytest.raises(OSError, match=f"offset {second}"):
        s3dlio.index_tfrecord_bytes(bytes(flipped))
    with pytest.raises(OSError, match="runs past the end"):
        s3dlio.get_tfrecord_index_entries(data[:-3])
    with pytest.raises(ValueError, match="line 2"):
        s3dlio.parse_tfrecord_index("0 26\nzero 31\n", "my.idx")


def _write_tfrecord_dataset(prefix: str, files: int, per_file: int, index: bool):
    """TFRecord files whose records say which file and record they are; returns every record's data."""
    every = []
    for f in range(files):
        records = [b"file%02d-record%04d-" % (f, r) + bytes([r % 251]) * (r % 37) for r in range(per_file)]
        uri = f"{prefix}part-{f:02d}.tfrecord"
        s3dlio.put(uri, tfrecord(records))
        if index and f % 2 == 0:  # half with an index, half scanned
            s3dlio.create_tfrecord_index(uri)
        every.extend(records)
    return every


@pytest.mark.parametrize("scheme", ["file", "s3"])
def test_loader_delivers_each_tfrecord_record_once_per_epoch(scheme, tmp_path, servers):
    prefix = make_prefix(scheme, tmp_path, servers)
    every = _write_tfrecord_dataset(prefix, files=4, per_file=25, index=True)
    total = len(every)
    loader = s3dlio.create_async_loader(prefix, {"records": "tfrecord", "batch_size": 8})
    assert len(loader) == total
    batches = [[bytes(item) for item in batch] for batch in loader]
    assert [len(batch) for batch in batches] == [8] * (total // 8) + [total % 8]
    assert sum(batches, []) == every  # unshuffled: file by file, record by record

    shuffled = s3dlio.create_async_loader(prefix, {"records": "tfrecord", "batch_size": 8, "shuffle": True,
                                                   "seed": 11, "drop_last": True})
    for epoch in range(2):
        got = [bytes(item) for batch in shuffled.epoch(epoch) for item in batch]
        assert len(got) == total // 8 * 8 and len(set(got)) == len(got) and set(got) <= set(every)
        assert got != every[:len(got)]

    world = 3
    shards = []
    for rank in range(world):
        sharded = s3dlio.create_async_loader(prefix, {"records": "tfrecord", "batch_size": 5, "shuffle": True,
                                                      "seed": 2, "shard_rank": rank, "shard_world_size": world})
        shards.append([bytes(item) for batch in sharded.epoch(1) for item in batch])
    assert sorted(sum(shards, [])) == sorted(every)  # disjoint and complete


def test_loader_over_npz_members_and_corrupt_records(tmp_path, servers):
    prefix = make_prefix("file", tmp_path, servers)
    x = numpy.arange(12, dtype=numpy.float32).reshape(3, 4)
    y = numpy.arange(3, dtype=numpy.int64)
    s3dlio.put(prefix + "a.npz", npz_bytes(x=x, y=y))
    items = [bytes(item) for batch in s3dlio.create_async_loader(prefix, {"records": "npz"}) for item in batch]
    assert len(items) == 2
    check = [numpy.load(io.BytesIO(item)) for item in items]  # each item is a member's NPY bytes
    assert numpy.array_equal(check[0], x) and numpy.array_equal(check[1], y)

    bad = prefix + "bad/"
    data = bytearray(tfrecord(records_of(3)))
    data[independent_index(bytes(data))[1][0] + 14] ^= 0x01  # a data bit of the second record
    s3dlio.put(bad + "x.tfrecord", bytes(data))
    with pytest.raises(OSError, match="x.tfrecord"):
        list(s3dlio.create_async_loader(bad, {"records": "tfrecord", "batch_size": 1}))


@pytest.mark.parametrize("value", ["parquet", 1])
def test_bad_records_option_names_the_key(value):
    with pytest.raises(ValueError, match="records"):
        s3dlio.create_async_loader("file:///tmp/never-read/", {"records": value})


def _in_forked_child(prefix: str, queue) -> None:
    try:
        x = s3dlio.read_npz(prefix + "f.npz", "x")
        entries = s3dlio.get_tfrecord_index_entries(tfrecord([b"a", b"bc"]))
        count = s3dlio.create_tfrecord_index(prefix + "tf/f.tfrecord")
        loaded = [bytes(item) for batch in s3dlio.create_async_loader(prefix + "tf/", {"records": "tfrecord"})
                  for item in batch]
        queue.put((s3dlio.uses_helper_process(), x.tolist(), x.flags.writeable, entries, count, loaded))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which fails the test
        queue.put(repr(exc))


def test_formats_work_in_a_process_forked_after_the_jvm_started(tmp_path, servers):
    import multiprocessing

    prefix = make_prefix("file", tmp_path, servers)
    x = numpy.arange(6, dtype=numpy.int32).reshape(2, 3)
    s3dlio.put(prefix + "f.npz", npz_bytes(x=x))
    s3dlio.put(prefix + "tf/f.tfrecord", tfrecord([b"one", b"two", b""]))
    check_same(s3dlio.read_npz(prefix + "f.npz", "x"), x)  # the parent's JVM runs
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_forked_child, args=(prefix, queue))
    child.start()
    result = queue.get(timeout=300)
    child.join(timeout=60)
    assert child.exitcode == 0, result
    helper, values, writeable, entries, count, loaded = result
    assert helper is True and values == x.tolist() and writeable is False
    assert entries == [(0, 17), (17, 18)] and count == 3 and loaded == [b"one", b"two", b""]
