"""The in-process backend: the JVM runs in this process (started lazily) and the facade is called through JPype.

Memory hand-off: reads land in memory Python owns (NumPy arrays from a pool here, a shared-memory mapping in the
helper process); Java copies each object (or a whole batch, back to back) into it once, through a direct
``ByteBuffer`` over that memory. JPype keeps memory lent to Java exported until the JVM collects the small
``ByteBuffer`` wrapper, and fresh memory costs page faults on every use, so the pool lends each block to Java
once and reuses it when the last view handed out from it is gone. Other memory lent to Java (``get_into``
targets, new blocks) is counted, and a collection is requested after every ``_GC_EVERY_BYTES`` of it.

A loader of large items (``S3DLIO_PYTHON_LOADER_DIRECT``) copies nothing: Java reads each item into a pooled
direct buffer and NumPy views it there. The buffer goes back to Java when the last view of the item is gone: a
finalizer on the exporting array records its id (no Java call: finalizers run in any thread, and in a forked
child), and the next ``loader_next`` passes the recorded ids to Java (those of a closed loader too: the last
batch of a loader is often still viewed when it closes).
"""
from __future__ import annotations

import atexit
import datetime
import os
import itertools
import threading
import weakref
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import numpy

from . import _java
from ._errors import java_errors

Alloc = Callable[[int], Any]
Fetched = Tuple[Any, List[int]]

_GC_EVERY_BYTES = 1 << 30


class _BlockPool:
    """Reusable blocks of Python memory, each lent to Java once. A block goes back to the pool when the last view
    of what was handed out from it is gone (a finalizer on the exporting array; no Java call, so it is safe in any
    thread and after fork). Sizes are powers of two from 64 KiB; at most ``keep_bytes`` are kept idle; blocks
    above ``_LARGEST`` are not pooled."""

    _SMALLEST = 64 << 10
    _LARGEST = 256 << 20

    def __init__(self, lend: Callable[[Any], Any], keep_bytes: int = 512 << 20) -> None:
        self._lend = lend
        self._keep = keep_bytes
        self._idle: Dict[int, List[Tuple[numpy.ndarray, Any]]] = {}
        self._idle_bytes = 0
        self._lock = threading.Lock()

    def take(self, size: int) -> Tuple[numpy.ndarray, Any]:
        capacity = max(self._SMALLEST, 1 << (size - 1).bit_length())
        block = None
        with self._lock:
            idle = self._idle.get(capacity)
            if idle:
                block = idle.pop()
                self._idle_bytes -= capacity
        if block is None:
            array = numpy.empty(capacity, dtype=numpy.uint8)
            block = (array, self._lend(array))
        return block

    def give_back(self, block: Tuple[numpy.ndarray, Any]) -> None:
        capacity = block[0].nbytes
        with self._lock:
            if self._idle_bytes + capacity <= self._keep:
                self._idle.setdefault(capacity, []).append(block)
                self._idle_bytes += capacity

    def fill(self, blob, total: int) -> numpy.ndarray:
        if total > self._LARGEST:
            array = numpy_alloc(total)
            blob.copyInto(self._lend(array))
            return array
        block = self.take(total)
        direct = block[1]
        direct.clear()
        blob.copyInto(direct)
        # A new array object per hand-out: every memoryview made from it keeps it alive, so its finalizer runs
        # only when the caller's last view (slice, numpy array, tensor) is gone.
        exporter = block[0][:total]
        weakref.finalize(exporter, self.give_back, block)
        return exporter


def _ints(array) -> List[int]:
    """A Java primitive array as Python ints: through its buffer in one call (element by element, each one a bridge
    call, was 14 us for a batch of 32 sizes against 1 us)."""
    return numpy.asarray(array).tolist()


def numpy_alloc(size: int) -> numpy.ndarray:
    """Memory owned by Python: freed when the last view of it is gone."""
    return numpy.empty(size, dtype=numpy.uint8)


class LocalBackend:
    """Calls the Java facade in this process. Handles (listings, writers, loaders) are small integers."""

    def __init__(self) -> None:
        _java.start()
        import jpype
        import jpype.nio

        self._jpype = jpype
        self._direct = jpype.nio.convertToDirectBuffer
        self._JString = jpype.JString
        self._JByteArray = jpype.JArray(jpype.JByte)
        self._JIntArray = jpype.JArray(jpype.JInt)
        # Direct loaders by handle, and the (loader session, id) of items whose last view is gone, for the next
        # loader_next of any loader.
        self._direct_sessions: Dict[int, Any] = {}
        self._returned: List[Tuple[Any, int]] = []
        self._ByteBuffer = jpype.JClass("java.nio.ByteBuffer")
        self._System = jpype.JClass("java.lang.System")
        self._LoaderSpec = jpype.JClass("io.s3dlio.python.LoaderSpec")
        self._Integer = jpype.JClass("java.lang.Integer")
        with java_errors():
            self._facade = jpype.JClass("io.s3dlio.python.PythonFacade").create()
        self._handles: Dict[int, Any] = {}
        self._ids = itertools.count(1)
        self._pinned = 0
        self._lock = threading.Lock()
        self._pool = _BlockPool(self._as_direct)
        atexit.register(self._close_at_exit, os.getpid())

    def _close_at_exit(self, pid: int) -> None:
        """Closes the facade (its threads and stores) before JPype shuts the JVM down; never in a forked child."""
        if os.getpid() != pid:
            return
        try:
            self._facade.close()
        except Exception:
            pass  # the process is ending; nothing to report to

    # -- memory hand-off ------------------------------------------------------------------------------------
    def _as_direct(self, memory: Any):
        """A Java direct buffer over Python memory (which JPype keeps alive until the JVM drops the buffer)."""
        view = memoryview(memory)
        with self._lock:
            self._pinned += view.nbytes
            collect = self._pinned >= _GC_EVERY_BYTES
            if collect:
                self._pinned = 0
        if collect:
            self._System.gc()
        return self._direct(memory)

    def _fill(self, blob, alloc: Optional[Alloc]) -> Fetched:
        """Copies the blob into pooled memory, or into ``alloc(total)`` when given (the helper's shared memory)."""
        sizes = _ints(blob.sizes())
        total = sum(sizes)
        if total == 0:
            return b"", sizes
        if alloc is None:
            return self._pool.fill(blob, total), sizes
        memory = alloc(total)
        blob.copyInto(self._as_direct(memory))
        return memory, sizes

    def _java_bytes(self, data: Any):
        """A Java buffer holding a copy of ``data`` (any bytes-like object); Python's memory is not pinned."""
        view = memoryview(data)
        if not view.c_contiguous:
            raise ValueError("data must be a contiguous buffer")
        raw = view.cast("B") if view.format != "B" or view.ndim != 1 else view
        return self._ByteBuffer.wrap(self._JByteArray(bytes(raw)))

    # -- reads ----------------------------------------------------------------------------------------------
    def fetch_get(self, uri: str, alloc: Optional[Alloc] = None) -> Fetched:
        with java_errors():
            return self._fill(self._facade.get(uri), alloc)

    def fetch_range(self, uri: str, offset: int, length: Optional[int], alloc: Optional[Alloc] = None) -> Fetched:
        with java_errors():
            return self._fill(self._facade.getRange(uri, offset, -1 if length is None else length), alloc)

    def fetch_many(self, uris: Sequence[str], max_in_flight: int, alloc: Optional[Alloc] = None) -> Fetched:
        with java_errors():
            return self._fill(self._facade.getMany(list(uris), max_in_flight), alloc)

    def read_into(self, uri: str, array: numpy.ndarray) -> int:
        with java_errors():
            return int(self._facade.readInto(uri, self._as_direct(array)))

    def fetch_arrays(self, kind: str, uri: str, name: Optional[str] = None,
                     alloc: Optional[Alloc] = None) -> Tuple[Fetched, List[Tuple[str, str, Tuple[int, ...], bool]]]:
        """NPY (``kind="npy"``) or NPZ arrays: their payloads, back to back, and (name, descr, shape, fortran) each."""
        with java_errors():
            arrays = self._facade.readNpy(uri) if kind == "npy" else self._facade.readNpz(uri, name)
            fetched = self._fill(arrays.blob(), alloc)
            meta = [(str(n), str(d), tuple(int(x) for x in shape), bool(f))
                    for n, d, shape, f in zip(arrays.names(), arrays.descrs(), arrays.shapes(), arrays.fortranOrders())]
        return fetched, meta

    # -- TFRecord index -------------------------------------------------------------------------------------
    def tfrecord_index(self, operation: str, *args: Any) -> Tuple[List[Tuple[int, int]], str]:
        """``create`` (uri, index_uri), ``read`` (index_uri), ``parse`` (text, source) or ``bytes`` (data, source):
        the index's (offset, size) entries and its DALI text."""
        with java_errors():
            if operation == "create":
                index = self._facade.createTfRecordIndex(args[0], args[1])
            elif operation == "read":
                index = self._facade.readTfRecordIndex(args[0])
            elif operation == "parse":
                index = self._facade.parseTfRecordIndex(self._JString(args[0]), args[1])
            elif operation == "bytes":
                index = self._facade.indexTfRecordBytes(self._java_bytes(args[0]), args[1])
            else:
                raise ValueError(f"unknown TFRecord index operation {operation!r}")
            flat = numpy.asarray(index.flat(), dtype=numpy.int64).reshape(-1, 2)
            text = str(index.text())
        return [(int(offset), int(size)) for offset, size in flat.tolist()], text

    # -- writes ---------------------------------------------------------------------------------------------
    def put(self, uri: str, data: Any) -> None:
        with java_errors():
            self._facade.put(uri, self._java_bytes(data))

    def put_many(self, uris: Sequence[str], datas: Sequence[Any], max_in_flight: int) -> Dict[str, Any]:
        buffers = self._jpype.JArray(self._ByteBuffer)([self._java_bytes(data) for data in datas])
        with java_errors():
            return _failures(self._facade.putMany(list(uris), buffers, max_in_flight), "done")

    def writer_open(self, uri: str) -> int:
        with java_errors():
            return self._register(self._facade.openWriter(uri))

    def writer_write(self, handle: int, data: Any) -> None:
        with java_errors():
            self._handles[handle].write(self._java_bytes(data))

    def writer_finish(self, handle: int) -> int:
        writer = self._handles.pop(handle)
        with java_errors():
            return int(writer.finish())

    def writer_abort(self, handle: int) -> None:
        writer = self._handles.pop(handle, None)
        if writer is not None:
            with java_errors():
                writer.abort()

    # -- metadata -------------------------------------------------------------------------------------------
    def list_open(self, uri: str, recursive: bool) -> int:
        with java_errors():
            return self._register(self._facade.list(uri, bool(recursive)))

    def list_next(self, handle: int, count: int) -> List[str]:
        lister = self._handles[handle]
        with java_errors():
            page = [str(uri) for uri in lister.next(count)]
        if not page:
            self._handles.pop(handle, None)
        return page

    def list_close(self, handle: int) -> None:
        lister = self._handles.pop(handle, None)
        if lister is not None:
            lister.close()

    def stat(self, uri: str) -> Dict[str, Any]:
        with java_errors():
            info = self._facade.stat(uri)
        millis = info.lastModifiedMillis()
        return {
            "uri": str(info.uri()),
            "size": int(info.size()),
            "last_modified": None if millis is None else datetime.datetime.fromtimestamp(
                int(millis) / 1000.0, tz=datetime.timezone.utc),
            "etag": _text(info.etag()),
            "content_type": _text(info.contentType()),
            "metadata": {str(k): str(v) for k, v in info.metadata().items()},
            "storage_class": _text(info.storageClass()),
            "version": _text(info.version()),
            "crc32c": _text(info.crc32c()),
        }

    def exists(self, uri: str) -> bool:
        with java_errors():
            return bool(self._facade.exists(uri))

    def delete(self, uri: str) -> None:
        with java_errors():
            self._facade.delete(uri)

    def delete_prefix(self, uri: str) -> Dict[str, Any]:
        with java_errors():
            return _failures(self._facade.deletePrefix(uri), "deleted")

    def copy(self, source: str, target: str) -> None:
        with java_errors():
            self._facade.copy(source, target)

    def upload(self, files: Sequence[str], uris: Sequence[str], max_in_flight: int) -> Dict[str, Any]:
        with java_errors():
            return _failures(self._facade.upload(list(files), list(uris), max_in_flight), "uploaded")

    def download(self, uri: str, directory: str, max_in_flight: int) -> Dict[str, Any]:
        with java_errors():
            return _failures(self._facade.download(uri, directory, max_in_flight), "downloaded")

    def create_bucket(self, uri: str) -> None:
        with java_errors():
            self._facade.createBucket(uri)

    def delete_bucket(self, uri: str) -> None:
        with java_errors():
            self._facade.deleteBucket(uri)

    # -- operation log --------------------------------------------------------------------------------------
    def op_log_init(self, path: str) -> None:
        with java_errors():
            self._facade.initOpLog(path)

    def op_log_finalize(self) -> Optional[str]:
        with java_errors():
            return _text(self._facade.finalizeOpLog())

    def op_log_path(self) -> Optional[str]:
        return _text(self._facade.opLogPath())

    # -- loader ---------------------------------------------------------------------------------------------
    def loader_open(self, uri: str, uris: Optional[Sequence[str]], spec: Dict[str, Any]) -> int:
        def boxed(value):
            return None if value is None else self._Integer(int(value))

        java_spec = self._LoaderSpec(spec["batch_size"], spec["drop_last"], spec["shuffle"], spec["seed"],
                                     boxed(spec["num_workers"] or None), spec["prefetch"], boxed(spec["shard_rank"]),
                                     boxed(spec["shard_world_size"]), spec["reader_mode"], spec["part_size"],
                                     spec["max_inflight_parts"], spec["records"])
        with java_errors():
            session = self._facade.openLoader(uri, None if uris is None else list(uris), java_spec)
            handle = self._register(session)
            if session.direct():
                self._direct_sessions[handle] = session
            return handle

    def loader_epoch(self, handle: int, number: int) -> int:
        """Starts epoch ``number``; returns the number of items this shard receives in it."""
        session = self._handles[handle]
        with java_errors():
            session.startEpoch(number)
            return int(session.itemsInEpoch(number))

    def loader_next(self, handle: int, alloc: Optional[Alloc] = None) -> Optional[Fetched]:
        session = self._handles[handle]
        with java_errors():
            if handle in self._direct_sessions and alloc is None:
                batch = session.nextDirect(self._JIntArray(self._give_back_others(session)))
                return None if batch is None else self._views(batch, session)
            blob = session.next()
            return None if blob is None else self._fill(blob, alloc)

    def _give_back_others(self, session) -> List[int]:
        """Gives back the recorded ids of other (closed) loaders; returns those of ``session``."""
        mine: List[int] = []
        others: Dict[Any, List[int]] = {}
        for owner, ident in _drain(self._returned):
            if owner is session:
                mine.append(ident)
            else:
                others.setdefault(owner, []).append(ident)
        for owner, ids in others.items():
            owner.giveBack(self._JIntArray(ids))
        return mine

    def _views(self, batch, session) -> Fetched:
        """NumPy views of a direct batch's buffers, each recording its id once its last view is gone."""
        returned = self._returned
        sizes = _ints(batch.sizes())
        ids = _ints(batch.ids())
        buffers = batch.buffers()
        items: List[Any] = []
        for size, ident, buffer in zip(sizes, ids, buffers):
            if size == 0:
                items.append(numpy.empty(0, dtype=numpy.uint8))
                continue
            # Zero-copy on JPype 1.4.1 (memoryview(buffer).nbytes is wrong there: the length comes from the array).
            # A new array object per item: every view made from it keeps it alive, so its finalizer runs only when
            # the caller's last view (slice, numpy array, tensor) is gone.
            exporter = numpy.asarray(buffer).view(numpy.uint8)[:size]
            if ident >= 0:
                weakref.finalize(exporter, returned.append, (session, ident))
            items.append(exporter)
        return items, sizes

    def loader_close(self, handle: int) -> None:
        session = self._handles.pop(handle, None)
        if session is not None:
            if self._direct_sessions.pop(handle, None) is not None:
                with java_errors():
                    session.giveBack(self._JIntArray(self._give_back_others(session)))
            session.close()

    def loader_size(self, handle: int) -> int:
        return int(self._handles[handle].datasetSize())

    # -- handles --------------------------------------------------------------------------------------------
    def _register(self, value: Any) -> int:
        handle = next(self._ids)
        self._handles[handle] = value
        return handle


def _drain(returned: List[Any]) -> List[Any]:
    """Takes the ids recorded so far; finalizers may append meanwhile (any thread), after the ones taken."""
    taken = returned[:]
    del returned[:len(taken)]
    return taken


def _text(value) -> Optional[str]:
    return None if value is None else str(value)


def _failures(result, done_key: str) -> Dict[str, Any]:
    return {
        done_key: int(result.done()),
        "failures": [(str(item), str(cause)) for item, cause in zip(result.failedItems(), result.causes())],
    }
