"""I/O for a process forked after its parent started the JVM (PyTorch's DataLoader workers on Linux).

A JVM does not survive ``fork``: touching the inherited one hangs. Such a child therefore never calls Java.
On first use it starts a helper process (``python -m s3dlio._remote``: a fresh interpreter, exec'd, with its
own JVM) and sends it each call over a pipe. Bytes come back through shared memory: the helper has Java copy
the data straight into a file in ``/dev/shm`` it created, the child maps that file read-only and unlinks it at
once, so the memory is freed when the child's last view of it is gone. Everything else (listings, stat results,
failures) travels pickled. The helper exits when the child's end of the pipe closes, i.e. when the child exits,
however it exits.
"""
from __future__ import annotations

import itertools
import mmap
import os
import subprocess
import sys
import tempfile
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, List, Optional, Tuple

_SHM_DIR = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else tempfile.gettempdir()
#: Calls whose result is bytes in shared memory: (path or None, sizes) or None.
_FETCHES = frozenset({"fetch_get", "fetch_range", "fetch_many", "loader_next"})
#: Calls whose result is bytes in shared memory plus a description of them: (path or None, sizes, meta).
_DESCRIBED_FETCHES = frozenset({"fetch_arrays"})


class RemoteBackend:
    """The same calls as LocalBackend, served by a helper process with its own JVM."""

    def __init__(self) -> None:
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        env = dict(os.environ)
        package_root = str(Path(__file__).resolve().parents[1])
        env["PYTHONPATH"] = package_root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "s3dlio._remote", str(request_read), str(reply_write)],
                pass_fds=(request_read, reply_write), env=env, stdin=subprocess.DEVNULL, close_fds=True)
        finally:
            os.close(request_read)
            os.close(reply_write)
        self._requests = Connection(request_write, readable=False)
        self._replies = Connection(reply_read, writable=False)
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any) -> Any:
        with self._lock:
            try:
                self._requests.send((name, args))
                status, value = self._replies.recv()
            except (EOFError, OSError) as exc:
                raise OSError(f"the s3dlio helper process (pid {self._process.pid}) is gone: {exc}") from None
        if status == "error":
            raise value
        return value

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)

        def call(*args: Any, alloc: Any = None) -> Any:
            result = self._call(name, *args)
            if name in _FETCHES and result is not None:
                return _attach(*result)
            if name in _DESCRIBED_FETCHES:
                path, sizes, meta = result
                return _attach(path, sizes), meta
            return result

        return call

    def read_into(self, uri: str, array) -> int:
        memory, sizes = self.fetch_get(uri)
        size = sizes[0]
        target = memoryview(array).cast("B")
        if size > target.nbytes:
            raise ValueError(f"{uri}: the object holds {size} bytes but the array only {target.nbytes}")
        target[:size] = memoryview(memory)[:size]
        return size

    def put(self, uri: str, data: Any) -> None:
        self._call("put", uri, bytes(memoryview(data).cast("B")))

    def put_many(self, uris, datas, max_in_flight: int):
        return self._call("put_many", list(uris), [bytes(memoryview(d).cast("B")) for d in datas], max_in_flight)

    def tfrecord_index(self, operation: str, *args: Any):
        if operation == "bytes":
            args = (bytes(memoryview(args[0]).cast("B")),) + args[1:]
        return self._call("tfrecord_index", operation, *args)

    def writer_write(self, handle: int, data: Any) -> None:
        self._call("writer_write", handle, bytes(memoryview(data).cast("B")))

    def forget(self) -> None:
        """In a child forked from this process: drop our pipe ends without a word to the helper (it is the parent's)."""
        for connection in (self._requests, self._replies):
            try:
                connection.close()
            except OSError:
                pass


def _attach(path: Optional[str], sizes: List[int]) -> Tuple[Any, List[int]]:
    """Maps the helper's shared-memory file read-only and unlinks it: the mapping lives as long as its views."""
    total = sum(sizes)
    if path is None:
        return b"", sizes
    fd = os.open(path, os.O_RDONLY)
    try:
        memory = mmap.mmap(fd, total, access=mmap.ACCESS_READ)
    finally:
        os.close(fd)
        os.unlink(path)
    return memory, sizes


class _SharedMemory:
    """The helper's allocator: each allocation is a new file in /dev/shm that the child maps and unlinks."""

    def __init__(self) -> None:
        self._ids = itertools.count()
        self.created: List[str] = []

    def alloc(self, size: int):
        if size == 0:
            self.created.append("")
            return bytearray(0)
        path = os.path.join(_SHM_DIR, f"s3dlio-{os.getpid()}-{next(self._ids)}")
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        try:
            os.ftruncate(fd, size)
            memory = mmap.mmap(fd, size)
        finally:
            os.close(fd)
        self.created.append(path)
        return memory

    def take(self) -> Optional[str]:
        """The file of the last allocation, handed to the child (which unlinks it)."""
        path = self.created.pop()
        return path or None

    def remove_leftovers(self) -> None:
        for path in self.created:
            if path and os.path.exists(path):
                os.unlink(path)


def _serve(request_fd: int, reply_fd: int) -> None:
    from ._local import LocalBackend

    requests = Connection(request_fd, writable=False)
    replies = Connection(reply_fd, readable=False)
    shared = _SharedMemory()
    backend = None
    while True:
        try:
            name, args = requests.recv()
        except (EOFError, OSError):
            break
        mark = len(shared.created)
        try:
            if backend is None:
                backend = LocalBackend()
            if name in _FETCHES:
                fetched = getattr(backend, name)(*args, alloc=shared.alloc)
                # Nothing is allocated for an empty result (no file: the child gets empty views).
                path = shared.take() if len(shared.created) > mark else None
                value = None if fetched is None else (path, fetched[1])
            elif name in _DESCRIBED_FETCHES:
                fetched, meta = getattr(backend, name)(*args, alloc=shared.alloc)
                path = shared.take() if len(shared.created) > mark else None
                value = (path, fetched[1], meta)
            else:
                value = getattr(backend, name)(*args)
            reply = ("ok", value)
        except Exception as exc:  # every failure goes back to the caller, as the exception it is
            for path in shared.created[mark:]:
                if path and os.path.exists(path):
                    os.unlink(path)
            del shared.created[mark:]
            reply = ("error", exc if isinstance(exc, OSError) or isinstance(exc, ValueError) else OSError(str(exc)))
        try:
            replies.send(reply)
        except (OSError, EOFError):
            break
    shared.remove_leftovers()


if __name__ == "__main__":
    _serve(int(sys.argv[1]), int(sys.argv[2]))
    sys.stdout.flush()
    # The JVM's shutdown is not needed (nothing is buffered on the Java side once a call has returned).
    os._exit(0)
