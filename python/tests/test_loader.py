"""create_dataset / create_async_loader: lists always, every option honoured, bad options named."""
from __future__ import annotations

import asyncio

import pytest

import s3dlio

N = 23


@pytest.fixture
def dataset(prefix):
    """N small objects whose content is their index; returns (prefix, uris in dataset order)."""
    uris = [f"{prefix}item-{i:03d}" for i in range(N)]
    assert s3dlio.put_many({uri: str(i).encode() for i, uri in enumerate(uris)})["done"] == N
    return prefix, uris


def contents(batches):
    return [[int(bytes(item)) for item in batch] for batch in batches]


def test_batch_size_one_yields_one_element_lists_sync_and_async(dataset):
    prefix, _ = dataset
    loader = s3dlio.create_async_loader(prefix, {"batch_size": 1})
    batches = list(loader)
    assert all(isinstance(batch, list) and len(batch) == 1 for batch in batches)
    assert contents(batches) == [[i] for i in range(N)]

    async def consume():
        return [batch async for batch in loader]

    batches = asyncio.run(consume())
    assert all(isinstance(batch, list) and len(batch) == 1 for batch in batches)
    assert contents(batches) == [[i] for i in range(N)]
    loader.close()


def test_batches_keep_and_drop_last(dataset):
    prefix, _ = dataset
    kept = contents(s3dlio.create_async_loader(prefix, {"batch_size": 5}))
    assert [len(batch) for batch in kept] == [5, 5, 5, 5, 3]
    assert sum(kept, []) == list(range(N))
    dropped = contents(s3dlio.create_async_loader(prefix, {"batch_size": 5, "drop_last": True}))
    assert [len(batch) for batch in dropped] == [5, 5, 5, 5]


def test_shuffle_is_a_seeded_permutation_per_epoch(dataset):
    prefix, _ = dataset
    options = {"batch_size": 4, "shuffle": True, "seed": 42}
    loader = s3dlio.create_async_loader(prefix, options)
    epoch0 = sum(contents(loader.epoch(0)), [])
    epoch1 = sum(contents(loader.epoch(1)), [])
    assert sorted(epoch0) == list(range(N)) and sorted(epoch1) == list(range(N))
    assert epoch0 != list(range(N)) and epoch0 != epoch1
    again = s3dlio.create_async_loader(prefix, options)
    assert sum(contents(again.epoch(0)), []) == epoch0  # same seed and epoch, same order
    other = s3dlio.create_async_loader(prefix, dict(options, seed=7))
    assert sum(contents(other.epoch(0)), []) != epoch0


def test_sharding_is_strided_disjoint_and_complete(dataset):
    prefix, _ = dataset
    world = 3
    shards = []
    for rank in range(world):
        loader = s3dlio.create_async_loader(prefix, {"batch_size": 2, "shard_rank": rank, "shard_world_size": world})
        shards.append(sum(contents(loader), []))
    assert shards[0] == list(range(0, N, 3)) and shards[1] == list(range(1, N, 3))
    assert sorted(sum(shards, [])) == list(range(N))
    shuffled = [sum(contents(s3dlio.create_async_loader(prefix, {"shuffle": True, "seed": 3, "shard_rank": r,
                                                                  "shard_world_size": world})), [])
                for r in range(world)]
    assert sorted(sum(shuffled, [])) == list(range(N))


def test_every_option_is_accepted_and_range_mode_reads_correctly(prefix):
    big = bytes(range(256)) * 1200  # 300 KiB: several 64 KiB parts
    s3dlio.put(prefix + "big-0", big)
    s3dlio.put(prefix + "big-1", big[::-1])
    options = {"batch_size": 2, "drop_last": False, "shuffle": False, "seed": 0, "num_workers": 3, "prefetch": 2,
               "shard_rank": 0, "shard_world_size": 1, "reader_mode": "range", "part_size": 64 * 1024,
               "max_inflight_parts": 3, "records": None}
    loader = s3dlio.create_async_loader(prefix, options)
    assert loader.options == options
    [batch] = list(loader)
    assert bytes(batch[0]) == big and bytes(batch[1]) == big[::-1]


def test_dataset_iterates_items_and_takes_a_uri_list(dataset):
    prefix, uris = dataset
    ds = s3dlio.create_dataset(prefix, {"batch_size": 4})
    assert len(ds) == N
    assert [int(bytes(item)) for item in ds] == list(range(N))
    chosen = s3dlio.create_dataset([uris[5], uris[2]], {"batch_size": 1})
    assert [int(bytes(item)) for item in chosen] == [5, 2]


@pytest.mark.parametrize("options, key", [
    ({"batchsize": 4}, "batchsize"),
    ({"batch_size": "4"}, "batch_size"),
    ({"batch_size": 2.0}, "batch_size"),
    ({"shuffle": 1}, "shuffle"),
    ({"seed": True}, "seed"),
    ({"batch_size": 0}, "batch_size"),
    ({"reader_mode": "mmap"}, "reader_mode"),
    ({"part_size": 1024}, "part_size"),
    ({"shard_rank": 1}, "shard_world_size"),
    ({"shard_rank": 3, "shard_world_size": 3}, "shard_rank"),
])
def test_bad_options_name_the_key(options, key):
    with pytest.raises(ValueError, match=key):
        s3dlio.create_async_loader("file:///tmp/never-read/", options)


def test_missing_object_in_a_uri_list_raises_file_not_found(prefix):
    loader = s3dlio.create_async_loader([prefix + "absent"], {"batch_size": 1})
    with pytest.raises(FileNotFoundError, match="absent"):
        list(loader)
