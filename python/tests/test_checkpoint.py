"""s3dlio.checkpoint against file://, S3 (S3Proxy) and Azure (Azurite), started by conftest for the session."""
from __future__ import annotations

import numpy
import pytest

import s3dlio
from s3dlio.checkpoint import (CheckpointStore, load_checkpoint, load_checkpoint_with_validation,
                               save_checkpoint)

from conftest import make_prefix

CHECKPOINT_BACKENDS = ["file", "s3", "az"]


@pytest.fixture(params=CHECKPOINT_BACKENDS)
def base(request, tmp_path, servers):
    return make_prefix(request.param, tmp_path, servers) + "ckpt/"


def _state(seed: int, size: int = 300_000) -> numpy.ndarray:
    return numpy.random.default_rng(seed).standard_normal(size // 4).astype(numpy.float32)


def test_single_rank_round_trip_latest_and_list(base):
    with CheckpointStore(base) as store:
        assert store.latest() is None
        assert store.load_latest() is None
        first = store.save(100, 1, "numpy", _state(1), {"lr": "3e-4"})
        assert first["status"] == "complete" and first["global_step"] == 100 and first["world_size"] == 1
        assert first["user_metadata"] == {"lr": "3e-4"}
        store.save(200, 2, "numpy", _state(2).tobytes())          # bytes (read-only memory) as well

        data = store.load_latest()
        assert isinstance(data, memoryview) and data.readonly
        numpy.testing.assert_array_equal(numpy.frombuffer(data, numpy.float32), _state(2))
        numpy.testing.assert_array_equal(numpy.frombuffer(store.load(100), numpy.float32), _state(1))
        assert store.latest()["global_step"] == 200 and store.latest_step() == 200

        infos = store.list_checkpoints()
        assert [info.step for info in infos] == [100, 200]
        assert all(info.is_complete() and info.is_single_rank() for info in infos)
        assert infos[0].epoch == 1 and infos[0].framework == "numpy" and infos[0].total_size == _state(1).nbytes
        assert infos[0].user_meta == {"lr": "3e-4"}
        assert store.validate() == []


def test_four_ranks_stream_their_shards_and_rank_zero_finalizes(base):
    world = 4
    shards = [_state(10 + rank, 200_000 + rank) for rank in range(world)]
    with CheckpointStore(base, strategy="round_robin", compression_level=3) as store:
        records = []
        for rank in range(world):
            writer = store.writer(world_size=world, rank=rank)
            with writer.get_distributed_shard_stream(7, 1, "torch") as stream:
                view = memoryview(shards[rank]).cast("B")
                half = view.nbytes // 2
                stream.write_chunk(view[:half])
                stream.write(view[half:])
            records.append(stream.finalize())
        assert [record["rank"] for record in records] == list(range(world))
        assert all(record["key"].startswith("shards/rr/") and record["key"].endswith(".bin.zst") for record in records)
        manifest = store.writer(world, 0).finalize_distributed_checkpoint(7, 1, "torch", records, {"run": "a"})
        assert manifest["world_size"] == world and manifest["compression"] == "zstd"

        reader = store.reader()
        latest = reader.load_latest_manifest()
        assert latest["global_step"] == 7
        for rank in range(world):
            numpy.testing.assert_array_equal(
                numpy.frombuffer(reader.read_shard_by_rank(latest, rank), numpy.float32), shards[rank])
        every = store.load_all()
        assert [bytes(item) for item in every] == [shard.tobytes() for shard in shards]


@pytest.mark.parametrize("layout", ["flat", "round_robin", "binary"])
@pytest.mark.parametrize("compression", [None, 1])
def test_every_layout_and_compression(tmp_path, layout, compression):
    with CheckpointStore(f"file://{tmp_path}/ckpt/", layout=layout, compression_level=compression) as store:
        for rank in range(2):
            store.writer(2, rank).save_distributed_shard(3, 0, "x", bytes([rank]) * 70_000)
        manifest = store.finalize(3, 0, "x", 2)
        assert manifest["layout"] == layout and manifest["compression"] == ("none" if compression is None else "zstd")
        assert store.load_all(as_bytes=True) == [b"\x00" * 70_000, b"\x01" * 70_000]


def test_an_exception_in_a_shard_block_discards_it_and_finalize_names_the_rank(base):
    with CheckpointStore(base) as store:
        store.writer(2, 0).save_distributed_shard(5, 0, "x", b"zero" * 1000)
        with pytest.raises(RuntimeError, match="boom"):
            with store.shard_writer(5, rank=1) as stream:
                stream.write(b"one" * 1000)
                raise RuntimeError("boom")
        assert stream.closed
        with pytest.raises(OSError, match="rank 1 of 2 has not finished"):
            store.finalize(5, 0, "x", 2)
        assert store.latest() is None


def test_torch_state_dict_streams_into_a_shard_and_loads_back(base):
    torch = pytest.importorskip("torch")
    state = {"weight": torch.arange(50_000, dtype=torch.float32).reshape(500, 100), "step": 9,
             "nested": {"bias": torch.ones(3)}}
    with CheckpointStore(base) as store:
        manifest = store.save_torch(9, 1, state, user_meta={"model": "tiny"})
        assert manifest["framework"] == "torch" and manifest["user_metadata"] == {"model": "tiny"}
        loaded = store.load_torch()
        assert loaded["step"] == 9
        assert torch.equal(loaded["weight"], state["weight"]) and torch.equal(loaded["nested"]["bias"], torch.ones(3))
        for rank in range(2):
            store.save_torch(10, 1, {"rank": torch.tensor([rank])}, rank=rank, world_size=2)
        store.finalize(10, 1, "torch", 2)
        assert store.load_torch(rank=1)["rank"].item() == 1
        assert store.load_torch(9)["step"] == 9


def test_validation_names_a_shard_changed_behind_the_store(base):
    with CheckpointStore(base) as store:
        manifest = store.save(1, 0, "x", b"a" * 100_000)
        shard_uri = store.uri + manifest["shards"][0]["key"]
        s3dlio.put(shard_uri, b"b" * 100_000)                 # same size, other bytes
        problems = store.validate(1)
        assert len(problems) == 1 and manifest["shards"][0]["key"] in problems[0] and "CRC32C" in problems[0]
        with pytest.raises(OSError, match="rank 0 of step 1 differs"):
            store.load(1)


def test_keep_last_delete_and_prune(base):
    with CheckpointStore(base) as store:
        for step in range(1, 6):
            store.save(step, 0, "x", bytes([step]) * 1000)
        assert store.keep_last(2) == 3
        assert [info.step for info in store.list_checkpoints()] == [4, 5]
        assert store.delete_checkpoint(4) is True
        assert [info.step for info in store.list_checkpoints()] == [5]

        with store.shard_writer(3, 0) as stream:                   # a shard whose save never finalized
            stream.write(b"left" * 100)
        leftovers = store.leftovers()
        assert [item["step"] for item in leftovers] == [3] and leftovers[0]["bytes"] > 0
        assert store.prune() == {"steps": 1, "failures": []}
        assert store.leftovers(all=True) == []
        assert store.load_latest(as_bytes=True) == bytes([5]) * 1000


def test_saving_a_complete_step_again_is_refused(base):
    with CheckpointStore(base) as store:
        store.save(1, 0, "x", b"1")
        with pytest.raises(OSError, match="already complete"):
            store.save(1, 0, "x", b"2")


def test_module_functions_of_the_original(base):
    manifest = save_checkpoint(base, 42, 3, "jax", numpy.arange(10, dtype=numpy.int64), {"k": 1})
    assert manifest["user_metadata"] == {"k": "1"}
    numpy.testing.assert_array_equal(numpy.frombuffer(load_checkpoint(base), numpy.int64), numpy.arange(10))
    assert load_checkpoint_with_validation(base, as_bytes=True) == numpy.arange(10, dtype=numpy.int64).tobytes()


def test_bad_arguments_raise_value_error_naming_the_uri(tmp_path):
    uri = f"file://{tmp_path}/c/"
    with pytest.raises(ValueError, match="layout must be one of"):
        CheckpointStore(uri, strategy="spiral")
    with pytest.raises(ValueError, match="part_size must be positive"):
        CheckpointStore(uri, part_size=0)
    with CheckpointStore(uri) as store:
        with pytest.raises(ValueError, match="not within world size"):
            store.writer(2, 2)
        with pytest.raises(ValueError, match="mapping"):
            store.save(1, 0, "x", b"1", user_meta=["a"])
    with pytest.raises(FileNotFoundError):
        CheckpointStore(uri).load_manifest(77)
