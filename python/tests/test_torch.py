"""A real torch DataLoader over S3IterableDataset / S3MapDataset: every item exactly once per epoch, for two
epochs, with num_workers 0, 2 (fork) and 2 (spawn), after the parent already listed and read through s3dlio; and
the process exits cleanly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import s3dlio
from conftest import make_prefix
from s3dlio.torch import S3IterableDataset, S3MapDataset

N = 17
HERE = Path(__file__).resolve().parent


@pytest.fixture
def torch_prefix(tmp_path, servers):
    # S3 (S3Proxy): the case people run; every backend goes through the same loader code (see test_loader.py).
    prefix = make_prefix("s3", tmp_path, servers)
    s3dlio.put_many({f"{prefix}{i:02d}.bin": str(i).encode() for i in range(N)})
    s3dlio.put(prefix + "zz-empty.bin", b"")
    return prefix


@pytest.mark.parametrize("workers, method", [(0, "fork"), (2, "fork"), (2, "spawn")])
def test_dataloader_delivers_every_item_once_per_epoch(torch_prefix, workers, method):
    env = dict(os.environ, PYTHONPATH=str(HERE.parent))
    result = subprocess.run([sys.executable, str(HERE / "torch_epochs.py"), torch_prefix, str(workers), method],
                            env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["objects"] == N + 1 and report["helper_in_parent"] is False
    # The 0-byte object arrives as an empty item (counted as -1 by the script).
    for kind in ("iterable", "map"):
        assert len(report[kind]) == 2
        for counts in report[kind]:
            assert counts == {str(i): 1 for i in range(N)} | {"-1": 1}, (kind, counts)


def test_items_are_tensors_bytes_or_readers(torch_prefix):
    as_tensor = S3MapDataset.from_prefix(torch_prefix)
    assert isinstance(as_tensor[3], torch.Tensor) and as_tensor[3].dtype == torch.uint8
    assert bytes(as_tensor[3].numpy()) == b"3"
    assert as_tensor[len(as_tensor) - 1].numel() == 0
    assert S3MapDataset.from_prefix(torch_prefix, item_type="bytes")[4] == b"4"
    assert S3MapDataset.from_prefix(torch_prefix, item_type="reader")[5].read() == b"5"
    iterable = S3IterableDataset.from_prefix(torch_prefix, item_type="bytes")
    assert sorted(iterable) == sorted([str(i).encode() for i in range(N)] + [b""])
    with pytest.raises(ValueError, match="item_type"):
        S3MapDataset.from_prefix(torch_prefix, item_type="str")
    with pytest.raises(ValueError, match="batchsize"):
        S3IterableDataset.from_prefix(torch_prefix, batchsize=3)


def test_numpy_iterable(torch_prefix):
    from s3dlio.jax_tf import S3JaxIterable

    arrays = list(S3JaxIterable.from_prefix(torch_prefix, batch_size=4))
    assert sorted(bytes(array) for array in arrays) == sorted([str(i).encode() for i in range(N)] + [b""])
