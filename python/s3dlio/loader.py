"""Data loading: ``create_dataset`` and ``create_async_loader``, on the Java ``DataLoader``.

Batches are always lists (one-element lists for ``batch_size`` 1) of read-only ``memoryview`` items that NumPy
and ``torch.frombuffer`` take without copying. Items of one batch share one block of memory, or, for large items
(``S3DLIO_PYTHON_LOADER_DIRECT``), each is a view of the buffer Java read it into.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import weakref
from typing import Any, AsyncIterator, Dict, Iterator, List, Mapping, Optional, Sequence, Union

from . import _backend, _options

Source = Union[str, Sequence[str]]


def split(fetched, as_bytes: bool = False) -> List[Any]:
    """Read-only views (or bytes) of each item of a fetched block, or of a list of per-item arrays."""
    memory, sizes = fetched
    if isinstance(memory, list):
        views = [memoryview(item).cast("B").toreadonly() for item in memory]
        return [view.tobytes() for view in views] if as_bytes else views
    view = memoryview(memory).cast("B").toreadonly() if sizes and sum(sizes) else memoryview(b"")
    items: List[Any] = []
    offset = 0
    for size in sizes:
        item = view[offset:offset + size]
        items.append(item.tobytes() if as_bytes else item)
        offset += size
    return items


def _source(source: Source):
    if isinstance(source, str):
        return source, None
    uris = [str(uri) for uri in source]
    if not uris:
        raise ValueError("a dataset needs a prefix URI or at least one object URI")
    return uris[0], uris


class AsyncLoader:
    """Batches of a dataset, epoch after epoch, fetched concurrently and ahead of the consumer.

    Each ``for`` or ``async for`` over the loader runs the next epoch (0, 1, ...); ``epoch(n)`` runs a given one.

    >>> loader = s3dlio.create_async_loader("s3://bucket/train/", {"batch_size": 4, "shuffle": True, "seed": 7})
    >>> async for batch in loader:          # doctest: +SKIP
    ...     arrays = [numpy.frombuffer(item, numpy.uint8) for item in batch]
    """

    def __init__(self, source: Source, options: Optional[Mapping[str, Any]] = None, *, as_bytes: bool = False):
        self._spec: Dict[str, Any] = _options.validate(options)
        self._uri, self._uris = _source(source)
        self._as_bytes = as_bytes
        self._backend = _backend.backend()
        self._handle = self._backend.loader_open(self._uri, self._uris, self._spec)
        self._finalizer = weakref.finalize(self, _close_handle, self._backend, self._handle)
        self._next_epoch = 0
        self._pool: Optional[concurrent.futures.ThreadPoolExecutor] = None

    @property
    def options(self) -> Dict[str, Any]:
        """The options in effect, defaults filled in."""
        return dict(self._spec)

    def __len__(self) -> int:
        """Objects in the dataset (before sharding)."""
        return self._backend.loader_size(self._handle)

    def epoch(self, number: int) -> Iterator[List[Any]]:
        """The batches of epoch ``number`` (the shuffle order depends on seed and epoch)."""
        self._next_epoch = number + 1
        self._backend.loader_epoch(self._handle, number)
        while True:
            fetched = self._backend.loader_next(self._handle)
            if fetched is None:
                return
            yield split(fetched, self._as_bytes)

    def __iter__(self) -> Iterator[List[Any]]:
        return self.epoch(self._next_epoch)

    def __aiter__(self) -> AsyncIterator[List[Any]]:
        return self._async_epoch(self._next_epoch)

    async def _async_epoch(self, number: int) -> AsyncIterator[List[Any]]:
        if self._pool is None:
            # One thread waits in Java (without the GIL) for the next batch while the event loop runs on.
            self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="s3dlio-async-loader")
        loop = asyncio.get_running_loop()
        batches = self.epoch(number)
        done = object()
        while True:
            batch = await loop.run_in_executor(self._pool, next, batches, done)
            if batch is done:
                return
            yield batch

    def close(self) -> None:
        """Stops fetching and releases the Java loader. Idempotent."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        self._finalizer()

    def __enter__(self) -> "AsyncLoader":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _close_handle(backend: Any, handle: int) -> None:
    try:
        if backend is _backend.current():
            backend.loader_close(handle)
    except Exception:
        pass  # at interpreter exit or after fork the backend may be gone; the JVM ends with the process


class Dataset:
    """The objects under a prefix (one listing) or an explicit list of URIs, with the loader options.

    Iterating yields single items (read-only views) in the loader's order for one epoch; ``loader()`` gives the
    batched form. ``len()`` is the number of objects in the dataset.

    >>> ds = s3dlio.create_dataset("file:///data/train/", {"shuffle": True, "seed": 1})   # doctest: +SKIP
    >>> first = next(iter(ds))                                                            # doctest: +SKIP
    """

    def __init__(self, source: Source, options: Optional[Mapping[str, Any]] = None, *, as_bytes: bool = False):
        self._loader = AsyncLoader(source, options, as_bytes=as_bytes)

    def __len__(self) -> int:
        return len(self._loader)

    def __iter__(self) -> Iterator[Any]:
        for batch in self._loader:
            yield from batch

    def loader(self) -> AsyncLoader:
        """The batched loader behind this dataset."""
        return self._loader

    def close(self) -> None:
        self._loader.close()


def create_dataset(uri: Source, options: Optional[Mapping[str, Any]] = None) -> Dataset:
    """A dataset over every object under ``uri`` (or the given list of URIs). See ``AsyncLoader`` for options."""
    return Dataset(uri, options)


def create_async_loader(uri: Source, options: Optional[Mapping[str, Any]] = None) -> AsyncLoader:
    """A loader yielding lists of items, for ``async for`` and plain ``for``.

    Options (the original s3dlio keys; an unknown key or a wrong type raises ``ValueError`` naming it):
    ``batch_size``, ``drop_last``, ``shuffle``, ``seed``, ``num_workers`` (fetches in flight), ``prefetch``
    (batches ahead), ``shard_rank`` / ``shard_world_size``, ``reader_mode`` (``"sequential"`` or ``"range"``),
    ``part_size`` and ``max_inflight_parts`` (range mode).
    """
    return AsyncLoader(uri, options)
