"""`bench.py --only streaming`: peak memory and time to first output of the listing-driven
commands against scripts/keyspace_server.py (a computed keyspace, nothing stored; it answers
HEAD, GET, CopyObject, PutObject and DeleteObjects without storing anything).

Listing: `ls -r`, `ls -r --json` and `du` of flat (`flat-N`, one prefix) and deep (`dates-N`,
10 years x 12 months) keyspaces of the sizes in PAIL_BENCH_STREAMING_LISTING (default
"1000000,5000000,20000000"; empty leaves them out), and `ls -r` of 200,000 flat keys at 50 ms
a page, pail and s5cmd back to back (PAIL_BENCH_STREAMING_RUNS pairs, default 3; 0 leaves them
out).

Object commands: `headers -r`, `set-headers -r --yes`, `rm -r --yes`, `cp -r` S3 to S3 and S3
to local, each at every size in PAIL_BENCH_STREAMING_KEYS (default "1000000"; a list such as
"20000,200000" shows whether memory grows with the size); PAIL_BENCH_STREAMING_OBJECTS=0 leaves
them out, PAIL_BENCH_STREAMING_LOCAL=0 leaves out the download (a million files of 1-16 bytes),
PAIL_BENCH_STREAMING_COMMANDS (say "headers,rm") keeps only the commands named.
The endpoint runs PAIL_BENCH_KEYSPACE_WORKERS processes (default 2, one per core here).

Each row records the 1-minute load average when it began: the machine is shared, so memory is
what these rows measure; wall times are the load's as much as pail's."""
import os
import shutil
import statistics
import tempfile
import time

HEADING = "## Streaming: commands that act on every listed object"
OBJECT_METHODS = ("COPY", "HEAD", "GET", "PUT", "DELETE")


def _first_object_request(log, since, started):
    """Seconds from `started` (time.time()) to the first object request in the log after
    offset `since`: work on objects begins before the listing ends."""
    with open(log) as f:
        f.seek(since)
        for line in f:
            fields = line.split()
            if len(fields) > 1 and fields[1] in OBJECT_METHODS:
                return float(fields[0]) - started
    return None


def _load():
    """The 1-minute load average, as `uptime` prints it."""
    return "%.1f" % os.getloadavg()[0]


def _sizes(name, default):
    return [int(x) for x in os.environ.get(name, default).split(",") if x.strip()]


def listing_rows(pail, env, run_streaming, url, cells):
    """Rows of the listing table: first line, wall time, peak memory and the load average;
    cells[(command, shape)][n] gets (peak memory, first line) for the summary."""
    rows = []
    for n in _sizes("PAIL_BENCH_STREAMING_LISTING", "1000000,5000000,20000000"):
        for shape in ("flat", "dates"):
            bucket = f"{shape}-{n}"
            for args in (["ls", "-r"], ["ls", "-r", "--json"], ["du"]):
                load = _load()
                first, wall, rss, lines = run_streaming([pail, args[0], "--endpoint-url", url] + args[1:]
                                                        + [f"s3://{bucket}/"], env)
                label = " ".join(args)
                if args[0] == "ls" and lines != (n // 120 * 120 if shape == "dates" else n):
                    raise RuntimeError(f"{label} {bucket}: {lines} lines")
                cells.setdefault((label, shape), {})[n] = (rss, first)
                rows.append(f"| `{label}` {bucket} | {n:,} | {first:.2f} s | {wall:.1f} s | {rss:.1f} MiB | {load} |")
                print(rows[-1], flush=True)
    return rows


def delay_rows(pail, env, run_streaming, url):
    """`ls -r` of flat-200000-delay50, pail and s5cmd in turn; the median ratio of the pairs."""
    s5 = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".venv", "bin", "s5cmd")
    bucket = "flat-200000-delay50"
    walls = {"pail": [], "s5cmd": []}
    rows = []
    for _ in range(int(os.environ.get("PAIL_BENCH_STREAMING_RUNS", "3"))):
        for label, cmd in (("pail", [pail, "ls", "--endpoint-url", url, "-r", f"s3://{bucket}/"]),
                           ("s5cmd", [s5, "--endpoint-url", url, "ls", f"s3://{bucket}/*"])):
            load = _load()
            first, wall, rss, lines = run_streaming(cmd, env)
            if lines != 200_000:
                raise RuntimeError(f"{label} ls {bucket}: {lines} lines")
            walls[label].append(wall)
            rows.append(f"| {label} | {first:.2f} s | {wall:.1f} s | {rss:.1f} MiB | {load} |")
            print(rows[-1], flush=True)
    ratio = statistics.median(p / s for p, s in zip(walls["pail"], walls["s5cmd"])) if rows else None
    return rows, ratio


def object_cases(n, work):
    """(label, shape, argv after the command name, expected object requests) at n keys."""
    cases = [("headers -r", ["headers", "-r", f"s3://flat-{n}/"], n),
             ("set-headers -r --yes", ["set-headers", "-r", "--yes", "--cache-control", "max-age=60",
                                       f"s3://flat-{n}/"], n),
             ("rm -r --yes", ["rm", "-r", "--yes", f"s3://flat-{n}/"], n),
             ("cp -r S3 to S3", ["cp", "-r", f"s3://flat-{n}/", f"s3://flat-{n}-small/copy/"], n)]
    if os.environ.get("PAIL_BENCH_STREAMING_LOCAL") != "0":
        cases.append(("cp -r S3 to local", ["cp", "-r", f"s3://flat-{n}-small/", os.path.join(work, "dl")], n))
    only = os.environ.get("PAIL_BENCH_STREAMING_COMMANDS")
    return [c for c in cases if not only or c[1][0] in only.split(",")]


def object_rows(pail, env, run_streaming, url, log, work, cells):
    rows = []
    if os.environ.get("PAIL_BENCH_STREAMING_OBJECTS") == "0":
        return rows
    for n in _sizes("PAIL_BENCH_STREAMING_KEYS", "1000000"):
        for label, args, expected in object_cases(n, work):
            since = os.path.getsize(log)
            load = _load()
            started = time.time()
            _, wall, rss, _ = run_streaming([pail, args[0], "--endpoint-url", url] + args[1:], env)
            first = _first_object_request(log, since, started)
            with open(log) as f:
                f.seek(since)
                done = sum(1 for line in f if line.split(" ", 2)[1] in OBJECT_METHODS)
            if done < expected:
                raise RuntimeError(f"{label} flat-{n}: {done} object requests, expected {expected}")
            cells.setdefault((label, "flat"), {})[n] = (rss, first)
            rows.append(f"| `{label}` flat-{n} | {n:,} | {first:.2f} s | {wall:.1f} s | {done / wall:,.0f} | "
                        f"{rss:.1f} MiB | {load} |")
            print(rows[-1], flush=True)
            shutil.rmtree(os.path.join(work, "dl"), ignore_errors=True)
    return rows


def summary(cells):
    """One row per command and shape: peak memory (first output) at each size measured."""
    sizes = sorted({n for per in cells.values() for n in per})
    head = "| command | shape | " + " | ".join(f"{n:,} keys" for n in sizes) + " |"
    lines = [head, "| --- | --- |" + " ---: |" * len(sizes)]
    for (label, shape), per in cells.items():
        shown = [f"{per[n][0]:.1f} MiB ({per[n][1]:.2f} s)" if n in per else "–" for n in sizes]
        lines.append(f"| `{label}` | {shape} | " + " | ".join(shown) + " |")
    return lines


def bench(pail, env, run_streaming):
    import keyspace_server
    work = tempfile.mkdtemp(prefix="pail-bench-streaming-")
    log = os.path.join(work, "requests.log")
    workers = int(os.environ.get("PAIL_BENCH_KEYSPACE_WORKERS", "2"))
    proc, url = keyspace_server.start(workers=workers, log=log)
    cells = {}
    loads = [_load()]
    try:
        listing = listing_rows(pail, env, run_streaming, url, cells)
        delay, ratio = delay_rows(pail, env, run_streaming, url)
        objects = object_rows(pail, env, run_streaming, url, log, work, cells)
    finally:
        keyspace_server.stop(proc)
        shutil.rmtree(work, ignore_errors=True)
    loads.append(_load())
    text = [HEADING, "",
            f"Made by `scripts/bench.py --only streaming` on {time.strftime('%Y-%m-%d')} with the release build: "
            f"{os.cpu_count()} cores shared with the endpoint, `scripts/keyspace_server.py` on loopback "
            f"({workers} processes). Peak RSS from wait4 (GNU time); first output: the first line on stdout for "
            "the listings, the first object request in the endpoint's log for the object commands (work begins "
            f"before the listing ends). Load average {loads[0]} at the start, {loads[1]} at the end. Goal: under "
            "64 MiB and output within 1 s whatever the size.", "",
            "Peak memory (first output):", "", *summary(cells), ""]
    if listing:
        text += ["### Listing: first line and peak memory", "",
                 "`flat-N`: one prefix of N keys; `dates-N`: 10 years × 12 months of N/120 keys. Load: the "
                 "1-minute load average when the row began.", "",
                 "| command | keys | first line | wall time | peak memory | load |",
                 "| --- | ---: | ---: | ---: | ---: | ---: |", *listing, ""]
    if delay:
        text += ["### A far region: `ls -r` of flat-200000-delay50", "",
                 f"50 ms per page; pail and s5cmd in turn: pail's wall time is {ratio:.2f}× s5cmd's (median of the "
                 "pairs; goal: at most 0.33).", "",
                 "| tool | first line | wall time | peak memory | load |",
                 "| --- | ---: | ---: | ---: | ---: |", *delay, ""]
    if objects:
        text += ["### Object commands", "",
                 "One request per object (set-headers: a HEAD and a copy), DeleteObjects of 1000 keys for `rm`; "
                 "requests/s: object requests the endpoint logged over the wall time.", "",
                 "| command | keys | first object request | wall time | requests/s | peak memory | load |",
                 "| --- | ---: | ---: | ---: | ---: | ---: | ---: |", *objects, ""]
    return "\n".join(text)
