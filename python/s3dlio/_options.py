"""The loader options of the original s3dlio, validated by name and type before anything starts."""
from __future__ import annotations

from typing import Any, Dict, Mapping, Optional

#: key -> (accepted type, default). Every key is honoured; see docs/PYTHON.md for what each one does.
OPTIONS: Dict[str, tuple] = {
    "batch_size": (int, 32),
    "drop_last": (bool, False),
    "shuffle": (bool, False),
    "seed": (int, 0),
    "num_workers": (int, 0),  # 0: S3DLIO_LOADER_NUM_WORKERS or the tuning policy's default
    "prefetch": (int, 4),
    "shard_rank": (int, None),  # None (with shard_world_size None): torchrun/MPI/Slurm variables, else 0 of 1
    "shard_world_size": (int, None),
    "reader_mode": (str, "sequential"),  # "sequential" or "range"
    "part_size": (int, 8 * 1024 * 1024),
    "max_inflight_parts": (int, 4),
    "records": (str, None),  # None: whole objects are items; "tfrecord" / "npz": each record / NPZ member is one
}

#: Values of the "records" option: what becomes one item inside each file.
RECORDS = ("tfrecord", "npz")

_MINIMUM = {"batch_size": 1, "num_workers": 0, "prefetch": 1, "seed": -(1 << 63), "shard_rank": 0,
            "shard_world_size": 1, "part_size": 64 * 1024, "max_inflight_parts": 1}


def validate(options: Optional[Mapping[str, Any]]) -> Dict[str, Any]:
    """Every option with its default filled in.

    >>> validate({"batch_size": 4})["batch_size"]
    4
    >>> validate({"batchsize": 4})
    Traceback (most recent call last):
    ...
    ValueError: unknown loader option 'batchsize'; known options: batch_size, drop_last, ...
    """
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise ValueError(f"loader options must be a dict, got {type(options).__name__}")
    spec = {key: default for key, (_, default) in OPTIONS.items()}
    for key, value in options.items():
        if key not in OPTIONS:
            raise ValueError(f"unknown loader option {key!r}; known options: {', '.join(OPTIONS)}")
        wanted, _ = OPTIONS[key]
        if value is None and OPTIONS[key][1] is None:
            spec[key] = None
            continue
        # bool is an int in Python: refuse True where a number is meant, and 1 where a flag is meant.
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            raise ValueError(f"loader option {key!r} must be {wanted.__name__}, got {type(value).__name__} {value!r}")
        if key in _MINIMUM and value < _MINIMUM[key]:
            raise ValueError(f"loader option {key!r} must be at least {_MINIMUM[key]}, got {value}")
        spec[key] = value
    if spec["reader_mode"].lower() not in ("sequential", "range"):
        raise ValueError(f"loader option 'reader_mode' must be 'sequential' or 'range', got {spec['reader_mode']!r}")
    spec["reader_mode"] = spec["reader_mode"].lower()
    if spec["records"] is not None:
        if spec["records"].lower() not in RECORDS:
            raise ValueError(f"loader option 'records' must be one of {', '.join(RECORDS)} or None, "
                             f"got {spec['records']!r}")
        spec["records"] = spec["records"].lower()
    rank, world = spec["shard_rank"], spec["shard_world_size"]
    if (rank is None) != (world is None):
        raise ValueError("loader options 'shard_rank' and 'shard_world_size' go together: set both or neither")
    if rank is not None and rank >= world:
        raise ValueError(f"loader option 'shard_rank' must be below 'shard_world_size' ({world}), got {rank}")
    return spec
