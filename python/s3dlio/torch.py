"""PyTorch datasets over object storage: change an import, keep your DataLoader.

``S3IterableDataset`` streams a prefix through the Java loader, sharded by ``torch.distributed`` rank *and* by
DataLoader worker, so every object is delivered exactly once per epoch whatever ``num_workers`` is.
``S3MapDataset`` indexes objects (one listing) and reads one per ``__getitem__``. Items are uint8 tensors made
without copying (``item_type="tensor"``), ``bytes``, or a binary file-like reader (``"reader"``).

Works with every start method: in a worker forked after the main process used s3dlio, I/O goes through a helper
process (see ``s3dlio._remote``); spawned workers start their own JVM.

>>> from s3dlio.torch import S3IterableDataset
>>> ds = S3IterableDataset.from_prefix("s3://bucket/train/", shuffle=True, seed=1)   # doctest: +SKIP
>>> loader = torch.utils.data.DataLoader(ds, batch_size=None, num_workers=4)          # doctest: +SKIP
"""
from __future__ import annotations

import io
import warnings
from typing import Any, Dict, Iterator, List, Optional, Sequence

import torch
import torch.utils.data

from . import _options
from . import list as _list
from . import get as _get
from .loader import AsyncLoader

ITEM_TYPES = ("tensor", "bytes", "reader")


def _convert(item: Any, item_type: str) -> Any:
    if item_type == "bytes":
        return bytes(item)
    if item_type == "reader":
        return io.BytesIO(item)
    if len(item) == 0:
        return torch.empty(0, dtype=torch.uint8)
    with warnings.catch_warnings():
        # The buffer is read-only on purpose (it is shared); torch warns about that, once, and copies nothing.
        warnings.simplefilter("ignore", UserWarning)
        return torch.frombuffer(item, dtype=torch.uint8)


def _check_item_type(item_type: str) -> str:
    if item_type not in ITEM_TYPES:
        raise ValueError(f"item_type must be one of {ITEM_TYPES}, got {item_type!r}")
    return item_type


def _distributed() -> tuple:
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        return torch.distributed.get_rank(), torch.distributed.get_world_size()
    return None


class S3IterableDataset(torch.utils.data.IterableDataset):
    """Every object under a prefix (or of a URI list), streamed in batches by the Java loader.

    Loader options are the ``create_async_loader`` keys (``shuffle``, ``seed``, ``num_workers`` = fetches in
    flight per DataLoader worker, ``prefetch``, ``reader_mode``, ...). Sharding: the global shard is
    (distributed rank x DataLoader workers + worker id) of (world size x workers); ``shard_rank`` /
    ``shard_world_size`` stand in for the distributed rank and world size when torch.distributed is not
    initialised. Call ``set_epoch(n)`` before each epoch for a new shuffle order, like ``DistributedSampler``.
    """

    def __init__(self, source, *, item_type: str = "tensor", **options: Any) -> None:
        super().__init__()
        self.source = source if isinstance(source, str) else [str(uri) for uri in source]
        self.item_type = _check_item_type(item_type)
        self.options: Dict[str, Any] = _options.validate(options)
        self.epoch = 0

    @classmethod
    def from_prefix(cls, uri: str, *, item_type: str = "tensor", **options: Any) -> "S3IterableDataset":
        """Every object under ``uri`` (listed in each worker when iteration starts)."""
        return cls(uri, item_type=item_type, **options)

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def _shard(self) -> tuple:
        distributed = _distributed()
        if distributed is not None:
            rank, world = distributed
        else:
            rank = self.options["shard_rank"] or 0
            world = self.options["shard_world_size"] or 1
        info = torch.utils.data.get_worker_info()
        workers, worker = (info.num_workers, info.id) if info is not None else (1, 0)
        return rank * workers + worker, world * workers

    def __iter__(self) -> Iterator[Any]:
        rank, world = self._shard()
        options = dict(self.options, shard_rank=rank, shard_world_size=world)
        # Keep every item of a shuffled epoch inside the shard the global order assigns it: batch_size only
        # sets how many items cross the bridge at once, and drop_last applies per shard as in the Java loader.
        loader = AsyncLoader(self.source, options)
        try:
            for batch in loader.epoch(self.epoch):
                for item in batch:
                    yield _convert(item, self.item_type)
        finally:
            loader.close()


class S3MapDataset(torch.utils.data.Dataset):
    """Objects indexed by position: one listing (in the process that builds it), one read per item.

    >>> ds = S3MapDataset.from_prefix("file:///data/train/")            # doctest: +SKIP
    >>> tensor = ds[0]                                                  # doctest: +SKIP
    """

    def __init__(self, uris: Sequence[str], *, item_type: str = "tensor") -> None:
        self.uris: List[str] = [str(uri) for uri in uris]
        self.item_type = _check_item_type(item_type)

    @classmethod
    def from_prefix(cls, uri: str, *, item_type: str = "tensor") -> "S3MapDataset":
        """Every object under ``uri``, sorted by URI."""
        return cls(sorted(_list(uri, recursive=True)), item_type=item_type)

    def __len__(self) -> int:
        return len(self.uris)

    def __getitem__(self, index: int) -> Any:
        return _convert(_get(self.uris[index]), self.item_type)
