"""Large items (S3DLIO_PYTHON_LOADER_DIRECT, 256 KiB by default) come as views of the buffers Java read them into:
every byte right over shuffled epochs, empty and odd sizes, and views of earlier batches stay valid while later
epochs run (a buffer goes back to Java only once its last view is gone)."""
from __future__ import annotations

import gc

import numpy
import pytest

import s3dlio
import s3dlio.loader

# Unique sizes, so each item is known by its length; the small ones are not in a lent buffer (less than half one).
SIZES = [1 << 20, (1 << 20) - 1, 700_001, 524_289, 999_983, 0, 5, 4099, 600_000, 777_777, 1_000_000, 888_887]


def payload(index: int, size: int) -> bytes:
    return numpy.random.default_rng(index).integers(0, 256, size, dtype=numpy.uint8).tobytes()


@pytest.fixture
def large(prefix):
    expected = {size: payload(i, size) for i, size in enumerate(SIZES)}
    uris = [f"{prefix}large-{i:02d}" for i in range(len(SIZES))]
    assert s3dlio.put_many({uri: expected[size] for uri, size in zip(uris, SIZES)})["done"] == len(SIZES)
    return prefix + "large-", expected


@pytest.mark.parametrize("batch_size", [1, 5])
def test_every_byte_over_shuffled_epochs_with_earlier_batches_kept(large, batch_size):
    prefix, expected = large
    loader = s3dlio.create_async_loader(prefix, {"batch_size": batch_size, "shuffle": True, "seed": 7, "prefetch": 2})
    kept = []
    for epoch in range(4):
        seen = []
        for batch in loader.epoch(epoch):
            assert isinstance(batch, list) and 1 <= len(batch) <= batch_size
            for item in batch:
                assert isinstance(item, memoryview) and item.readonly
                assert bytes(item) == expected[item.nbytes]
                seen.append(item.nbytes)
            if epoch == 0:
                kept.append(batch)  # alive while the later epochs read into other buffers
        assert sorted(seen) == sorted(SIZES)
        # Arrays made from the views stay valid too, and see the same bytes.
        for batch in kept:
            for item in batch:
                assert numpy.frombuffer(item, numpy.uint8).tobytes() == expected[item.nbytes]
    del kept, batch, item
    gc.collect()
    # The buffers given back are reused: still every byte right.
    for epoch in range(4, 6):
        assert sorted(bytes(item) for batch in loader.epoch(epoch) for item in batch) == sorted(expected.values())
    loader.close()


def test_as_bytes_and_dataset_iteration(large):
    prefix, expected = large
    loader = s3dlio.loader.AsyncLoader(prefix, {"batch_size": 3}, as_bytes=True)
    items = [item for batch in loader for item in batch]
    assert all(isinstance(item, bytes) for item in items)
    assert sorted(items) == sorted(expected.values())
    loader.close()
    dataset = s3dlio.create_dataset(prefix)
    assert sorted(bytes(item) for item in dataset) == sorted(expected.values())
