"""s3dlio: fast object-storage I/O for AI/ML, on s3dlio-java.

One API over ``s3://``, ``az://``, ``gs://``, ``file://``, ``direct://`` (O_DIRECT) and ``mem://``. Reads return
read-only buffers (``memoryview``) that NumPy and PyTorch take without copying; ``as_bytes=True`` gives ``bytes``.

>>> import numpy, s3dlio
>>> s3dlio.put("file:///tmp/demo/a.bin", b"hello")
>>> numpy.frombuffer(s3dlio.get("file:///tmp/demo/a.bin"), numpy.uint8)
array([104, 101, 108, 108, 111], dtype=uint8)

Errors: ``FileNotFoundError`` (missing object or bucket), ``PermissionError`` (credentials refused),
``ValueError`` (bad URI or option), ``OSError`` (anything else); each message names the URI. The JVM starts on
the first call, once per process; a process forked after its parent used s3dlio (a PyTorch DataLoader worker)
gets its I/O through a helper process instead of the inherited JVM.
"""
from __future__ import annotations

import glob as _glob
import os as _os
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple, Union

import numpy as _numpy

from ._backend import backend as _b
from ._backend import uses_helper_process
from ._formats import (create_tfrecord_index, get_tfrecord_index_entries, index_tfrecord_bytes, parse_tfrecord_index,
                       read_npy, read_npz, read_npz_arrays, read_tfrecord_index)
from ._version import __version__  # one source: the root pom.xml's <version>, through bin/set-version
from .loader import AsyncLoader, Dataset, create_async_loader, create_dataset

__all__ = [
    "get", "get_range", "get_many", "get_into", "put", "put_many", "list", "stat", "exists", "delete",
    "delete_prefix", "copy", "upload", "download", "open_writer", "ObjectWriter", "create_bucket",
    "delete_bucket", "create_dataset", "create_async_loader", "Dataset", "AsyncLoader", "uses_helper_process",
    "read_npy", "read_npz", "read_npz_arrays", "create_tfrecord_index", "read_tfrecord_index",
    "parse_tfrecord_index", "index_tfrecord_bytes", "get_tfrecord_index_entries",
    "init_op_log", "finalize_op_log", "is_op_log_active",
]

# Checkpoints (s3dlio.checkpoint): the original's top-level names.
from .checkpoint import CheckpointStore, load_checkpoint, load_checkpoint_with_validation, save_checkpoint  # noqa: E402

__all__ += ["CheckpointStore", "save_checkpoint", "load_checkpoint", "load_checkpoint_with_validation"]

BytesLike = Union[bytes, bytearray, memoryview, _numpy.ndarray]
_LIST_PAGE = 1000
_builtin_list = list


def _one(fetched, as_bytes: bool):
    from .loader import split

    return split(fetched, as_bytes)[0]


def get(uri: str, *, as_bytes: bool = False) -> Union[memoryview, bytes]:
    """The whole object, as a read-only buffer (no copy into NumPy/torch later), or ``bytes`` if asked.

    >>> data = s3dlio.get("s3://bucket/key")                  # doctest: +SKIP
    >>> array = numpy.frombuffer(data, dtype=numpy.float32)   # doctest: +SKIP
    """
    return _one(_b().fetch_get(uri), as_bytes)


def get_range(uri: str, offset: int, length: Optional[int] = None, *,
              as_bytes: bool = False) -> Union[memoryview, bytes]:
    """``length`` bytes from ``offset`` (to the end when ``length`` is None); cut at the object's end.

    >>> header = s3dlio.get_range("s3://bucket/data.npy", 0, 128)   # doctest: +SKIP
    """
    if offset < 0 or (length is not None and length < 0):
        raise ValueError(f"{uri}: offset and length must not be negative (got {offset}, {length})")
    return _one(_b().fetch_range(uri, offset, length), as_bytes)


def get_many(uris: Sequence[str], max_in_flight: int = 64, *,
             as_bytes: bool = False) -> List[Union[memoryview, bytes]]:
    """Every object, fetched concurrently (at most ``max_in_flight`` at once), in the order of ``uris``.

    Fails on the first object that cannot be read (in order), naming it.

    >>> a, b = s3dlio.get_many(["s3://bucket/a", "s3://bucket/b"])   # doctest: +SKIP
    """
    from .loader import split

    uris = [str(uri) for uri in uris]
    if not uris:
        return []
    return split(_b().fetch_many(uris, int(max_in_flight)), as_bytes)


def get_into(uri: str, array: _numpy.ndarray) -> int:
    """Reads the object into ``array`` (C-contiguous, writable, at least as many bytes as the object) without
    an intermediate copy; returns the object's size.

    >>> out = numpy.empty(1 << 20, dtype=numpy.uint8)
    >>> n = s3dlio.get_into("s3://bucket/sample", out)   # doctest: +SKIP
    """
    if not isinstance(array, _numpy.ndarray) or not array.flags.c_contiguous or not array.flags.writeable:
        raise ValueError(f"{uri}: get_into needs a writable, C-contiguous numpy array")
    return _b().read_into(uri, array.reshape(-1).view(_numpy.uint8))


def put(uri: str, data: BytesLike) -> None:
    """Writes ``data`` (any contiguous bytes-like object) as the whole object, replacing it atomically.

    >>> s3dlio.put("s3://bucket/x.bin", numpy.arange(10, dtype=numpy.int32))   # doctest: +SKIP
    """
    _b().put(uri, data)


def put_many(items: Union[Dict[str, BytesLike], Iterable[Tuple[str, BytesLike]]],
             max_in_flight: int = 64) -> Dict[str, Any]:
    """Writes many objects concurrently. Returns ``{"done": n, "failures": [(uri, cause), ...]}``.

    >>> s3dlio.put_many({"s3://b/a": b"1", "s3://b/b": b"2"})   # doctest: +SKIP
    {'done': 2, 'failures': []}
    """
    pairs = _builtin_list(items.items() if isinstance(items, dict) else items)
    return _b().put_many([uri for uri, _ in pairs], [data for _, data in pairs], int(max_in_flight))


def list(uri: str, recursive: bool = False) -> Iterator[str]:  # noqa: A001 - the original's name
    """Lazily yields the full URI of every object under ``uri`` (a string prefix). One level by default:
    objects directly below plus each sub-prefix (ending in '/'); ``recursive=True``: every object at any depth.

    >>> for name in s3dlio.list("s3://bucket/train/", recursive=True):   # doctest: +SKIP
    ...     print(name)
    """
    backend = _b()
    handle = backend.list_open(uri, bool(recursive))
    try:
        while True:
            page = backend.list_next(handle, _LIST_PAGE)
            if not page:
                return
            yield from page
    finally:
        backend.list_close(handle)


def stat(uri: str) -> Dict[str, Any]:
    """Metadata of one object: ``uri``, ``size``, ``last_modified`` (aware datetime or None), ``etag``,
    ``content_type``, ``metadata``, ``storage_class``, ``version``, ``crc32c`` (None when unknown)."""
    return _b().stat(uri)


def exists(uri: str) -> bool:
    """Whether the object exists."""
    return _b().exists(uri)


def delete(uri: str) -> None:
    """Deletes one object; an absent object is not an error."""
    _b().delete(uri)


def delete_prefix(uri: str) -> Dict[str, Any]:
    """Deletes every object under ``uri`` (batched where the store can). Returns
    ``{"deleted": n, "failures": [(uri, cause), ...]}``; raises only when it cannot start."""
    return _b().delete_prefix(uri)


def copy(source: str, target: str) -> None:
    """Copies one object (server-side within a store that can; through this process across stores)."""
    _b().copy(source, target)


def create_bucket(uri: str) -> None:
    """Creates the bucket/container of ``uri`` (a directory for file://); existing is not an error."""
    _b().create_bucket(uri)


def delete_bucket(uri: str) -> None:
    """Deletes an empty bucket/container; absent is not an error."""
    _b().delete_bucket(uri)


def upload(sources: Union[str, Sequence[str]], dest_prefix: str, max_in_flight: int = 32,
           recursive: bool = False) -> Dict[str, Any]:
    """Uploads local files (paths or glob patterns) to ``dest_prefix/<name>``; with ``recursive``,
    directories too, keeping their structure under ``dest_prefix/<dir>/...``.
    Returns ``{"uploaded": n, "failures": [(path, cause), ...]}``.

    >>> s3dlio.upload(["/data/*.npz"], "s3://bucket/train/")   # doctest: +SKIP
    """
    patterns = [sources] if isinstance(sources, str) else _builtin_list(sources)
    prefix = dest_prefix if dest_prefix.endswith("/") else dest_prefix + "/"
    files: List[str] = []
    uris: List[str] = []
    for pattern in patterns:
        matches = sorted(_glob.glob(pattern)) or [pattern]
        for match in matches:
            if _os.path.isdir(match):
                if not recursive:
                    raise ValueError(f"{match} is a directory: pass recursive=True to upload it")
                base = _os.path.dirname(_os.path.abspath(match))
                for root, _, names in _os.walk(match):
                    for name in sorted(names):
                        path = _os.path.join(root, name)
                        files.append(path)
                        uris.append(prefix + _os.path.relpath(path, base).replace(_os.sep, "/"))
            elif _os.path.isfile(match):
                files.append(match)
                uris.append(prefix + _os.path.basename(match))
            else:
                raise FileNotFoundError(f"{match}: no such file")
    return _b().upload(files, uris, int(max_in_flight))


def download(uri: str, dest_dir: str, max_in_flight: int = 32) -> Dict[str, Any]:
    """Downloads one object, or every object under a prefix (keeping the structure below it), into
    ``dest_dir``. Each file appears complete or not at all; keys that would land outside ``dest_dir`` are
    refused. Returns ``{"downloaded": n, "failures": [(uri, cause), ...]}``."""
    return _b().download(uri, _os.path.abspath(dest_dir), int(max_in_flight))


class ObjectWriter:
    """A streaming writer, used as a context manager. Nothing is visible under the name until the block ends
    normally; an exception inside the block aborts and leaves no object behind.

    >>> with s3dlio.open_writer("s3://bucket/big.bin") as writer:   # doctest: +SKIP
    ...     for chunk in chunks:
    ...         writer.write(chunk)
    """

    def __init__(self, uri: str) -> None:
        self.uri = uri
        self._backend = _b()
        self._handle: Optional[int] = self._backend.writer_open(uri)
        self.bytes_written = 0

    def write(self, data: BytesLike) -> int:
        """Appends ``data``; returns the number of bytes taken."""
        if self._handle is None:
            raise ValueError(f"{self.uri}: the writer is closed")
        size = memoryview(data).nbytes
        self._backend.writer_write(self._handle, data)
        self.bytes_written += size
        return size

    def close(self) -> int:
        """Completes the object and makes it visible; returns the bytes written."""
        if self._handle is None:
            return self.bytes_written
        handle, self._handle = self._handle, None
        self._backend.writer_finish(handle)
        return self.bytes_written

    def abort(self) -> None:
        """Discards everything written; nothing is left under the name."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            self._backend.writer_abort(handle)

    def __enter__(self) -> "ObjectWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


def open_writer(uri: str) -> ObjectWriter:
    """A streaming writer for ``uri`` (see ``ObjectWriter``)."""
    return ObjectWriter(uri)


def init_op_log(path: str) -> None:
    """Starts the operation log: from now on every operation of this process (reads, writes, listings, loader
    fetches) is one line of ``path``, in MinIO warp's tab-separated ``.csv.zst`` format (``s3-cli oplog-stats``
    and ``s3-cli replay`` read it). The file appears under its name, complete, when ``finalize_op_log()`` is
    called or the process exits; until then it is ``path + ".partial"``. The same path again while it is
    active does nothing; another path raises ``ValueError``.

    >>> s3dlio.init_op_log("/tmp/run.csv.zst")   # doctest: +SKIP
    """
    _b().op_log_init(_os.path.abspath(_os.fspath(path)))


def finalize_op_log() -> None:
    """Finishes the operation log (written, compressed, renamed to its final name). Harmless when none is active."""
    _b().op_log_finalize()


def is_op_log_active() -> bool:
    """Whether an operation log started by ``init_op_log`` is being written (False before any I/O: this never
    starts the JVM)."""
    from ._backend import current

    backend = current()
    return backend is not None and backend.op_log_path() is not None
