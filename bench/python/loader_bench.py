"""Python loader vs the Java loader vs boto3 (16 threads) on one loopback S3 server, and the per-sample hand-off
cost to NumPy. Run from the checkout (after ./mvnw -pl python-facade -am package -DskipTests):

    PYTHONPATH=python /usr/bin/python3 bench/python/loader_bench.py [--server fixture|s3proxy] [--rounds 5]
        [--warmup 2] [--mib 256]

--server fixture (the default) starts the bench module's in-memory BenchS3Server (run from its source files with
the JDK's source launcher and the core module's classes), which is cheap enough that the figures measure the clients, not the
server; --server s3proxy starts S3Proxy (and Azurite, unused) through io.s3dlio.python.TestServers, as the
pytest suite does (S3Proxy checks SigV4 and keeps objects in jclouds, and on two cores its CPU caps everyone).
All three contenders always read from the same server, the same objects, with the same concurrency.
It writes one dataset of 1 MiB objects and one of 64 KiB objects (--mib MiB each), then per round and per dataset
reads everything once with each contender, interleaved and in a rotating order (after --warmup uncounted rounds),
and prints MB/s per contender (median over rounds), the ratios, and CPU per MiB read: of this process (the JVM
runs in it, so the loaders' Java threads count here too) and of the server process, and this process's CPU per MiB
split by its threads' names: "java I/O" (the loader's virtual-thread carriers), "collector" (GC threads), "JIT"
(C1/C2 compiler threads), "python" (the main thread, which copies the loader's batches into Python memory),
"other", and "ended" (the rest of the process's CPU: threads that ended within the row, such as boto3's pool,
which is closed before the row ends). Each row also counts the JVM's heap allocation per byte read (all its threads)
and its collections per GiB read. The JVM's compiler threads may still be busy with the loaders' code during
a boto3 row; that shows as "JIT" in boto3's row. CPU per MiB depends less on what else the machine runs than
wall-clock MB/s does.
- "java loader": the Java DataLoader driven through the facade with no hand-off into Python memory
  (LoaderSession.next() per batch; the bytes stay in Java): the Java loader's own speed.
- "python loader": s3dlio.create_async_loader, every item handed to Python as a NumPy-readable buffer.
- "boto3 x16": boto3 get_object(...).read() on a 16-thread pool (the obvious Python alternative).
- "python no-pool" (with --compare-pool only): the python loader through a second facade whose loaders read every
  item into a new array (S3DLIO_PYTHON_LOADER_POOL=0), the state before the array pool; interleaved with the rest.
- "python copy" and "java arrays" (with --compare-direct only): the python and java loaders through a second
  facade with S3DLIO_PYTHON_LOADER_DIRECT=0: items read into reused heap arrays and each batch copied into Python
  memory, the state before the direct buffers (at 1 MiB; 64 KiB items take that path either way).
The loaders run with batch 32, --workers fetches in flight and prefetch 4; the dataset should span several
prefetch windows (4 x 32 items), or the run ends with whole batches copied after the last fetch.
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


def _java_binary() -> str:
    from s3dlio import _java

    return str(_java.find_java_home() / "bin" / "java")


def start_s3proxy():
    target = REPO / "python-facade" / "target"
    process = subprocess.Popen([_java_binary(), "-Xmx1g", f"-Ds3dlio.it.servers={target / 'it-servers'}", "-cp",
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

    def stop():
        process.stdin.close()
        process.wait(timeout=60)

    return process, stop


def _fixture_source() -> Path:
    # Found by name so that the benchmark keeps working if the fixture moves to another module.
    found = sorted(path for path in REPO.glob("*/src/main/java/**/BenchS3Server.java"))
    if not found:
        raise SystemExit("BenchS3Server.java not found under " + str(REPO))
    return found[0]


_fixture_args: list = []


def start_fixture():
    # The JDK's source launcher compiles and runs the fixture's files; they need the JDK and the core module's
    # checksum classes (io.s3dlio.spi: the fixture keeps CRCs as AWS S3 does), built by the package step above.
    core = REPO / "core" / "target" / "classes"
    if not (core / "io" / "s3dlio" / "spi" / "FullObjectCrc.class").is_file():
        raise SystemExit(f"{core} has no compiled classes: run ./mvnw -pl python-facade -am package -DskipTests")
    process = subprocess.Popen([_java_binary(), "-Xmx2g", "-XX:+UseParallelGC", "-cp", str(core),
                                str(_fixture_source())] + _fixture_args,
                               cwd=str(REPO), stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("ready "):
        process.kill()
        raise SystemExit("BenchS3Server did not start: " + line)
    os.environ.update({"AWS_ENDPOINT_URL": line.split()[1], "AWS_ACCESS_KEY_ID": "bench",
                       "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_REGION": "us-east-1",
                       "S3DLIO_S3_CHECKSUM": "when_required"})

    def stop():
        process.terminate()
        process.wait(timeout=60)

    return process, stop


def server_cpu_seconds(root: int) -> float:
    """User + system CPU of the server process and its descendants (S3Proxy runs as a child of TestServers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        total += stats.get(pid, (0, 0))[1]
        pending.extend(child for child, (parent, _) in stats.items() if parent == pid)
    return total / ticks


def thread_ticks() -> dict:
    """CPU ticks (user + system) of each thread of this process, by thread id: (component, ticks)."""
    ticks = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            name = (task / "comm").read_text().strip()
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the thread ended meanwhile
        ticks[task.name] = (component(name), int(fields[11]) + int(fields[12]))
    return ticks


def component(thread_name: str) -> str:
    """What a thread of this process does, from its name (Linux keeps the first 15 characters)."""
    if thread_name.startswith("ForkJoinPool") or thread_name.startswith("s3dlio"):
        return "java I/O"      # the carriers of the loader's virtual threads, and the library's named threads
    if thread_name.startswith(("GC Thread", "G1 ", "VM Thread", "VM Periodic", "Service Thread")):
        return "collector"
    if "CompilerThre" in thread_name:
        return "JIT"
    if thread_name.startswith("python"):
        return "python"        # the main thread (loader: the copy into Python memory); boto3's pool while it runs
    return "other"


def component_cpu(before: dict, after: dict) -> dict:
    seconds: dict = {}
    for thread, (name, ticks) in after.items():
        spent = ticks - before.get(thread, (name, 0))[1]
        seconds[name] = seconds.get(name, 0.0) + spent / os.sysconf("SC_CLK_TCK")
    return seconds


COMPONENTS = ("java I/O", "collector", "JIT", "python", "other", "ended")


def load_average() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", choices=("fixture", "s3proxy"), default="fixture",
                        help="the loopback S3 server all three contenders read from")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2,
                        help="rounds run first and not counted (the JIT compiles the loaders for about two rounds)")
    parser.add_argument("--mib", type=int, default=256, help="MiB per dataset")
    parser.add_argument("--workers", type=int, default=16, help="fetches in flight (loaders) / threads (boto3)")
    parser.add_argument("--fixture-write-chunk", type=int, default=None,
                        help="bytes per write of the fixture's GET bodies (its default, 0, writes each object at "
                             "once); for comparing the fixture's CPU per MiB")
    parser.add_argument("--compare-pool", action="store_true",
                        help="add the python loader without its array pool (S3DLIO_PYTHON_LOADER_POOL=0) as a fourth "
                             "contender, for a before/after in one run")
    parser.add_argument("--compare-direct", action="store_true",
                        help="add the python and java loaders without direct item buffers "
                             "(S3DLIO_PYTHON_LOADER_DIRECT=0) as contenders, for a before/after in one run")
    args = parser.parse_args()
    if args.fixture_write_chunk is not None:
        _fixture_args[:] = ["--write-chunk", str(args.fixture_write_chunk)]
    server, stop = start_fixture() if args.server == "fixture" else start_s3proxy()
    try:
        run(args, server.pid)
    finally:
        stop()


def run(args, server_pid: int) -> None:
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

    def java_loader(prefix, facade=None):
        pooled = backend._facade
        backend._facade = facade or pooled  # only loader_open goes through it; the session is used directly after
        try:
            handle = backend.loader_open(prefix, None, s3dlio._options.validate(options))
        finally:
            backend._facade = pooled
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

    # Wall time the Python loader's consumer thread spends copying batches from Java into Python memory (the
    # backend's one copy, timed around it here; the loader itself is unchanged).
    copy_seconds = [0.0]
    fill = backend._fill

    def timed_fill(blob, alloc):
        start = time.perf_counter()
        try:
            return fill(blob, alloc)
        finally:
            copy_seconds[0] += time.perf_counter() - start

    backend._fill = timed_fill
    views = backend._views

    def timed_views(batch, returned):
        start = time.perf_counter()
        try:
            return views(batch, returned)
        finally:
            copy_seconds[0] += time.perf_counter() - start

    backend._views = timed_views

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

    # Counts that mean the same at any load: the JVM's heap allocation (all threads, ended ones included) and its
    # young/old collections, read around each row.
    import jpype

    management = jpype.JClass("java.lang.management.ManagementFactory")
    jvm_threads = jpype.JObject(management.getThreadMXBean(), jpype.JClass("com.sun.management.ThreadMXBean"))
    collectors = list(management.getGarbageCollectorMXBeans())

    def jvm_counts():
        return int(jvm_threads.getTotalThreadAllocatedBytes()), sum(int(bean.getCollectionCount()) for bean in collectors)

    contenders = {"java loader": java_loader, "python loader": python_loader, "boto3 x16": boto}
    if args.compare_pool:
        overrides = jpype.JClass("java.util.HashMap")()
        overrides.put("S3DLIO_PYTHON_LOADER_POOL", "0")
        no_pool = jpype.JClass("io.s3dlio.python.PythonFacade").create(jpype.JClass("io.s3dlio.api.ObjectStores").create(
            jpype.JClass("io.s3dlio.config.ConfigSource").fromEnvironment().withOverrides(overrides)))

        def python_no_pool(prefix):
            pooled = backend._facade
            backend._facade = no_pool  # only loader_open goes through it; the session is used directly after
            try:
                return python_loader(prefix)
            finally:
                backend._facade = pooled

        contenders["python no-pool"] = python_no_pool
    if args.compare_direct:
        overrides = jpype.JClass("java.util.HashMap")()
        overrides.put("S3DLIO_PYTHON_LOADER_DIRECT", "0")
        copying = jpype.JClass("io.s3dlio.python.PythonFacade").create(jpype.JClass("io.s3dlio.api.ObjectStores").create(
            jpype.JClass("io.s3dlio.config.ConfigSource").fromEnvironment().withOverrides(overrides)))

        def python_copy(prefix):
            direct = backend._facade
            backend._facade = copying  # only loader_open goes through it; the session is used directly after
            try:
                return python_loader(prefix)
            finally:
                backend._facade = direct

        contenders["python copy"] = python_copy
        contenders["java arrays"] = lambda prefix: java_loader(prefix, copying)
    results = {(label, name): [] for label in datasets for name in contenders}
    print(f"server: {args.server}; load average at start: {load_average()}", flush=True)
    for round_number in range(-args.warmup, args.rounds):
        for label, (prefix, count, size) in datasets.items():
            names = list(contenders)
            shift = round_number % len(names)  # rotate who goes first: the first reader of a round pays more here
            for name in names[shift:] + names[:shift]:
                read = contenders[name]
                copy_seconds[0] = 0.0
                server_before = server_cpu_seconds(server_pid)
                threads_before = thread_ticks()
                jvm_before = jvm_counts()
                cpu_before = time.process_time()
                start = time.perf_counter()
                total = read(prefix)
                seconds = time.perf_counter() - start
                client_cpu = time.process_time() - cpu_before
                jvm_after = jvm_counts()
                parts = component_cpu(threads_before, thread_ticks())
                # Threads that ended before the second look (boto3's pool, closed inside read) are seen only here.
                parts["ended"] = max(0.0, client_cpu - sum(parts.values()))
                server_cpu = server_cpu_seconds(server_pid) - server_before
                assert total == count * size, (name, label, total)
                mib = total / (1 << 20)
                row = (total / seconds / 1e6, client_cpu / mib * 1e3, server_cpu / mib * 1e3,
                       copy_seconds[0] / mib * 1e6) + tuple(parts.get(part, 0.0) / mib * 1e3 for part in COMPONENTS) \
                    + ((jvm_after[0] - jvm_before[0]) / total, (jvm_after[1] - jvm_before[1]) / mib * 1024)
                if round_number >= 0:
                    results[(label, name)].append(row)
                kind = "warm-up" if round_number < 0 else f"round {round_number}"
                print(f"{kind} {label:>5} {name:<13} {row[0]:8.1f} MB/s  CPU ms/MiB: client {row[1]:6.2f} "
                      f"server {row[2]:6.2f}" + (f"  copy {row[3]:5.0f} us/MiB" if row[3] else "") + "  ("
                      + ", ".join(f"{part} {value:.2f}" for part, value in zip(COMPONENTS, row[4:10]))
                      + f")  JVM heap allocated {row[10]:.2f} B/B, {row[11]:.0f} collections/GiB",
                      flush=True)

    def median(label, name, column):
        return statistics.median(row[column] for row in results[(label, name)])

    print(f"\nmedians over {args.rounds} rounds; load average at end: {load_average()}")
    for label in datasets:
        java, python, boto_rate = (median(label, name, 0) for name in ("java loader", "python loader", "boto3 x16"))
        print(f"{label:>5}: java {java:8.1f}  python {python:8.1f}  boto3x16 {boto_rate:8.1f} MB/s  "
              f"python/java {python / java:5.2f}  python/boto3 {python / boto_rate:5.2f}")
        if args.compare_pool:
            before = median(label, "python no-pool", 0)
            print(f"       python no-pool {before:8.1f} MB/s  python/java {before / java:5.2f}  "
                  f"python/boto3 {before / boto_rate:5.2f}  pooled/no-pool {python / before:5.2f}")
        if args.compare_direct:
            copy, arrays = median(label, "python copy", 0), median(label, "java arrays", 0)
            print(f"       python copy {copy:8.1f} MB/s  java arrays {arrays:8.1f} MB/s  python copy/java arrays "
                  f"{copy / arrays:5.2f}  python/java arrays {python / arrays:5.2f}  python/python copy "
                  f"{python / copy:5.2f}")
        for name in contenders:
            client, server = median(label, name, 1), median(label, name, 2)
            print(f"       {name:<13} CPU ms per MiB: client {client:6.2f}  server {server:6.2f}  "
                  f"together {client + server:6.2f}  client by threads: "
                  + ", ".join(f"{part} {median(label, name, 4 + i):.2f}" for i, part in enumerate(COMPONENTS))
                  + f"; JVM heap allocated {median(label, name, 10):.2f} B per B read, "
                    f"{median(label, name, 11):.0f} collections per GiB")
        print(f"       python loader hand-off into Python (copy or views; consumer thread, wall): "
              f"{median(label, 'python loader', 3):5.0f} us per MiB"
              + (f"; python copy: {median(label, 'python copy', 3):5.0f}" if args.compare_direct else ""))

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
    if args.compare_pool:
        no_pool.close()
    if args.compare_direct:
        copying.close()
    s3dlio.delete_prefix(f"s3://{bucket}/")


if __name__ == "__main__":
    main()
