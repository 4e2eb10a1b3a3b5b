"""Sharded, crash-consistent training checkpoints on any backend (the Java ``io.s3dlio.checkpoint`` store).

The original s3dlio's Python checkpoint API, on the Java store: ``CheckpointStore(uri)`` with ``save``,
``load_latest``, ``list_checkpoints``, ``delete_checkpoint``, ``writer(world_size, rank)`` for distributed saves and
``reader()``; module functions ``save_checkpoint``, ``load_checkpoint`` and ``load_checkpoint_with_validation``.
Added here: ``latest()``, ``load(step, rank)``, ``load_all``, ``validate``, ``keep_last``, ``leftovers``/``prune``,
context managers, and PyTorch helpers that stream ``torch.save`` into a shard and ``torch.load`` from one without a
temporary file.

>>> from s3dlio.checkpoint import CheckpointStore
>>> with CheckpointStore("s3://bucket/run-7/") as store:                       # doctest: +SKIP
...     store.save(100, 1, "torch", numpy.arange(10, dtype=numpy.float32))
...     data = store.load_latest()                                              # read-only memoryview
...     store.save_torch(200, 2, model.state_dict())                            # streamed, no temp file
...     state = store.load_torch()                                              # the newest complete one

Layout, manifest format and guarantees: docs/CHECKPOINTS.md. Shards come back as read-only ``memoryview`` s of
Python-owned memory (``numpy.frombuffer`` and ``torch.frombuffer`` take them without copying), after Java checked
each shard's size and CRC32C against the manifest.
"""
from __future__ import annotations

import io
import json
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

import numpy

from ._backend import backend as _backend
from ._errors import java_errors
from .loader import split as _split

__all__ = [
    "CheckpointStore", "CheckpointWriter", "CheckpointReader", "CheckpointStream", "CheckpointInfo",
    "save_checkpoint", "load_checkpoint", "load_checkpoint_with_validation",
]

BytesLike = Union[bytes, bytearray, memoryview, numpy.ndarray]
Manifest = Dict[str, Any]
_LAYOUTS = ("flat", "round_robin", "binary")
#: Streamed writes cross to Java in pieces of at most this many bytes (bounded extra memory per call).
_CHUNK = 8 << 20


def _local():
    """The in-process backend. A process forked after its parent started the JVM has none (see docs/PYTHON.md)."""
    current = _backend()
    if not hasattr(current, "_facade"):
        raise OSError("s3dlio checkpoints are not served in a process forked after its parent started the JVM "
                      "(a DataLoader worker); save and load checkpoints in the training process itself")
    return current


def _flat(data: Any) -> memoryview:
    view = memoryview(data)
    if not view.c_contiguous:
        raise ValueError("checkpoint data must be a contiguous buffer (bytes, bytearray, memoryview, numpy array)")
    return view.cast("B") if view.format != "B" or view.ndim != 1 else view


def _metadata(user_meta: Optional[Mapping[str, Any]]):
    if user_meta is None:
        return None, None
    if not isinstance(user_meta, Mapping):
        raise ValueError(f"user_meta must be a mapping of strings, not {type(user_meta).__name__}")
    keys = [str(key) for key in user_meta]
    return keys, [str(user_meta[key]) for key in user_meta]


def _manifest_text(manifest: Union[Manifest, "CheckpointInfo"]) -> str:
    if isinstance(manifest, CheckpointInfo):
        manifest = manifest.manifest
    if not isinstance(manifest, dict) or "shards" not in manifest:
        raise ValueError("expected a manifest (a dict from latest(), load_manifest() or a reader)")
    return json.dumps(manifest)


class CheckpointInfo:
    """One checkpoint as ``list_checkpoints`` finds it (the original's ``PyCheckpointInfo`` attributes)."""

    def __init__(self, step: int, manifest: Optional[Manifest], problem: Optional[str] = None) -> None:
        self.step = step
        self.manifest = manifest
        self.problem = problem

    @property
    def epoch(self) -> Optional[int]:
        return None if self.manifest is None else self.manifest["epoch"]

    @property
    def timestamp(self) -> Optional[str]:
        """The manifest's wall time (ISO-8601, UTC)."""
        return None if self.manifest is None else self.manifest["wall_time"]

    @property
    def status(self) -> str:
        """``complete``, ``incomplete`` or ``unreadable``."""
        return "unreadable" if self.manifest is None else self.manifest["status"]

    @property
    def framework(self) -> Optional[str]:
        return None if self.manifest is None else self.manifest["framework"]

    @property
    def world_size(self) -> int:
        return 0 if self.manifest is None else self.manifest["world_size"]

    @property
    def total_size(self) -> int:
        """Bytes stored, all shards together (after compression)."""
        return 0 if self.manifest is None else sum(shard["size"] for shard in self.manifest["shards"])

    @property
    def size_mb(self) -> float:
        return self.total_size / (1 << 20)

    @property
    def size_gb(self) -> float:
        return self.total_size / (1 << 30)

    @property
    def user_meta(self) -> Dict[str, str]:
        return {} if self.manifest is None else dict(self.manifest["user_metadata"])

    def is_complete(self) -> bool:
        return self.status == "complete"

    def is_single_rank(self) -> bool:
        return self.world_size == 1

    def __repr__(self) -> str:
        return (f"CheckpointInfo(step={self.step}, epoch={self.epoch}, status={self.status!r}, "
                f"world_size={self.world_size}, total_size={self.total_size})")


class CheckpointStream:
    """One rank's shard being written, streamed (bounded memory, multipart underneath, CRC32C recorded). Also a
    write-only file object, so ``torch.save(state, stream)`` writes straight into the shard.

    As a context manager it finishes the shard when the block ends normally and discards it on an exception.
    ``finalize()`` returns the shard's record (``rank``, ``key``, ``size``, ``raw_size``, ``crc32c``); nothing is
    visible before it returns.
    """

    def __init__(self, store: "CheckpointStore", step: int, rank: int) -> None:
        self.step = step
        self.rank = rank
        self._backend = store._local
        with java_errors():
            self._shard = store._session.openShard(int(step), int(rank))
        self._result: Optional[Dict[str, Any]] = None
        self._open = True

    # -- the original's names ------------------------------------------------------------------------------------
    def write_chunk(self, data: BytesLike) -> int:
        """Appends ``data``; returns the number of bytes taken."""
        if not self._open:
            raise ValueError(f"shard of rank {self.rank} of step {self.step} is closed")
        view = _flat(data)
        for start in range(0, view.nbytes, _CHUNK):
            piece = self._backend._java_bytes(view[start:start + _CHUNK])
            with java_errors():
                self._shard.write(piece)
        return view.nbytes

    def bytes_written(self) -> int:
        return int(self._shard.bytesWritten())

    def finalize(self) -> Dict[str, Any]:
        """Stores the shard and its rank record; returns the record."""
        if self._result is not None:
            return self._result
        if not self._open:
            raise ValueError(f"shard of rank {self.rank} of step {self.step} was cancelled")
        self._open = False
        with java_errors():
            self._result = json.loads(str(self._shard.finish()))
        return self._result

    def cancel(self) -> None:
        """Discards the shard (nothing is left under its name); idempotent."""
        if self._open:
            self._open = False
            with java_errors():
                self._shard.abort()

    # -- file object ---------------------------------------------------------------------------------------------
    def write(self, data: BytesLike) -> int:
        return self.write_chunk(data)

    def flush(self) -> None:
        """Nothing to do: bytes are handed to Java on every write."""

    def writable(self) -> bool:
        return self._open

    def readable(self) -> bool:
        return False

    def seekable(self) -> bool:
        return False

    @property
    def closed(self) -> bool:
        return not self._open

    def __enter__(self) -> "CheckpointStream":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.finalize()
        else:
            self.cancel()


class _ViewFile(io.RawIOBase):
    """A seekable, read-only file over a memoryview (what ``torch.load`` needs), without copying the whole."""

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        count = min(len(target), len(self._view) - self._position)
        target[:count] = self._view[self._position:self._position + count]
        self._position += count
        return count

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._position + size)
        data = self._view[self._position:end].tobytes()
        self._position = end
        return data

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._view)}[whence]
        self._position = max(0, base + offset)
        return self._position

    def tell(self) -> int:
        return self._position


class CheckpointWriter:
    """One rank's side of a distributed save (the original's ``PyCheckpointWriter``). Every rank writes its shard
    (``save_distributed_shard`` or ``get_distributed_shard_stream``); after a barrier, rank 0 calls
    ``finalize_distributed_checkpoint``."""

    def __init__(self, store: "CheckpointStore", world_size: int, rank: int) -> None:
        if world_size < 1 or not 0 <= rank < world_size:
            raise ValueError(f"rank {rank} is not within world size {world_size}")
        self._store = store
        self.world_size = world_size
        self.rank = rank

    def save_distributed_shard(self, step: int, epoch: int, framework: str, data: BytesLike) -> Dict[str, Any]:
        """Writes this rank's whole shard; returns its record (``epoch`` and ``framework`` go in the manifest,
        written by rank 0's finalize)."""
        with self.get_distributed_shard_stream(step, epoch, framework) as stream:
            stream.write_chunk(data)
        return stream.finalize()

    def get_distributed_shard_stream(self, step: int, epoch: int = 0, framework: str = "") -> CheckpointStream:
        """A streaming writer of this rank's shard (a context manager and a write-only file object)."""
        return CheckpointStream(self._store, step, self.rank)

    def finalize_distributed_checkpoint(self, step: int, epoch: int, framework: str,
                                        shard_metas: Optional[Iterable[Mapping[str, Any]]] = None,
                                        user_meta: Optional[Mapping[str, Any]] = None) -> Manifest:
        """Rank 0, after every rank finished its shard: checks every shard is stored as its writer recorded,
        writes the complete manifest and moves "latest". ``shard_metas`` (the original passed the ranks' records
        here) is optional: each rank's record is stored beside its shard; when given, it is checked against them.
        Returns the manifest."""
        manifest = self._store._finalize(step, epoch, framework, self.world_size, user_meta)
        if shard_metas is not None:
            recorded = {shard["rank"]: shard for shard in manifest["shards"]}
            for meta in shard_metas:
                shard = recorded.get(meta.get("rank"))
                if shard is None or shard["key"] != meta.get("key") or shard["size"] != meta.get("size"):
                    raise ValueError(f"{self._store.uri}: shard record {dict(meta)} does not match what rank "
                                     f"{meta.get('rank')} stored for step {step}")
        return manifest


class CheckpointReader:
    """Reading side (the original's ``PyCheckpointReader``)."""

    def __init__(self, store: "CheckpointStore") -> None:
        self._store = store

    def load_latest_manifest(self) -> Optional[Manifest]:
        return self._store.latest()

    def load_manifest(self, step: int) -> Manifest:
        return self._store.load_manifest(step)

    def read_shard_by_rank(self, manifest: Manifest, rank: int, *, as_bytes: bool = False):
        return self._store.read_shard(manifest, rank, as_bytes=as_bytes)

    def read_all_shards(self, manifest: Manifest, *, as_bytes: bool = False) -> List[Any]:
        return self._store.read_all(manifest, as_bytes=as_bytes)


class CheckpointStore:
    """Checkpoints under one base URI (``s3://``, ``az://``, ``gs://``, ``file://``, ``direct://``, ``mem://``).

    ``strategy`` (the original's name) or ``layout``: ``"flat"`` (default), ``"round_robin"`` or ``"binary"``
    (where shards go; readers take it from each manifest). ``compression_level``: zstd level for each shard
    (None: uncompressed). ``part_size`` (the original's ``multipart_threshold`` is taken as the part size):
    bytes per uploaded part, None for the store's adaptive policy. ``read_concurrency``: shards read at once by
    ``load_all``. A context manager: ``close()`` releases the store's reader threads.
    """

    def __init__(self, uri: str, strategy: Optional[str] = None, multipart_threshold: Optional[int] = None,
                 compression_level: Optional[int] = None, *, layout: Optional[str] = None,
                 part_size: Optional[int] = None, read_concurrency: int = 8) -> None:
        if strategy is not None and layout is not None and strategy != layout:
            raise ValueError(f"{uri}: strategy={strategy!r} and layout={layout!r} disagree; pass one")
        chosen = (layout or strategy or "flat").lower()
        if chosen not in _LAYOUTS:
            raise ValueError(f"{uri}: layout must be one of {', '.join(_LAYOUTS)}, not {chosen!r}")
        if part_size is None:
            part_size = multipart_threshold
        if part_size is not None and part_size <= 0:
            raise ValueError(f"{uri}: part_size must be positive, got {part_size}")
        if compression_level is not None and not isinstance(compression_level, int):
            raise ValueError(f"{uri}: compression_level must be an int or None")
        import jpype

        self._local = _local()
        with java_errors():
            self._session = self._local._facade.openCheckpoints(
                uri, chosen, None if compression_level is None else jpype.JClass("java.lang.Integer")(compression_level),
                None if part_size is None else jpype.JClass("java.lang.Long")(int(part_size)), int(read_concurrency))
        self.uri = str(self._session.base())
        self.layout = chosen
        self.compression_level = compression_level

    # -- writing -------------------------------------------------------------------------------------------------
    def save(self, step: int, epoch: int, framework: str, data: BytesLike,
             user_meta: Optional[Mapping[str, Any]] = None) -> Manifest:
        """A single-rank checkpoint of ``data`` (any contiguous bytes-like object: bytes, a NumPy array, ...).
        Returns the complete manifest. Raises ``OSError`` if a complete checkpoint of ``step`` exists."""
        view = _flat(data)
        # Java reads straight from Python memory for the duration of the call (it returns once the shard is
        # stored); read-only memory (bytes) is copied once into a writable array first, which JPype needs.
        memory = numpy.frombuffer(view, numpy.uint8) if not view.readonly else numpy.array(view, numpy.uint8)
        keys, values = _metadata(user_meta)
        direct = self._local._as_direct(memory) if memory.nbytes else self._local._java_bytes(b"")
        with java_errors():
            text = self._session.save(int(step), int(epoch), str(framework), direct, keys, values)
        return json.loads(str(text))

    def shard_writer(self, step: int, rank: int = 0) -> CheckpointStream:
        """Rank ``rank``'s streaming writer for ``step`` (a context manager; see ``CheckpointStream``)."""
        return CheckpointStream(self, step, rank)

    def finalize(self, step: int, epoch: int, framework: str, world_size: int,
                 user_meta: Optional[Mapping[str, Any]] = None) -> Manifest:
        """Rank 0's last step of a distributed save (see ``CheckpointWriter.finalize_distributed_checkpoint``)."""
        return self._finalize(step, epoch, framework, world_size, user_meta)

    def _finalize(self, step, epoch, framework, world_size, user_meta) -> Manifest:
        keys, values = _metadata(user_meta)
        with java_errors():
            text = self._session.finalizeCheckpoint(int(step), int(epoch), str(framework), int(world_size), keys,
                                                    values)
        return json.loads(str(text))

    def writer(self, world_size: int, rank: int) -> CheckpointWriter:
        return CheckpointWriter(self, world_size, rank)

    def reader(self) -> CheckpointReader:
        return CheckpointReader(self)

    # -- reading -------------------------------------------------------------------------------------------------
    def latest(self) -> Optional[Manifest]:
        """The newest complete checkpoint's manifest (the "latest" pointer, or the newest complete one found by
        listing when the pointer is missing or bad), or None when there is none."""
        with java_errors():
            text = self._session.loadLatest()
        return None if text is None else json.loads(str(text))

    def load_manifest(self, step: int) -> Manifest:
        """The manifest of ``step``, complete or not; ``FileNotFoundError`` when there is none."""
        with java_errors():
            return json.loads(str(self._session.load(int(step))))

    def read_shard(self, manifest: Manifest, rank: int = 0, *, as_bytes: bool = False):
        """Rank ``rank``'s shard of ``manifest``, decompressed and checked (size and CRC32C)."""
        backend = self._local
        with java_errors():
            blob = self._session.readShard(_manifest_text(manifest), int(rank))
            return _split(backend._fill(blob, None), as_bytes)[0]

    def read_all(self, manifest: Manifest, *, as_bytes: bool = False) -> List[Any]:
        """Every shard of ``manifest`` in rank order, read concurrently, each checked."""
        backend = self._local
        with java_errors():
            blob = self._session.readAll(_manifest_text(manifest))
            return _split(backend._fill(blob, None), as_bytes)

    def load(self, step: Optional[int] = None, rank: int = 0, *, as_bytes: bool = False):
        """Rank ``rank``'s shard of checkpoint ``step`` (the newest complete one when None); None when there is
        no complete checkpoint. ``FileNotFoundError`` if ``step`` has no manifest, ``OSError`` if it is
        incomplete."""
        manifest = self.latest() if step is None else self.load_manifest(step)
        if manifest is None:
            return None
        if manifest["status"] != "complete":
            raise OSError(f"{self.uri}: checkpoint step {step} is incomplete")
        return self.read_shard(manifest, rank, as_bytes=as_bytes)

    def load_latest(self, rank: int = 0, *, as_bytes: bool = False):
        """The original's ``load_latest``: rank ``rank``'s shard of the newest complete checkpoint, or None."""
        return self.load(None, rank, as_bytes=as_bytes)

    def load_all(self, step: Optional[int] = None, *, as_bytes: bool = False) -> Optional[List[Any]]:
        """Every shard of checkpoint ``step`` (newest complete when None), concurrently; None when there is none."""
        manifest = self.latest() if step is None else self.load_manifest(step)
        return None if manifest is None else self.read_all(manifest, as_bytes=as_bytes)

    def validate(self, step: Optional[int] = None) -> List[str]:
        """Reads every shard of ``step`` (newest complete when None) and checks sizes and CRC32C; returns one line
        per shard that differs, naming it (empty when all match)."""
        manifest = self.latest() if step is None else self.load_manifest(step)
        if manifest is None:
            raise FileNotFoundError(f"{self.uri}: no complete checkpoint")
        with java_errors():
            return [str(problem) for problem in self._session.validate(_manifest_text(manifest))]

    # -- PyTorch -------------------------------------------------------------------------------------------------
    def save_torch(self, step: int, epoch: int, obj: Any, *, rank: int = 0, world_size: int = 1,
                   framework: str = "torch", user_meta: Optional[Mapping[str, Any]] = None) -> Optional[Manifest]:
        """``torch.save(obj)`` streamed into rank ``rank``'s shard (no temporary file, no whole copy in memory).
        With ``world_size == 1`` the checkpoint is finalized here and its manifest returned; otherwise each rank
        calls this and rank 0 calls ``finalize`` after a barrier (None is returned)."""
        import torch

        with self.shard_writer(step, rank) as stream:
            torch.save(obj, stream)
        if world_size == 1:
            return self._finalize(step, epoch, framework, 1, user_meta)
        return None

    def load_torch(self, step: Optional[int] = None, rank: int = 0, *, map_location: Any = None, **kwargs: Any) -> Any:
        """``torch.load`` of rank ``rank``'s shard of ``step`` (newest complete when None), read from memory
        (no temporary file). ``FileNotFoundError`` when there is no complete checkpoint."""
        import torch

        data = self.load(step, rank)
        if data is None:
            raise FileNotFoundError(f"{self.uri}: no complete checkpoint")
        return torch.load(io.BufferedReader(_ViewFile(data)), map_location=map_location, **kwargs)

    # -- managing ------------------------------------------------------------------------------------------------
    def list_checkpoints(self) -> List[CheckpointInfo]:
        """Every checkpoint under the base, lowest step first, incomplete and unreadable ones included."""
        with java_errors():
            entries = json.loads(str(self._session.list()))
        return [CheckpointInfo(entry["step"], entry.get("manifest"), entry.get("problem")) for entry in entries]

    def latest_step(self) -> Optional[int]:
        """The step the "latest" pointer names (no fallback), or None."""
        with java_errors():
            step = int(self._session.latestPointerStep())
        return None if step < 0 else step

    def delete_checkpoint(self, step: int) -> bool:
        """Deletes checkpoint ``step`` (manifest first, then shards and rank records). True when every object
        went; ``OSError`` naming the objects that could not be deleted otherwise."""
        with java_errors():
            result = self._session.delete(int(step))
        _raise_failures(self.uri, result)
        return True

    def keep_last(self, keep: int) -> int:
        """Keeps the ``keep`` newest complete checkpoints (never deleting the one "latest" names); returns how many
        checkpoints were deleted, or raises ``OSError`` naming the objects that could not be."""
        with java_errors():
            result = self._session.retain(int(keep))
        _raise_failures(self.uri, result)
        return int(result.done())

    def leftovers(self, all: bool = False) -> List[Dict[str, Any]]:  # noqa: A002 - mirrors `prune --all`
        """What killed saves left (steps without a complete manifest): ``[{"step", "bytes", "objects"}]``. Only
        steps below the newest complete one unless ``all`` (use ``all`` only when no job is saving here)."""
        with java_errors():
            return json.loads(str(self._session.leftovers(bool(all))))

    def prune(self, all: bool = False) -> Dict[str, Any]:  # noqa: A002
        """Deletes what ``leftovers(all)`` lists. Returns ``{"steps": n, "failures": [(uri, cause), ...]}``."""
        with java_errors():
            result = self._session.prune(bool(all))
        return {"steps": int(result.done()), "failures": _pairs(result)}

    def close(self) -> None:
        """Releases the reader threads; idempotent."""
        session, self._session = getattr(self, "_session", None), None
        if session is not None:
            session.close()

    def __enter__(self) -> "CheckpointStore":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"CheckpointStore({self.uri!r}, layout={self.layout!r}, compression_level={self.compression_level})"


def _pairs(result) -> List[Any]:
    return [(str(item), str(cause)) for item, cause in zip(result.failedItems(), result.causes())]


def _raise_failures(uri: str, result) -> None:
    failures = _pairs(result)
    if failures:
        shown = "; ".join(f"{item}: {cause}" for item, cause in failures[:3])
        more = f" (and {len(failures) - 3} more)" if len(failures) > 3 else ""
        raise OSError(f"{uri}: {len(failures)} objects could not be deleted: {shown}{more}")


# -- the original's module functions ---------------------------------------------------------------------------
def save_checkpoint(uri: str, step: int, epoch: int, framework: str, data: BytesLike,
                    user_meta: Optional[Mapping[str, Any]] = None) -> Manifest:
    """A single-rank checkpoint under ``uri``; returns its manifest."""
    with CheckpointStore(uri) as store:
        return store.save(step, epoch, framework, data, user_meta)


def load_checkpoint(uri: str, *, as_bytes: bool = False):
    """Rank 0's shard of the newest complete checkpoint under ``uri``, or None."""
    with CheckpointStore(uri) as store:
        return store.load_latest(as_bytes=as_bytes)


def load_checkpoint_with_validation(uri: str, validate_integrity: bool = True, *, as_bytes: bool = False):
    """As ``load_checkpoint``. Every read is checked (size and CRC32C against the manifest) whatever
    ``validate_integrity`` says; the argument is kept for the original's signature."""
    return load_checkpoint(uri, as_bytes=as_bytes)
