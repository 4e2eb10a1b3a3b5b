#!/usr/bin/env python3
"""Turns bench/run-peers.sh's raw runs (TSV) into the markdown table for docs/BENCHMARKS.md.

Columns in: server workload tool round wall user sys rss_kib bytes objects (round 0 = warm-up, not counted;
wall FAILED = the run failed; wall G1 = not run because of gotcha G1).
"""
import argparse
import os
import platform
import statistics
import subprocess
import sys

WORKLOADS = {
    "get1g": "GET one large object",
    "put1g": "PUT one large object",
    "get4g": "GET several large objects (download -r)",
    "put4g": "PUT several large objects (upload -r)",
    "get64k": "GET many 64 KiB objects",
    "put1m": "PUT many 1 MiB objects",
    "list": "LIST one prefix",
    "stat": "stat (HEAD) of one object",
    "file": "file:// read (page cache)",
    "direct": "direct:// read (O_DIRECT)",
}
TOOL_ORDER = ["s3-cli", "tm", "rclone", "aws", "s3cmd", "dd", "fio"]
TOOL_NAMES = {
    "s3-cli": "s3-cli (this project)",
    "tm": "SDK v2 Transfer Manager (CRT)",
    "rclone": "rclone",
    "aws": "aws CLI (`aws s3`)",
    "s3cmd": "s3cmd (floor)",
    "dd": "dd",
    "fio": "fio",
}


def version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        text = (out.stdout + out.stderr).strip().splitlines()
        return text[0] if text else "?"
    except Exception:  # a missing tool is reported as such, not fatal for the report
        return "not installed"


def size_text(n):
    for unit, div in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= div and n % div == 0:
            return f"{n // div} {unit}"
    return f"{n} B"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("runs")
    parser.add_argument("--command", required=True)
    parser.add_argument("--reps", required=True)
    parser.add_argument("--jobs", required=True)
    parser.add_argument("--elapsed", required=True)
    parser.add_argument("--quick", required=True)
    args = parser.parse_args()

    rows = []
    with open(args.runs) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 10:
                continue
            rows.append(parts)

    groups = {}
    for server, workload, tool, rnd, wall, user, sys_, rss, nbytes, objects in rows:
        key = (server, workload)
        entry = groups.setdefault(key, {}).setdefault(tool, {"ok": [], "failed": 0, "g1": False,
                                                               "bytes": int(nbytes), "objects": int(objects)})
        if wall == "G1":
            entry["g1"] = True
            continue
        if rnd == "0":
            if wall == "FAILED":
                entry["failed"] += 1
            continue
        if wall == "FAILED":
            entry["failed"] += 1
            continue
        entry["ok"].append((float(wall), float(user) + float(sys_), int(rss) / 1024.0))

    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / (1 << 30)

    out = []
    out.append(f"Run {'(quick) ' if args.quick == '1' else ''}on {platform.node() or 'this machine'}: "
               f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB RAM, Linux {platform.release()}; "
               "client and server share the cores over loopback.")
    out.append("")
    out.append(f"Command: `{args.command.strip()}` (took {args.elapsed} s). Each tool ran {args.reps} times "
               f"after one warm-up round, interleaved (A B C ... A B C ...); concurrency {args.jobs} wherever "
               "a tool has a knob; path-style, us-east-1, static credentials, checksums when_required; "
               + ("s3-cli flushes each downloaded file (fdatasync) before its rename, the other tools do not."
                  if os.environ.get("S3DLIO_DOWNLOAD_FSYNC", "true").lower() == "true"
                  else "no tool flushes downloaded files (s3-cli with S3DLIO_DOWNLOAD_FSYNC=false)."))
    out.append("")
    out.append("Versions: " + "; ".join([
        version(["aws", "--version"]), version(["rclone", "version"]), version(["s3cmd", "--version"]),
        version(["fio", "--version"]),
        version([os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"), "-version"])]))
    out.append("")
    out.append("Speed-up = peer median wall time / s3-cli median wall time: above 1 s3-cli is faster, "
               "**below 1 s3-cli loses** (marked). CPU = client user+sys seconds; RSS = client peak resident set.")
    out.append("")

    servers = []
    for server, _ in groups:
        if server not in servers:
            servers.append(server)
    for server in servers:
        title = {"fixture": "In-memory benchmark fixture (BenchS3Server)",
                 "s3proxy": "S3Proxy 4.1.0 (filesystem-nio2)",
                 "local": "Local reads (no server)"}.get(server, server)
        out.append(f"### {title}")
        out.append("")
        out.append("| Workload | Tool | Median wall s | Min-max s | Throughput | CPU s | Peak RSS MiB | Speed-up of s3-cli |")
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for workload in WORKLOADS:
            tools = groups.get((server, workload))
            if not tools:
                continue
            any_entry = next(iter(tools.values()))
            nbytes, objects = any_entry["bytes"], any_entry["objects"]
            if workload == "stat":
                label = WORKLOADS[workload]
            elif workload == "list":
                label = f"{WORKLOADS[workload]}: {objects:,} keys"
            elif objects > 1:
                label = f"{WORKLOADS[workload]}: {objects:,} x {size_text(nbytes // objects)}"
            else:
                label = f"{WORKLOADS[workload]}: {size_text(nbytes)}"
            ref = tools.get("s3-cli")
            ref_median = statistics.median([r[0] for r in ref["ok"]]) if ref and ref["ok"] else None
            for tool in sorted(tools, key=lambda t: TOOL_ORDER.index(t) if t in TOOL_ORDER else 99):
                e = tools[tool]
                name = TOOL_NAMES.get(tool, tool)
                if e["g1"]:
                    out.append(f"| {label} | {name} | not run | | | | | CRT multipart upload fails on S3Proxy (G1) |")
                    continue
                if not e["ok"]:
                    out.append(f"| {label} | {name} | FAILED ({e['failed']} runs) | | | | | |")
                    continue
                walls = [r[0] for r in e["ok"]]
                median = statistics.median(walls)
                cpu_s = statistics.median([r[1] for r in e["ok"]])
                rss = statistics.median([r[2] for r in e["ok"]])
                if workload == "list":
                    through = f"{objects / median:,.0f} keys/s" if median > 0 else "-"
                else:
                    through = f"{nbytes / median / 1e6:,.0f} MB/s" if median > 0 and nbytes > 0 else "-"
                if tool == "s3-cli":
                    ratio = "1.00 (reference)"
                elif ref_median is None:
                    ratio = "no s3-cli figure"
                else:
                    r = median / ref_median
                    ratio = f"{r:.2f}" if r >= 1 else f"**{r:.2f} (s3-cli loses)**"
                failed = f" ({e['failed']} failed)" if e["failed"] else ""
                out.append(f"| {label} | {name}{failed} | {median:.2f} | {min(walls):.2f}-{max(walls):.2f} | "
                           f"{through} | {cpu_s:.2f} | {rss:,.0f} | {ratio} |")
        out.append("")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
