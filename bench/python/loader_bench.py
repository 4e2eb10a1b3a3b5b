"""Python loader vs the Java loader vs boto3 (16 threads) on one loopback S3Proxy, and the per-sample hand-off
cost to NumPy. Run from the checkout (after ./mvnw -pl python-facade -am package -DskipTests):

    PYTHONPATH=python /usr/bin/python3 bench/python/loader_bench.py [--rounds 3] [--warmup 1] [--mib 128]

Starts S3Proxy (and Azurite, unused) through io.s3dlio.python.TestServers, writes one dataset of 1 MiB objects
and one of 64 KiB objects (--mib MiB each), then per round and per dataset reads everything once with each
contender, interleaved and in a rotating order (after --warmup uncounted rounds), and prints MB/s per contender (median over rounds) and the ratios.
- "java loader": the Java DataLoader driven through the facade with no hand-off into Python memory
  (LoaderSession.next() per batch; the bytes stay in Java): the Java loader's own speed.
- "python loader": s3dlio.create_async_loader, every item handed to Python as a NumPy-readable buffer.
- "boto3 x16": boto3 get_object(...).read() on a 16-thread pool (the obvious Python alternative).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))


def start_servers():
    target = REPO / "python-facade" / "target"
    from s3dlio import _java

    java = str(_java.find_java_home() / "bin" / "java")
    process = subprocess.Popen([java, "-Xmx1g", f"-Ds3dlio.it.servers={target / 'it-servers'}", "-cp",
                                f"{target / 'test-classes'}:{target / 'test-lib'}/*", "io.s3dlio.python.TestServers"],
                               cwd=str(REPO), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    settings = {}
    for line in process.stdout:
        line = line.strip()
        if line == "READY":
            break
        name, _, value = line.partition("=")
        settings[name] = value
    os.environ.update(settings)
    return process


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted (JIT, connections)")
    parser.add_argument("--mib", type=int, default=128, help="MiB per dataset")
    parser.add_argument("--workers", type=int, default=16, help="fetches in flight (loaders) / threads (boto3)")
    args = parser.parse_args()
    servers = start_servers()
    try:
        run(args)
    finally:
        servers.stdin.close()
        servers.wait(timeout=60)


def run(args) -> None:
    import boto3
    import botocore.config
    import numpy
    import s3dlio
    from s3dlio import _backend

    bucket = "bench-" + uuid.uuid4().hex[:8]
    s3dlio.create_bucket(f"s3://{bucket}/")
    datasets = {}
    for label, size in (("1MiB", 1 << 20), ("64KiB", 64 << 10)):
        count = args.mib * (1 << 20) // size
        prefix = f"s3://{bucket}/{label}/"
        payload = numpy.random.default_rng(1).integers(0, 256, size, dtype=numpy.uint8).tobytes()
        for start in range(0, count, 256):
            s3dlio.put_many({f"{prefix}{i:06d}": payload for i in range(start, min(count, start + 256))})
        datasets[label] = (prefix, count, size)
    s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"], region_name="us-east-1",
                      aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
                      aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
                      config=botocore.config.Config(max_pool_connections=args.workers, s3={"addressing_style": "path"}))
    options = {"batch_size": 32, "num_workers": args.workers, "prefetch": 4}
    backend = _backend.backend()

    def java_loader(prefix):
        handle = backend.loader_open(prefix, None, s3dlio._options.validate(options))
        session = backend._handles[handle]
        session.startEpoch(0)
        total = 0
        while True:
            blob = session.next()
            if blob is None:
                break
            total += int(blob.totalSize())
        backend.loader_close(handle)
        return total

    def python_loader(prefix):
        total = 0
        with s3dlio.create_async_loader(prefix, options) as loader:
            for batch in loader:
                for item in batch:
                    total += numpy.frombuffer(item, numpy.uint8).nbytes
        return total

    def boto(prefix):
        keys = [key for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix.split("/", 3)[3])
                for key in (entry["Key"] for entry in page.get("Contents", []))]
        with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
            return sum(pool.map(lambda key: len(s3.get_object(Bucket=bucket, Key=key)["Body"].read()), keys))

    contenders = {"java loader": java_loader, "python loader": python_loader, "boto3 x16": boto}
    results = {(label, name): [] for label in datasets for name in contenders}
    for round_number in range(-args.warmup, args.rounds):
        for label, (prefix, count, size) in datasets.items():
            names = list(contenders)
            shift = round_number % len(names)  # rotate who goes first: the first reader of a round pays more here
            for name in names[shift:] + names[:shift]:
                read = contenders[name]
                start = time.perf_counter()
                total = read(prefix)
                seconds = time.perf_counter() - start
                assert total == count * size, (name, label, total)
                if round_number >= 0:
                    results[(label, name)].append(total / seconds / 1e6)
                kind = "warm-up" if round_number < 0 else f"round {round_number}"
                print(f"{kind} {label:>5} {name:<13} {total / seconds / 1e6:8.1f} MB/s", flush=True)

    print("\nmedian MB/s over", args.rounds, "rounds")
    for label in datasets:
        java = statistics.median(results[(label, "java loader")])
        python = statistics.median(results[(label, "python loader")])
        boto_rate = statistics.median(results[(label, "boto3 x16")])
        print(f"{label:>5}: java {java:8.1f}  python {python:8.1f}  boto3x16 {boto_rate:8.1f}  "
              f"python/java {python / java:5.2f}  python/boto3 {python / boto_rate:5.2f}")

    # Per-sample hand-off: from a fetched 1 MiB item to a NumPy array (and a torch tensor), and the one copy
    # from Java's buffer into Python-owned memory that precedes it.
    item = s3dlio.get(datasets["1MiB"][0] + "000000")
    loops = 20000
    start = time.perf_counter()
    for _ in range(loops):
        array = numpy.frombuffer(item, numpy.uint8)
    numpy_us = (time.perf_counter() - start) / loops * 1e6
    assert numpy.shares_memory(array, numpy.asarray(item))
    blob = backend._facade.get(datasets["1MiB"][0] + "000000")
    loops = 300
    start = time.perf_counter()
    for _ in range(loops):
        backend._fill(blob, None)  # pooled memory, as get() and the loader use it
    copy_us = (time.perf_counter() - start) / loops * 1e6
    print(f"\nhand-off of one 1 MiB sample to NumPy: {numpy_us:.2f} us, no copy (numpy.shares_memory: True)")
    print(f"the one copy before it (Java buffer -> pooled Python-owned memory): {copy_us:.0f} us per 1 MiB")
    s3dlio.delete_prefix(f"s3://{bucket}/")


if __name__ == "__main__":
    main()
